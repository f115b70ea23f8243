import { describe, expect, it } from 'vitest';
import { daysBefore, dayStart, timeline } from './timeline';
import { formatDay } from '../ui/format';
import type { Line } from './reducer';

// Local times: the separators follow the reader's calendar, whatever the machine's zone.
const at = (d: number, h: number, m = 0) => new Date(2024, 2, d, h, m).getTime();
let id = 1;
const line = (time: number, extra: Partial<Line> = {}): Line => ({ id: id++, time, kind: 'message', nick: 'bob', text: 't', ...extra });

describe('timeline', () => {
  it('puts a date separator before the first line of each day', () => {
    const lines = [line(at(4, 23, 50)), line(at(4, 23, 59)), line(at(5, 0, 1)), line(at(7, 9))];
    const items = timeline(lines, null);
    expect(items.map((i) => i.kind)).toEqual(['date', 'line', 'line', 'date', 'line', 'date', 'line']);
    expect(items[0]).toEqual({ kind: 'date', day: dayStart(at(4, 12)) });
    expect(items[3]).toEqual({ kind: 'date', day: dayStart(at(5, 12)) });
  });

  it('puts the divider before the first message from someone else after the read position', () => {
    const lines = [
      line(at(5, 10), { text: 'read' }),
      line(at(5, 11), { kind: 'join', text: undefined }),
      line(at(5, 12), { self: true, text: 'own, after' }),
      line(at(5, 13), { text: 'new' }),
      line(at(5, 14), { text: 'newer' }),
    ];
    const items = timeline(lines, at(5, 10));
    const i = items.findIndex((x) => x.kind === 'divider');
    expect(items[i + 1]).toMatchObject({ kind: 'line', line: { text: 'new' } });
    expect(items.filter((x) => x.kind === 'divider')).toHaveLength(1);
  });

  it('has no divider when it is null or nothing is newer', () => {
    const lines = [line(at(5, 10)), line(at(5, 11))];
    expect(timeline(lines, null).some((x) => x.kind === 'divider')).toBe(false);
    expect(timeline(lines, at(5, 11)).some((x) => x.kind === 'divider')).toBe(false);
  });

  it('counts calendar days, not 24-hour spans', () => {
    expect(daysBefore(at(4, 23, 59), at(5, 0, 1))).toBe(1);
    expect(daysBefore(at(5, 0, 1), at(5, 23, 59))).toBe(0);
    expect(daysBefore(at(1, 12), at(31, 12))).toBe(30); // across the March DST change in Europe
  });
});

describe('formatDay', () => {
  const now = at(15, 10); // Friday 15 March 2024
  const en = { today: 'Today', yesterday: 'Yesterday' };
  const fr = { today: 'Aujourd’hui', yesterday: 'Hier' };
  it('says today and yesterday in words', () => {
    expect(formatDay(dayStart(now), now, 'en', en)).toBe('Today');
    expect(formatDay(dayStart(at(14, 1)), now, 'fr', fr)).toBe('Hier');
  });
  it('names the weekday within the week, the date before that, the year when not this one', () => {
    expect(formatDay(dayStart(at(11, 1)), now, 'en', en)).toBe('Monday');
    expect(formatDay(dayStart(at(11, 1)), now, 'fr', fr)).toBe('Lundi');
    expect(formatDay(dayStart(at(1, 1)), now, 'en', en)).toMatch(/^Friday,? 1 March$/);
    expect(formatDay(dayStart(at(1, 1)), now, 'fr', fr)).toBe('Vendredi 1 mars');
    // ICU versions differ on the comma after the weekday.
    expect(formatDay(dayStart(new Date(2023, 11, 25).getTime()), now, 'en', en)).toMatch(/^Monday,? 25 December 2023$/);
  });
});
