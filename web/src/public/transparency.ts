// The public transparency figures (GET /api/transparency; DSA Art. 15/24): the answer read
// into a type (counts that are not numbers become 0, so one bad value does not hide the page),
// the rows of each table in a stable order, and the median time to decision in words. Pure.
import type { Lang } from '../i18n';
import { NOTICE_CATEGORIES } from './notice';

export interface Count {
  key: string;
  n: number;
}

export interface Transparency {
  generatedMs: number;
  /** The oldest record counted; 0 when there is none yet. */
  sinceMs: number;
  notices: { total: number; byCategory: Count[]; bySource: Count[] };
  decisions: { total: number; byOutcome: Count[]; medianMs: number | null };
  actions: { total: number; byType: Count[] };
}

export const SOURCES = ['users', 'public_form', 'trusted_flaggers'];
export const OUTCOMES = ['action_taken', 'no_action', 'duplicate'];
/** Action types with words; the server may send others, shown as they come after these. */
export const ACTION_TYPES = ['warn', 'mute', 'kick', 'ban', 'strike', 'lift', 'held_drop'];

type Json = Record<string, unknown>;
function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.floor(v) : 0);

/**
 * The rows of a table: the known keys first in their order (0 when the server left one out,
 * unless `onlyPresent`: action types this server does not have are not invented), then any
 * other key the server sent, alphabetically.
 */
export function rows(counts: unknown, known: readonly string[], onlyPresent = false): Count[] {
  const o = isObject(counts) ? counts : {};
  const others = Object.keys(o)
    .filter((k) => !known.includes(k))
    .sort();
  const first = onlyPresent ? known.filter((k) => k in o) : known;
  return [...first, ...others].map((key) => ({ key, n: count(o[key]) }));
}

const sum = (cs: Count[]) => cs.reduce((a, c) => a + c.n, 0);

export function parseTransparency(body: unknown): Transparency | null {
  if (!isObject(body) || !isObject(body.notices)) return null;
  const notices = body.notices;
  const decisions = isObject(body.decisions) ? body.decisions : {};
  const actions = isObject(body.actions) ? body.actions : {};
  const byCategory = rows(notices.by_category, NOTICE_CATEGORIES);
  const byOutcome = rows(decisions.by_outcome, OUTCOMES);
  const byType = rows(actions.by_type, ACTION_TYPES, true);
  const median = decisions.median_ms_to_decision;
  // A total the server leaves out is the sum of its table.
  const total = (v: unknown, cs: Count[]) => (typeof v === 'number' ? count(v) : sum(cs));
  return {
    generatedMs: count(body.generated_ms),
    sinceMs: count(body.since_ms),
    notices: { total: total(notices.total, byCategory), byCategory, bySource: rows(notices.by_source, SOURCES) },
    decisions: { total: total(decisions.total, byOutcome), byOutcome, medianMs: typeof median === 'number' && Number.isFinite(median) && median >= 0 ? median : null },
    actions: { total: total(actions.total, byType), byType },
  };
}

const UNITS: Record<Lang, { d: string; h: string; min: string; s: string }> = {
  en: { d: 'd', h: 'h', min: 'min', s: 's' },
  fr: { d: 'j', h: 'h', min: 'min', s: 's' },
};

/**
 * A duration in its two largest units, rounded down: "2 h 5 min", "3 d 4 h", "45 s",
 * "3 j 4 h" in French. A non-breaking space keeps a number with its unit on one line.
 */
export function humanDuration(ms: number, lang: Lang): string {
  const u = UNITS[lang];
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 60) return `${total}\u00a0${u.s}`;
  const parts: [number, string][] = [
    [Math.floor(total / 86400), u.d],
    [Math.floor((total % 86400) / 3600), u.h],
    [Math.floor((total % 3600) / 60), u.min],
    [total % 60, u.s],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n], i) => i === 0 || n > 0)
    .map(([n, unit]) => `${n}\u00a0${unit}`)
    .join(' ');
}

function locale(lang: Lang): string {
  return lang === 'fr' ? 'fr-FR' : 'en-GB';
}

/** A count with the language's digit grouping ("1,234", "1 234"). */
export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(locale(lang)).format(n);
}

/** A date and time in local time: "2 Dec 2026, 16:05". */
export function formatDateTime(ms: number, lang: Lang): string {
  return new Date(ms).toLocaleString(locale(lang), { dateStyle: 'medium', timeStyle: 'short' });
}

/** A share of a total as a whole percentage, "" when the total is 0. */
export function share(n: number, total: number, lang: Lang): string {
  if (total <= 0) return '';
  return new Intl.NumberFormat(locale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(n / total);
}
