// What the message log shows, in order: the lines, a date separator before the first line of
// each day (local time), and the "new messages" divider before the first message from
// someone else that came after what the user had read. Pure: Conversation.tsx renders it.
import type { Line } from './reducer';
import { isMessageLine } from './history';

export type TimelineItem =
  | { kind: 'line'; line: Line }
  /** `day` is local midnight of the day the following lines belong to. */
  | { kind: 'date'; day: number }
  | { kind: 'divider' };

/** Local midnight of the day of `t`. */
export function dayStart(t: number): number {
  const d = new Date(t);
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** Whole calendar days from the day of `t` to the day of `now` (0: same day). Safe across DST. */
export function daysBefore(t: number, now: number): number {
  return Math.round((dayStart(now) - dayStart(t)) / 86_400_000);
}

export function timeline(lines: readonly Line[], divider: number | null): TimelineItem[] {
  const items: TimelineItem[] = [];
  let day = Number.NaN;
  let dividerPlaced = divider === null;
  for (const line of lines) {
    const d = dayStart(line.time);
    if (d !== day) {
      items.push({ kind: 'date', day: d });
      day = d;
    }
    if (!dividerPlaced && isMessageLine(line) && !line.self && line.time > (divider as number)) {
      items.push({ kind: 'divider' });
      dividerPlaced = true;
    }
    items.push({ kind: 'line', line });
  }
  return items;
}
