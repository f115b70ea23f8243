// Sending what the composer holds: with `draft/multiline`, one batch per message (several
// when it passes the server's max-bytes or max-lines), long lines cut with
// `draft/multiline-concat`; without it, one PRIVMSG per non-blank line. Pure: returns the
// IRC lines, session.ts sends them.
import { serialize, utf8Length } from './message';

export interface MultilineLimits {
  maxBytes: number;
  /** 0: the server gives no line limit. */
  maxLines: number;
}

/** The value of `draft/multiline=max-bytes=4096,max-lines=24`; null without a usable max-bytes. */
export function parseMultilineCap(value: string | undefined): MultilineLimits | null {
  if (value === undefined) return null;
  let maxBytes = 0;
  let maxLines = 0;
  for (const token of value.split(',')) {
    const [k, v = ''] = token.split('=');
    const n = /^[0-9]+$/.test(v) ? Number.parseInt(v, 10) : 0;
    if (k === 'max-bytes') maxBytes = n;
    else if (k === 'max-lines') maxLines = n;
  }
  return maxBytes > 0 ? { maxBytes, maxLines } : null;
}

/** One PRIVMSG of a batch: its text, and whether it continues the previous one (concat). */
export interface Part {
  text: string;
  concat: boolean;
}

/**
 * Cuts one line into pieces of at most `max` UTF-8 bytes, between words when it can (the space
 * stays at the end of a piece, as the multiline spec recommends) and never inside a character.
 */
export function splitLine(line: string, max: number): string[] {
  const out: string[] = [];
  let rest = [...line]; // code points
  while (utf8Length(rest.join('')) > max) {
    let bytes = 0;
    let cut = 0;
    while (cut < rest.length && bytes + utf8Length(rest[cut]) <= max) bytes += utf8Length(rest[cut++]);
    if (cut === 0) cut = 1; // a character wider than max: sent whole rather than never
    // Back up to just after the last space of the piece, unless that leaves it empty.
    let space = cut;
    while (space > 0 && rest[space - 1] !== ' ') space--;
    if (space > 0) cut = space;
    out.push(rest.slice(0, cut).join(''));
    rest = rest.slice(cut);
  }
  out.push(rest.join(''));
  return out;
}

/** Composer text as lines: CRLF/CR made LF, blank lines at the start and the end dropped. */
export function composerLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  while (lines.length && lines[0].trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
  return lines;
}

/**
 * Groups lines into batches within the limits: the bytes of the parts plus one per line feed
 * joining them (concat parts join with none) at most maxBytes, at most maxLines parts. A batch
 * never starts or ends with a blank line (the spec forbids a batch of blank lines only).
 */
export function planBatches(lines: string[], limits: MultilineLimits, lineBytes: number): Part[][] {
  const maxLines = limits.maxLines > 0 ? limits.maxLines : Number.POSITIVE_INFINITY;
  const pieceBytes = Math.max(1, Math.min(lineBytes, limits.maxBytes));
  const batches: Part[][] = [];
  let current: Part[] = [];
  let bytes = 0;
  const close = () => {
    while (current.length && current[current.length - 1].text === '') current.pop();
    if (current.length) batches.push(current);
    current = [];
    bytes = 0;
  };
  for (const line of lines) {
    const pieces = line === '' ? [''] : splitLine(line, pieceBytes);
    pieces.forEach((text, i) => {
      const concat = i > 0;
      const cost = utf8Length(text) + (current.length > 0 && !concat ? 1 : 0);
      if (current.length > 0 && (bytes + cost > limits.maxBytes || current.length + 1 > maxLines)) close();
      if (current.length === 0 && text === '') return; // no blank line at the start of a batch
      // A piece that starts a batch starts a line there, whatever it continued before.
      const part: Part = { text, concat: concat && current.length > 0 };
      bytes += utf8Length(text) + (current.length > 0 && !part.concat ? 1 : 0);
      current.push(part);
    });
  }
  close();
  return batches;
}

/** The IRC lines of one multiline batch; `tags` (client tags such as +draft/reply) go on BATCH. */
export function batchLines(ref: string, command: 'PRIVMSG' | 'NOTICE', target: string, parts: Part[], tags: Record<string, string> = {}): string[] {
  const out = [serialize({ tags, command: 'BATCH', params: ['+' + ref, 'draft/multiline', target] })];
  for (const p of parts) {
    const partTags: Record<string, string> = { batch: ref };
    if (p.concat) partTags['draft/multiline-concat'] = '';
    out.push(serialize({ tags: partTags, command, params: [target, p.text], trailing: true }));
  }
  out.push(serialize({ command: 'BATCH', params: ['-' + ref] }));
  return out;
}

/** Without draft/multiline, at most this many lines go out at once (one PRIVMSG each). */
export const MAX_PLAIN_LINES = 10;
/**
 * With draft/multiline, a message is at most this many batches' worth: MAX_BATCHES × max-bytes
 * bytes and MAX_BATCHES × max-lines lines (a batch fills up a little short of max-bytes, so
 * this can make a batch more).
 */
export const MAX_BATCHES = 4;

export type ComposerPlan =
  | { kind: 'lines'; lines: string[] }
  | { kind: 'batches'; batches: Part[][] }
  | { kind: 'error'; key: string; args: (string | number)[] };

/**
 * What sending the composer's text means. `lineBytes` is the most one PRIVMSG may carry.
 * Without multiline: its non-blank lines, each within `lineBytes`. With it: one line within
 * `lineBytes` goes as it is; anything else in batches, within composerMaxBytes() and
 * MAX_BATCHES × max-lines lines.
 */
export function planComposer(text: string, limits: MultilineLimits | null, lineBytes: number): ComposerPlan {
  const lines = composerLines(text);
  if (lines.length === 0) return { kind: 'error', key: 'composer.empty', args: [] };
  if (!limits || (lines.length === 1 && utf8Length(lines[0]) <= lineBytes)) {
    const nonBlank = lines.filter((l) => l.trim() !== '');
    const longest = nonBlank.reduce((m, l) => Math.max(m, utf8Length(l)), 0);
    if (longest > lineBytes) return { kind: 'error', key: 'composer.tooLong', args: [longest, lineBytes] };
    if (nonBlank.length > MAX_PLAIN_LINES) return { kind: 'error', key: 'composer.tooManyLines', args: [nonBlank.length, MAX_PLAIN_LINES] };
    return { kind: 'lines', lines: nonBlank };
  }
  const bytes = utf8Length(lines.join('\n'));
  if (bytes > composerMaxBytes(limits, lineBytes)) return { kind: 'error', key: 'composer.tooLong', args: [bytes, composerMaxBytes(limits, lineBytes)] };
  if (limits.maxLines > 0 && lines.length > MAX_BATCHES * limits.maxLines) {
    return { kind: 'error', key: 'composer.tooManyLines', args: [lines.length, MAX_BATCHES * limits.maxLines] };
  }
  return { kind: 'batches', batches: planBatches(lines, limits, lineBytes) };
}

/** The most the composer takes: one line without multiline, MAX_BATCHES batches with it. */
export function composerMaxBytes(limits: MultilineLimits | null, lineBytes: number): number {
  return limits ? MAX_BATCHES * limits.maxBytes : lineBytes;
}

/** The message a batch's parts stand for (as the receiver assembles it). */
export function partsText(parts: Part[]): string {
  return parts.map((p, i) => (i > 0 && !p.concat ? '\n' : '') + p.text).join('');
}
