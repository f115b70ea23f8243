// Account replies in a form the UI can put in words, and the assembly of ACCOUNT EXPORT
// chunks. Pure functions; the protocol is docs/account-protocol.md. session.ts routes the
// replies of the operation in flight here; settings and the join form show the result.
import type { IrcMessage } from '../irc/message';
import { utf8Length } from '../irc/message';

/** Why an account operation failed: an i18n key (account.err.*) and its arguments. */
export interface AccountError {
  key: string;
  /** For account.err.rateLimited: the seconds to wait, as a string. */
  args: string[];
}

/** Standard-reply codes shared by REGISTER, AUTHENTICATE and ACCOUNT, and their i18n key. */
const CODES: Record<string, string> = {
  ACCOUNT_EXISTS: 'exists',
  BAD_ACCOUNT_NAME: 'badName',
  ACCOUNT_NAME_MUST_BE_NICK: 'nameMustBeNick',
  NEED_NICK: 'needNick',
  ALREADY_AUTHENTICATED: 'alreadyLoggedIn',
  WEAK_PASSWORD: 'weakPassword',
  BAD_PASSWORD: 'badPassword',
  INVALID_EMAIL: 'email',
  EMAIL_REQUIRED: 'email',
  TEMPORARILY_UNAVAILABLE: 'unavailable',
  NOT_LOGGED_IN: 'notLoggedIn',
  NO_SUCH_ACCOUNT: 'noSuchAccount',
  RATE_LIMITED: 'rateLimited',
};

/** Codes whose first context parameter is the account name (shown in the message). */
const NAMED = new Set(['ACCOUNT_EXISTS', 'BAD_ACCOUNT_NAME']);

/**
 * `FAIL <command> <code> [<context>...] :<description>` as an AccountError. Unknown codes keep
 * the server's own description (account.err.server).
 */
export function failToError(code: string, context: string[], description: string): AccountError {
  const name = CODES[code];
  if (!name) return { key: 'account.err.server', args: [description || code] };
  if (code === 'RATE_LIMITED') {
    const wait = Number.parseInt(context[0] ?? '', 10);
    if (Number.isFinite(wait) && wait >= 0) return { key: 'account.err.rateLimited', args: [String(wait)] };
    return { key: 'account.err.rateLimitedNoWait', args: [] };
  }
  return { key: `account.err.${name}`, args: NAMED.has(code) && context[0] ? [context[0]] : [] };
}

/** SASL numerics that end an exchange unsuccessfully. */
const SASL_FAILURES: Record<string, string> = {
  '902': 'account.err.loginFailed', // ERR_NICKLOCKED
  '904': 'account.err.loginFailed',
  '905': 'account.err.tooLong',
  '906': 'account.err.aborted',
  '907': 'account.err.alreadyLoggedIn',
};

export function saslFailure(numeric: string): AccountError | null {
  const key = SASL_FAILURES[numeric];
  return key ? { key, args: [] } : null;
}

export const NOT_SUPPORTED: AccountError = { key: 'account.err.notSupported', args: [] };
export const NO_ANSWER: AccountError = { key: 'account.err.noAnswer', args: [] };
export const OFFLINE: AccountError = { key: 'account.err.offline', args: [] };

/** A standard reply (FAIL/WARN/NOTE) split into its parts, or null for anything else. */
export function standardReply(msg: IrcMessage): { kind: string; command: string; code: string; context: string[]; description: string } | null {
  if (msg.command !== 'FAIL' && msg.command !== 'WARN' && msg.command !== 'NOTE') return null;
  const p = msg.params;
  if (p.length < 2) return null;
  return {
    kind: msg.command,
    command: p[0].toUpperCase(),
    code: p[1],
    context: p.slice(2, -1),
    description: p.length > 2 ? p[p.length - 1] : '',
  };
}

// ---------------------------------------------------------------------------------------------
// ACCOUNT EXPORT

export type ExportResult = { ok: true; json: string } | { ok: false; error: AccountError };

/**
 * Joins the `ACCOUNT EXPORT DATA` chunks and checks them against the byte count announced by
 * `ACCOUNT EXPORT END :<bytes>`: the result must be that many UTF-8 bytes and one JSON document.
 */
export function assembleExport(chunks: readonly string[], declaredBytes: string): ExportResult {
  const json = chunks.join('');
  const declared = Number.parseInt(declaredBytes, 10);
  if (/^[0-9]+$/.test(declaredBytes) && declared !== utf8Length(json)) {
    return { ok: false, error: { key: 'account.err.exportBroken', args: [] } };
  }
  try {
    JSON.parse(json);
  } catch {
    return { ok: false, error: { key: 'account.err.exportBroken', args: [] } };
  }
  return { ok: true, json };
}

/** File name for the download: salon-account-<name>-<YYYY-MM-DD>.json. */
export function exportFileName(account: string, date: Date): string {
  const safe = account.replace(/[^A-Za-z0-9_-]/g, '_');
  return `salon-account-${safe}-${date.toISOString().slice(0, 10)}.json`;
}
