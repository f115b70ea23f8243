// Reporting a message or a person to the moderators (issue 9), the protocol side in pure
// functions: the categories in the order they are offered, the REPORT line, the room left for
// the comment in one IRC line, the server's answer, and whether the server takes reports.
//
//   REPORT <nick|#room> <category> [<msgid>] :<text>
//   -> NOTE REPORT RECEIVED <report-id> :<text>
//   -> FAIL REPORT <code> [<context>] :<text>
//
// The server advertises the command with the ISUPPORT token SALON_REPORT (or a
// salon.chat/report capability). net/report.ts sends the line and waits for its answer.
import { serialize, SerializeError, utf8Length, type IrcMessage } from '../irc/message';
import type { ChatState } from './reducer';

/** Categories, child safety first: the order the dialog offers them in. */
export const REPORT_CATEGORIES = [
  'child_abuse',
  'grooming',
  'non_consensual',
  'threat',
  'hate',
  'harassment',
  'illegal_goods',
  'spam',
  'other',
] as const;

export type ReportCategory = (typeof REPORT_CATEGORIES)[number];

/** The capability that, like the ISUPPORT token, says the server takes reports. */
export const REPORT_CAP = 'salon.chat/report';
export const REPORT_ISUPPORT = 'SALON_REPORT';

/** The comment's limit in characters, before the limit of the IRC line (see commentRoom). */
export const COMMENT_MAX_CHARS = 500;
/** An IRC line without its tags is at most 512 bytes with CR LF; the server cuts the rest. */
export const LINE_MAX_BYTES = 510;

/** What is reported: one message (by its msgid, in a room or a private conversation), or a person. */
export type ReportSubject =
  | {
      kind: 'message';
      /** The room (#name) for a message in a room; the sender's nick in a private conversation. */
      target: string;
      msgid: string;
      /** Who wrote it, and what it said (shown in the dialog, never sent: the server has it). */
      nick: string;
      text: string;
      action?: boolean;
    }
  | { kind: 'member'; target: string };

/** The server takes reports: the SALON_REPORT token, or the salon.chat/report capability. */
export function reportAvailable(state: Pick<ChatState, 'caps' | 'isupport'>): boolean {
  return state.isupport.report || state.caps.includes(REPORT_CAP);
}

/**
 * The categories to offer: ours, in our order, less those the server's SALON_REPORT=<list>
 * leaves out (all of them when it gives no list, or none of ours).
 */
export function offeredCategories(state: Pick<ChatState, 'isupport'>): ReportCategory[] {
  const listed = state.isupport.reportCategories;
  const offered = REPORT_CATEGORIES.filter((c) => listed.includes(c));
  return offered.length > 0 ? offered : [...REPORT_CATEGORIES];
}

/**
 * The comment as it is sent: a text area's line breaks (which no IRC line can carry) and other
 * control characters become spaces, runs of spaces one, the ends trimmed.
 */
export function normalizeComment(comment: string): string {
  return comment.replace(/[\x00-\x1f\x7f]+/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** The longest category name: the room for the comment does not change with the choice. */
const LONGEST_CATEGORY = REPORT_CATEGORIES.reduce((a, c) => (c.length > a.length ? c : a), '');

/**
 * How much more of the comment fits, in characters (ASCII ones: an accented letter takes two
 * bytes of the line): the smaller of what COMMENT_MAX_CHARS leaves and what the line leaves.
 * Negative when the comment is over.
 */
export function commentRoom(subject: ReportSubject, comment: string): number {
  const sent = normalizeComment(comment);
  const prefix = `REPORT ${subject.target} ${LONGEST_CATEGORY} ${subject.kind === 'message' ? `${subject.msgid} ` : ''}:`;
  const bytesLeft = LINE_MAX_BYTES - utf8Length(prefix) - utf8Length(sent);
  return Math.min(COMMENT_MAX_CHARS - [...sent].length, bytesLeft);
}

/**
 * The REPORT line for a subject, a category and a comment (possibly empty): the msgid for a
 * message, the comment always as the trailing parameter (so that ':' or spaces in it are text).
 * Throws SerializeError when the target or msgid cannot be sent as a parameter.
 */
export function reportLine(subject: ReportSubject, category: ReportCategory, comment: string): string {
  const params = [subject.target, category];
  if (subject.kind === 'message') params.push(subject.msgid);
  params.push(normalizeComment(comment));
  return serialize({ command: 'REPORT', params, trailing: true });
}

/** The server's answer to a REPORT, or why there was none. */
export type ReportResult =
  | { ok: true; id: string; text: string }
  | {
      ok: false;
      /**
       * The server's FAIL code (UNKNOWN_TARGET, UNKNOWN_MESSAGE, INVALID_CATEGORY, RATE_LIMITED,
       * TEXT_TOO_LONG, INVALID_PARAMS, or one this client does not know), or the client's own
       * reason in lower case: offline, noAnswer, notSupported, busy, cannotSend.
       */
      code: string;
      context: string[];
      text: string;
    };

/** `NOTE REPORT RECEIVED <id> :<text>` or `FAIL REPORT <code> [<context>...] :<text>`; null for any other line. */
export function parseReportReply(msg: IrcMessage): ReportResult | null {
  const p = msg.params;
  if ((p[0] ?? '').toUpperCase() !== 'REPORT' || p.length < 2) return null;
  const text = p.length > 2 ? p[p.length - 1] : '';
  if (msg.command === 'NOTE' && p[1] === 'RECEIVED' && p.length >= 4) return { ok: true, id: p[2], text };
  if (msg.command === 'FAIL') return { ok: false, code: p[1], context: p.slice(2, -1), text };
  return null;
}

/** The codes the dialog has words for (report.err.<code>); others show the server's text. */
export const KNOWN_REPORT_FAILURES = new Set([
  'UNAVAILABLE',
  'UNKNOWN_TARGET',
  'UNKNOWN_MESSAGE',
  'INVALID_CATEGORY',
  'RATE_LIMITED',
  'TEXT_TOO_LONG',
  'INVALID_PARAMS',
  'offline',
  'noAnswer',
  'notSupported',
  'busy',
  'cannotSend',
]);

/** A failure as an i18n key and its arguments: report.err.<code>, or report.err.server with the server's text. */
export function reportFailureKey(r: ReportResult & { ok: false }, target: string): { key: string; args: string[] } {
  if (!KNOWN_REPORT_FAILURES.has(r.code)) return { key: 'report.err.server', args: [r.text || r.code] };
  return { key: `report.err.${r.code}`, args: [r.context[0] ?? target] };
}

export { SerializeError };
