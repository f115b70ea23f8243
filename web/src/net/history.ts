// Which CHATHISTORY command brings a conversation up to date (draft/chathistory). On a first
// join, the room's latest messages; when messages are already shown (a rejoin after a
// reconnection, a reloaded tab that kept them), only those after the newest one shown.
//
// The reference for AFTER is the newest message's server time rather than its msgid: the
// server's in-memory window forgets old msgids (and a restart all of them), and an unknown
// msgid would give nothing, while a timestamp still gives whatever the window holds after it.
// A message replayed twice is dropped by its msgid (reducer).
import { line, type IrcMessage } from '../irc/message';
import type { Line } from '../state/reducer';
import { isMessageLine } from '../state/history';

/** Messages asked for per request (the server's default window is 50). */
export const HISTORY_PAGE = 50;
/** AFTER pages asked in a row when each comes back full. */
export const HISTORY_MAX_PAGES = 4;

/** The page size within the server's CHATHISTORY=<max> (0: not given). */
export function historyLimit(serverMax: number): number {
  return serverMax > 0 ? Math.min(HISTORY_PAGE, serverMax) : HISTORY_PAGE;
}

export function historyCommand(target: string, lines: readonly Line[], limit: number): string {
  let newest = 0;
  // Messages stamped by the server only: not the join that triggers the request, which is
  // newer than what is missing.
  for (const l of lines) if (l.msgid && isMessageLine(l) && l.time > newest) newest = l.time;
  if (newest === 0) return line('CHATHISTORY', 'LATEST', target, '*', String(limit));
  return line('CHATHISTORY', 'AFTER', target, `timestamp=${new Date(newest).toISOString()}`, String(limit));
}

/** Server time of the newest message of a history page (0 when none has a time). */
export function newestTime(messages: readonly IrcMessage[]): number {
  let t = 0;
  for (const m of messages) {
    const v = Date.parse(m.tags['time'] ?? '');
    if (!Number.isNaN(v) && v > t) t = v;
  }
  return t;
}
