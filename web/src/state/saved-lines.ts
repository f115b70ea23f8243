// The recent messages of each conversation and how far they were read, kept in
// sessionStorage with the resume record (resume.ts) so that a reloaded tab shows them at once
// and asks the server only for what came after (CHATHISTORY AFTER). Same lifetime and
// exposure as the resume record: one tab, gone when it closes, cleared on quit and logout.
// Pure functions: main.tsx does the storing.
import type { ChatState, Line, LineKind } from './reducer';
import { isMessageLine } from './history';

export const LINES_KEY = 'salon.lines';
/** Messages kept per conversation (the server's in-memory window is 50 by default). */
export const SAVED_LINES_PER_BUFFER = 100;

export type SavedLine = Omit<Line, 'id' | 'key' | 'args' | 'target'>;

export interface SavedLines {
  v: 1;
  /** Keyed by conversation name as shown ("#room", "bob"). */
  buffers: Record<string, { read: number; lines: SavedLine[] }>;
}

export function linesFromState(state: ChatState): SavedLines {
  const buffers: SavedLines['buffers'] = {};
  for (const k of state.order) {
    const b = state.buffers[k];
    if (!b || b.kind === 'server') continue;
    const lines = b.lines
      .filter(isMessageLine)
      .slice(-SAVED_LINES_PER_BUFFER)
      .map(({ id: _id, key: _key, args: _args, target: _target, ...rest }) => rest);
    if (lines.length || b.readUpTo) buffers[b.name] = { read: b.readUpTo, lines };
  }
  return { v: 1, buffers };
}

const KINDS: LineKind[] = ['message', 'action', 'notice'];
const isString = (x: unknown): x is string => typeof x === 'string';

function parseLine(x: unknown): SavedLine | null {
  if (!x || typeof x !== 'object') return null;
  const o = x as Record<string, unknown>;
  if (typeof o.time !== 'number' || !KINDS.includes(o.kind as LineKind)) return null;
  const line: SavedLine = { time: o.time, kind: o.kind as LineKind };
  if (isString(o.nick)) line.nick = o.nick;
  if (isString(o.text)) line.text = o.text;
  if (o.self === true) line.self = true;
  if (isString(o.msgid)) line.msgid = o.msgid;
  if (isString(o.replyTo)) line.replyTo = o.replyTo;
  if (o.reactions && typeof o.reactions === 'object') {
    const reactions: Record<string, string[]> = {};
    for (const [emoji, nicks] of Object.entries(o.reactions as Record<string, unknown>)) {
      if (Array.isArray(nicks) && nicks.every(isString)) reactions[emoji] = [...nicks];
    }
    line.reactions = reactions;
  }
  return line;
}

/** Reads the stored record; anything malformed gives null, a bad line is skipped. */
export function parseSavedLines(text: string | null): SavedLines | null {
  if (!text) return null;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return null;
  }
  if (!v || typeof v !== 'object' || (v as { v?: unknown }).v !== 1) return null;
  const raw = (v as { buffers?: unknown }).buffers;
  if (!raw || typeof raw !== 'object') return null;
  const buffers: SavedLines['buffers'] = {};
  for (const [name, entry] of Object.entries(raw as Record<string, unknown>)) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as { read?: unknown; lines?: unknown };
    if (typeof e.read !== 'number' || !Array.isArray(e.lines)) continue;
    const lines = e.lines.map(parseLine).filter((l): l is SavedLine => l !== null);
    buffers[name] = { read: e.read, lines: lines.slice(-SAVED_LINES_PER_BUFFER) };
  }
  return { v: 1, buffers };
}
