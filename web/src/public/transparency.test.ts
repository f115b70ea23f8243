import { describe, expect, it } from 'vitest';
import { dictionaries } from '../i18n';
import { formatCount, humanDuration, parseTransparency, rows, share, ACTION_TYPES, SOURCES, OUTCOMES } from './transparency';
import { NOTICE_CATEGORIES } from './notice';

const answer = {
  generated_ms: 1764700000000,
  since_ms: 1764600000000,
  notices: { total: 3, by_category: { child_abuse: 0, hate: 2, threat: 1 }, by_source: { users: 1, public_form: 2, trusted_flaggers: 0 } },
  decisions: { total: 1, by_outcome: { action_taken: 1, duplicate: 0, no_action: 0 }, median_ms_to_decision: 90000 },
  actions: { total: 2, by_type: { ban: 0, warn: 1, mute: 0, held_drop: 1, shadow: 0 } },
};

describe('parseTransparency', () => {
  it('reads the figures, every category in order, 0 when left out', () => {
    const f = parseTransparency(answer)!;
    expect(f.sinceMs).toBe(1764600000000);
    expect(f.notices.total).toBe(3);
    expect(f.notices.byCategory.map((c) => c.key)).toEqual([...NOTICE_CATEGORIES]);
    expect(f.notices.byCategory.find((c) => c.key === 'hate')?.n).toBe(2);
    expect(f.notices.byCategory.find((c) => c.key === 'spam')?.n).toBe(0);
    expect(f.notices.bySource).toEqual([
      { key: 'users', n: 1 },
      { key: 'public_form', n: 2 },
      { key: 'trusted_flaggers', n: 0 },
    ]);
    expect(f.decisions.medianMs).toBe(90000);
  });
  it('lists the action types the server sent, known ones first, unknown ones as they are', () => {
    const f = parseTransparency(answer)!;
    expect(f.actions.byType.map((a) => a.key)).toEqual(['warn', 'mute', 'ban', 'held_drop', 'shadow']);
  });
  it('takes a null median, a missing total and bad counts', () => {
    const f = parseTransparency({ notices: { by_category: { spam: 2, hate: 'x', other: -1 } }, decisions: { median_ms_to_decision: null } })!;
    expect(f.notices.total).toBe(2);
    expect(f.notices.byCategory.find((c) => c.key === 'hate')?.n).toBe(0);
    expect(f.decisions.medianMs).toBeNull();
    expect(f.sinceMs).toBe(0);
    expect(f.actions.byType).toEqual([]);
  });
  it('refuses an answer without notices', () => {
    expect(parseTransparency({})).toBeNull();
    expect(parseTransparency([])).toBeNull();
  });
  it('orders other keys alphabetically after the known ones', () => {
    expect(rows({ b: 1, a: 2, x: 3 }, ['x']).map((r) => r.key)).toEqual(['x', 'a', 'b']);
  });
});

describe('humanDuration', () => {
  const nb = (s: string) => s.replace(/\u00a0/g, ' ');
  it('says a duration in its two largest units', () => {
    expect(nb(humanDuration(0, 'en'))).toBe('0 s');
    expect(nb(humanDuration(45_000, 'en'))).toBe('45 s');
    expect(nb(humanDuration(90_000, 'en'))).toBe('1 min 30 s');
    expect(nb(humanDuration(300_000, 'en'))).toBe('5 min');
    expect(nb(humanDuration((2 * 3600 + 5 * 60 + 59) * 1000, 'en'))).toBe('2 h 5 min');
    expect(nb(humanDuration(3 * 3600 * 1000, 'en'))).toBe('3 h');
    expect(nb(humanDuration((3 * 86400 + 4 * 3600) * 1000, 'en'))).toBe('3 d 4 h');
    expect(nb(humanDuration((3 * 86400 + 4 * 3600) * 1000, 'fr'))).toBe('3 j 4 h');
    expect(nb(humanDuration((86400 + 59) * 1000, 'fr'))).toBe('1 j');
  });
});

describe('numbers', () => {
  it('groups digits as each language does, with shares of a total', () => {
    expect(formatCount(1234, 'en')).toBe('1,234');
    expect(formatCount(1234, 'fr').replace(/\s/g, ' ')).toBe('1 234');
    expect(share(1, 3, 'en')).toBe('33%');
    expect(share(1, 0, 'en')).toBe('');
  });
});

describe('words', () => {
  it('has every source, outcome and known action type in both languages', () => {
    const keys = [...SOURCES.map((s) => `transparency.source.${s}`), ...OUTCOMES.map((o) => `transparency.outcome.${o}`), ...ACTION_TYPES.map((a) => `transparency.action.${a}`)];
    for (const k of keys) {
      expect(dictionaries.en[k], k).toBeTruthy();
      expect(dictionaries.fr[k], k).toBeTruthy();
    }
  });
});
