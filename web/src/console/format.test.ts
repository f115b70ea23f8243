// What the console shows: priority order, words for categories/priorities/statuses, times,
// shortened comments, the evidence as a transcript by place, failures in words.
import { describe, expect, it } from 'vitest';
import { byPriority, categoryWords, describeConsoleError, outcomeWords, groupEvidence, priorityWords, relativeTime, sourceNick, statusWords, truncate, CATEGORIES } from './format';
import { errorFromResponse, type Evidence } from './api';
import { dictionaries, has, translate, type Lang } from '../i18n';

const t = (lang: Lang) => (key: string, ...args: (string | number)[]) => translate(lang, key, ...args);
const NOW = Date.UTC(2026, 11, 2, 16, 0, 0);

function ev(seq: number, place: string, timeMs: number, kind: string, msgid = '', text = `line ${seq}`): Evidence {
  return { seq, kind, place, timeMs, msgid, source: `bob!u@h`, account: '', command: 'PRIVMSG', text };
}

describe('queue order', () => {
  it('child safety first, then threats, then the rest; the server order kept within a lane', () => {
    const q = [
      { ref: 'spam-old', priority: 2 },
      { ref: 'threat', priority: 1 },
      { ref: 'csam-trusted', priority: 0 },
      { ref: 'spam-new', priority: 2 },
      { ref: 'csam', priority: 0 },
      { ref: 'odd', priority: 7 },
    ];
    expect(byPriority(q).map((r) => r.ref)).toEqual(['csam-trusted', 'csam', 'threat', 'spam-old', 'spam-new', 'odd']);
  });
});

describe('words', () => {
  it('every category in English and French (the reporting dialog’s words)', () => {
    for (const c of CATEGORIES) {
      expect(has('en', `report.cat.${c}`) && has('fr', `report.cat.${c}`)).toBe(true);
    }
    expect(categoryWords(t('en'), 'grooming')).toBe('Grooming of a minor');
    expect(categoryWords(t('fr'), 'threat')).toBe('Menaces de violence');
    expect(categoryWords(t('en'), 'new_kind')).toBe('new_kind');
  });
  it('priorities and statuses', () => {
    expect(priorityWords(t('en'), 0)).toBe('Child safety');
    expect(priorityWords(t('fr'), 1)).toBe('Menace');
    expect(priorityWords(t('en'), 9)).toBe('Standard');
    expect(statusWords(t('fr'), 'open')).toBe('Ouvert');
    expect(statusWords(t('en'), 'escalated')).toBe('escalated');
    expect(statusWords(t('en'), 'assigned')).toBe('Assigned');
    expect(outcomeWords(t('fr'), 'no_action')).toBe('Aucune mesure');
    expect(outcomeWords(t('en'), 'duplicate')).toBe('Duplicate');
  });
  it('every console string exists in both languages', () => {
    const en = Object.keys(dictionaries.en).filter((k) => k.startsWith('console.'));
    const fr = Object.keys(dictionaries.fr).filter((k) => k.startsWith('console.'));
    expect(en.length).toBeGreaterThan(50);
    expect(fr.sort()).toEqual(en.sort());
  });
  it('failures: a lockout with its wait, the rest as their key says', () => {
    expect(describeConsoleError(t('en'), errorFromResponse('login', 429, null, '300'))).toBe('Too many failed logins. Try again in 5 minutes.');
    expect(describeConsoleError(t('fr'), errorFromResponse('login', 429, null, '30'))).toBe('Trop de connexions manquées. Réessayez dans 30 secondes.');
    expect(describeConsoleError(t('en'), errorFromResponse('login', 401, null))).toBe('Wrong account name or password.');
    expect(describeConsoleError(t('en'), errorFromResponse('reports', 401, null))).toBe('Your session has ended. Log in again.');
    expect(describeConsoleError(t('fr'), errorFromResponse('report', 500, { error: 'boom' }))).toBe('Le serveur a répondu par une erreur (500) : boom');
  });
});

describe('times', () => {
  it('relative, in the largest unit that fits, in both languages', () => {
    expect(relativeTime(NOW - 10_000, NOW, 'en')).toBe('now');
    expect(relativeTime(NOW - 5 * 60_000, NOW, 'en')).toBe('5 minutes ago');
    expect(relativeTime(NOW - 5 * 60_000, NOW, 'fr')).toBe('il y a 5 minutes');
    expect(relativeTime(NOW - 3 * 3600_000, NOW, 'en')).toBe('3 hours ago');
    expect(relativeTime(NOW - 86400_000, NOW, 'en')).toBe('yesterday');
    expect(relativeTime(NOW - 86400_000, NOW, 'fr')).toBe('hier');
    expect(relativeTime(NOW - 60 * 86400_000, NOW, 'en')).toBe('2 months ago');
    expect(relativeTime(NOW - 400 * 86400_000, NOW, 'en')).toBe('last year');
  });
});

describe('comments and sources', () => {
  it('a comment on one line, cut between words with an ellipsis', () => {
    expect(truncate('short\n\ncomment ')).toBe('short comment');
    const long = 'word '.repeat(40);
    const cut = truncate(long, 30);
    expect([...cut].length).toBeLessThanOrEqual(30);
    expect(cut.endsWith('word…')).toBe(true);
    expect(truncate('x'.repeat(50), 10)).toBe('xxxxxxxxx…');
    expect([...truncate('é'.repeat(20), 10)].length).toBe(10);
  });
  it('the nick of a source', () => {
    expect(sourceNick('bob!~b@host')).toBe('bob');
    expect(sourceNick('bob')).toBe('bob');
  });
});

describe('evidence as a transcript', () => {
  it('by place, the reported message’s place first, lines by time then sequence', () => {
    const groups = groupEvidence([
      ev(1, '#other', 100, 'user', 'u1'),
      ev(5, '#lobby', 300, 'context', 'c2'),
      ev(3, '#lobby', 200, 'reported', 'r1'),
      ev(2, '#lobby', 200, 'context', 'c1'),
      ev(4, '#other', 50, 'user', 'u0'),
    ]);
    expect(groups.map((g) => g.place)).toEqual(['#lobby', '#other']);
    expect(groups[0].reported).toBe(true);
    expect(groups[0].lines.map((l) => l.seq)).toEqual([2, 3, 5]);
    expect(groups[1].lines.map((l) => l.msgid)).toEqual(['u0', 'u1']);
    expect(groups[1].reported).toBe(false);
  });
  it('a message captured twice is shown once, as the reported one', () => {
    const groups = groupEvidence([ev(1, '#lobby', 100, 'user', 'm1'), ev(2, '#lobby', 100, 'reported', 'm1'), ev(3, '#lobby', 150, 'context', 'm2'), ev(4, '#lobby', 150, 'user', 'm2')]);
    expect(groups[0].lines.map((l) => `${l.msgid}:${l.kind}`)).toEqual(['m1:reported', 'm2:context']);
  });
  it('lines without a msgid are all kept; a topic beside a message is its own line', () => {
    const groups = groupEvidence([ev(1, '#lobby', 100, 'context'), ev(2, '#lobby', 100, 'context'), ev(3, '#lobby', 90, 'topic', 'm1'), ev(4, '#lobby', 110, 'context', 'm1')]);
    expect(groups[0].lines.map((l) => l.seq)).toEqual([3, 1, 2, 4]);
  });
  it('the private conversation (place "private") is marked so; with the reported message it comes first', () => {
    const groups = groupEvidence([ev(1, '#lobby', 10, 'user', 'a'), ev(2, 'private', 20, 'private', 'b'), ev(3, 'private', 30, 'reported', 'c')]);
    expect(groups.map((g) => [g.place, g.private, g.reported])).toEqual([
      ['private', true, true],
      ['#lobby', false, false],
    ]);
    expect(groups[0].lines.map((l) => l.kind)).toEqual(['private', 'reported']);
    expect(groupEvidence([])).toEqual([]);
  });
});
