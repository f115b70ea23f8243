// Presentation helpers: nick colours (all with at least 4.5:1 contrast on the message
// backgrounds, checked by format.test.ts), times, byte limits.
import type { Line } from '../state/reducer';
import { daysBefore } from '../state/timeline';

export const NICK_COLOURS = [
  '#b3261e',
  '#a3440b',
  '#7a5900',
  '#2e7d32',
  '#00695c',
  '#0b57d0',
  '#5b3cc4',
  '#8e24aa',
  '#c2185b',
  '#37474f',
  '#6d4c41',
  '#1565c0',
];

/** Backgrounds nick colours are drawn on (see styles.css: --bg, --own-bg, --panel). */
export const TEXT_BACKGROUNDS = ['#ffffff', '#eef4fb', '#f6f7f9'];

export function nickColour(nick: string): string {
  // FNV-1a: spreads short, similar nicks better than a multiplicative hash.
  let h = 0x811c9dc5;
  for (const c of nick.toLowerCase()) {
    h ^= c.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return NICK_COLOURS[h % NICK_COLOURS.length];
}

function channel(v: number): number {
  const s = v / 255;
  return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

export function luminance(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return 0.2126 * channel((n >> 16) & 255) + 0.7152 * channel((n >> 8) & 255) + 0.0722 * channel(n & 255);
}

export function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

export function formatTime(time: number, lang: string): string {
  return new Date(time).toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
}

export function isoTime(time: number): string {
  return new Date(time).toISOString();
}

/** Room message text limit in UTF-8 bytes (the IRC line is 512 with the prefix). */
export const MAX_MESSAGE_BYTES = 400;

export function isSystemLine(l: Line): boolean {
  return l.kind !== 'message' && l.kind !== 'action' && l.kind !== 'notice';
}

/**
 * The words of a date separator: "Today", "Yesterday", a weekday within the week, else the
 * date (with the year when it is not this one). `today` and `yesterday` come from i18n.
 */
export function formatDay(day: number, now: number, lang: string, words: { today: string; yesterday: string }): string {
  const ago = daysBefore(day, now);
  if (ago === 0) return words.today;
  if (ago === 1) return words.yesterday;
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const d = new Date(day);
  const options: Intl.DateTimeFormatOptions =
    ago > 1 && ago < 7
      ? { weekday: 'long' }
      : { weekday: 'long', day: 'numeric', month: 'long', ...(d.getFullYear() !== new Date(now).getFullYear() ? { year: 'numeric' } : {}) };
  const text = d.toLocaleDateString(locale, options);
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The start of a message quoted in a reply: its first line, at most `max` characters. */
export function excerpt(text: string, max = 60): string {
  const first = text.split('\n').find((l) => l.trim() !== '') ?? '';
  const chars = [...first.trim()];
  return chars.length > max ? chars.slice(0, max - 1).join('').trimEnd() + '…' : chars.join('');
}
