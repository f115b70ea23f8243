// Conversation history in the chat state: merging replayed messages (a chathistory batch)
// into a conversation without duplicates (by msgid), reactions attached to their message, and
// the read position behind the "new messages" divider. Pure helpers used by reducer.ts.
import type { Line } from './reducer';

/** Lines that are messages from someone (what history replays and the divider is about). */
export function isMessageLine(l: Pick<Line, 'kind'>): boolean {
  return l.kind === 'message' || l.kind === 'action' || l.kind === 'notice';
}

export function findByMsgid(lines: readonly Line[], msgid: string): number {
  // Newest first: a live message and its replay are close to the end.
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i].msgid === msgid) return i;
  return -1;
}

/** Server time of the newest message, 0 when there is none. */
export function latestMessageTime(lines: readonly Line[]): number {
  let t = 0;
  for (const l of lines) if (isMessageLine(l) && l.time > t) t = l.time;
  return t;
}

/** Messages from others newer than `after`: what the user has not seen. */
export function unseen(lines: readonly Line[], after: number): number {
  let n = 0;
  for (const l of lines) if (isMessageLine(l) && !l.self && l.time > after) n++;
  return n;
}

/**
 * Merges `incoming` into `lines`, which keep their own order: each incoming line goes after
 * the last existing line that is not later than it (equal times: the existing line first).
 * "After the last", not "before the first later one", so that a line stamped with the local
 * clock (an error, a join without server-time) cannot pull replayed messages above it.
 */
export function mergeByTime(lines: readonly Line[], incoming: readonly Line[]): Line[] {
  if (incoming.length === 0) return [...lines];
  const sorted = [...incoming].sort((a, b) => a.time - b.time);
  // Insertion point of each incoming line: non-decreasing, as the lines are sorted.
  const at = sorted.map((l) => {
    let i = lines.length - 1;
    while (i >= 0 && lines[i].time > l.time) i--;
    return i + 1;
  });
  const out: Line[] = [];
  let j = 0;
  for (let i = 0; i <= lines.length; i++) {
    while (j < sorted.length && at[j] === i) out.push(sorted[j++]);
    if (i < lines.length) out.push(lines[i]);
  }
  return out;
}

/** A reaction value is shown only when short (the spec leaves restrictions to clients). */
export const MAX_REACTION_BYTES = 64;
/** Distinct reactions kept on one message. */
export const MAX_REACTIONS = 20;

const encoder = new TextEncoder();

/** The line with `nick`'s reaction added (once per nick and reaction). */
export function withReaction(line: Line, emoji: string, nick: string, same: (a: string, b: string) => boolean): Line {
  if (!emoji || encoder.encode(emoji).length > MAX_REACTION_BYTES) return line;
  const reactions = { ...(line.reactions ?? {}) };
  const nicks = reactions[emoji] ?? [];
  if (nicks.some((n) => same(n, nick))) return line;
  if (!reactions[emoji] && Object.keys(reactions).length >= MAX_REACTIONS) return line;
  reactions[emoji] = [...nicks, nick];
  return { ...line, reactions };
}
