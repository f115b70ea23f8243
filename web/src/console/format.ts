// What the moderation console shows, computed from the API's values: the queue's priority
// lanes, categories and statuses in words, times (relative and exact), shortened comments,
// and the evidence as a transcript grouped by place. Pure functions.
import { waitInWords, type Lang, type T } from '../i18n';
import { OUTCOMES, type ConsoleError, type Evidence, type Report } from './api';

export const CATEGORIES = ['child_abuse', 'grooming', 'non_consensual', 'threat', 'hate', 'harassment', 'illegal_goods', 'spam', 'other'];

/** The words of a category (the reporting dialog's, report.cat.*); an unknown one as sent. */
export function categoryWords(t: T, category: string): string {
  return CATEGORIES.includes(category) ? t(`report.cat.${category}`) : category;
}

/** Priority lanes: 0 child safety, 1 threats, 2 the rest (anything else counts as the rest). */
export function priorityLane(priority: number): 0 | 1 | 2 {
  return priority === 0 ? 0 : priority === 1 ? 1 : 2;
}

export function priorityWords(t: T, priority: number): string {
  return t(`console.priority.${priorityLane(priority)}`);
}

const STATUSES = ['open', 'assigned', 'decided', 'closed', 'appealed'];

export function statusWords(t: T, status: string): string {
  return STATUSES.includes(status) ? t(`console.status.${status}`) : status;
}

export function outcomeWords(t: T, outcome: string): string {
  return (OUTCOMES as readonly string[]).includes(outcome) ? t(`console.outcome.${outcome}`) : outcome;
}

/**
 * The queue with child safety first, then threats, then the rest. The server already sends
 * it in this order; the sort is stable, so its order within a lane (oldest first, trusted
 * flaggers ahead) is kept.
 */
export function byPriority<R extends Pick<Report, 'priority'>>(reports: readonly R[]): R[] {
  return reports
    .map((r, i) => ({ r, i }))
    .sort((a, b) => priorityLane(a.r.priority) - priorityLane(b.r.priority) || a.i - b.i)
    .map((x) => x.r);
}

function locale(lang: Lang): string {
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
}

/** "5 minutes ago", "il y a 2 heures", "yesterday": the largest unit that fits. */
export function relativeTime(ms: number, now: number, lang: Lang): string {
  const seconds = Math.round((ms - now) / 1000);
  const abs = Math.abs(seconds);
  const rtf = new Intl.RelativeTimeFormat(locale(lang), { numeric: 'auto' });
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 45 * 60) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 22 * 3600) return rtf.format(Math.round(seconds / 3600), 'hour');
  if (abs < 26 * 86400) return rtf.format(Math.round(seconds / 86400), 'day');
  if (abs < 320 * 86400) return rtf.format(Math.round(seconds / (30 * 86400)), 'month');
  return rtf.format(Math.round(seconds / (365 * 86400)), 'year');
}

/** The exact date and time in local time, with seconds: "2 Dec 2026, 16:05:09". */
export function exactTime(ms: number, lang: Lang): string {
  return new Date(ms).toLocaleString(locale(lang), { dateStyle: 'medium', timeStyle: 'medium' });
}

/** A time of day in a transcript: "16:05:09". */
export function clockTime(ms: number, lang: Lang): string {
  return new Date(ms).toLocaleTimeString(locale(lang), { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A comment on one line, at most `max` characters (an ellipsis when cut, between words if it can). */
export function truncate(text: string, max = 120): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  if (chars.length <= max) return flat;
  const cut = chars.slice(0, max - 1).join('');
  const space = cut.lastIndexOf(' ');
  return (space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

/** The nick of an IRC source ("nick!user@host" → "nick"). */
export function sourceNick(source: string): string {
  const bang = source.indexOf('!');
  return bang > 0 ? source.slice(0, bang) : source;
}

/** One place's part of the evidence, in time order. */
export interface EvidenceGroup {
  place: string;
  /** The reporter's private conversation with the target (place "private"). */
  private: boolean;
  /** The group holds the reported message. */
  reported: boolean;
  lines: Evidence[];
}

/** Which of two copies of a message is kept: the reported one, then context, then the rest. */
const KIND_RANK: Record<string, number> = { reported: 0, topic: 1, context: 2, private: 3, user: 4 };
const rank = (kind: string) => KIND_RANK[kind] ?? 5;

/**
 * The evidence as a transcript by place: each place once, the one with the reported message
 * first, then the others in the order of their first line; lines by time then sequence. A
 * message captured twice (around the reported one and among the user's recent messages, same
 * msgid and place) is shown once, as its most telling kind.
 */
export function groupEvidence(evidence: readonly Evidence[]): EvidenceGroup[] {
  const sorted = [...evidence].sort((a, b) => a.timeMs - b.timeMs || a.seq - b.seq);
  const groups = new Map<string, EvidenceGroup>();
  for (const e of sorted) {
    let g = groups.get(e.place);
    if (!g) groups.set(e.place, (g = { place: e.place, private: true, reported: false, lines: [] }));
    const twin = e.msgid ? g.lines.findIndex((l) => l.msgid === e.msgid && l.kind !== 'topic' && e.kind !== 'topic') : -1;
    if (twin >= 0) {
      if (rank(e.kind) < rank(g.lines[twin].kind)) g.lines[twin] = e;
    } else g.lines.push(e);
  }
  for (const g of groups.values()) {
    g.private = g.place === 'private' || g.lines.every((l) => l.kind === 'private');
    g.reported = g.lines.some((l) => l.kind === 'reported');
  }
  const list = [...groups.values()];
  return [...list.filter((g) => g.reported), ...list.filter((g) => !g.reported)];
}

/** A console failure in words (a lockout says how long to wait). */
export function describeConsoleError(t: T, e: ConsoleError): string {
  if (e.key === 'console.err.lockedOut') return t(e.key, waitInWords(t, Number(e.args[0] ?? 0)));
  return t(e.key, ...e.args);
}
