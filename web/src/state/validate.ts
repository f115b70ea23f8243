// Validation of the join form and of messages, before anything is sent. The server checks
// again; these give the reason at once, in words.
import { checkNick, sanitizeNick, alternativeNick, DEFAULT_NICK_LENGTH } from '../irc/nick';
import { utf8Length } from '../irc/message';
import type { Gender, Profile } from './reducer';

export const TOWN_MAX = 40;
export const MESSAGE_MAX_BYTES = 400;

export interface FieldError {
  key: string;
  args: (string | number)[];
}

export interface JoinFormValues {
  nick: string;
  age: string;
  gender: Gender;
  town: string;
}

export interface JoinFormResult {
  errors: Partial<Record<'nick' | 'age' | 'town', FieldError>>;
  /** A valid nick close to the one typed, when the nick is refused. */
  suggestion?: string;
  profile?: Profile;
  nick?: string;
}

export function nickError(nick: string, max = DEFAULT_NICK_LENGTH): FieldError | null {
  const problem = checkNick(nick, max);
  if (!problem) return null;
  switch (problem.kind) {
    case 'empty':
      return { key: 'nick.empty', args: [] };
    case 'tooLong':
      return { key: 'nick.tooLong', args: [problem.max] };
    case 'badStart':
      return { key: 'nick.badStart', args: [problem.char] };
    case 'badChar':
      return { key: 'nick.badChar', args: [problem.char === ' ' ? '␣' : problem.char] };
  }
}

export function validateJoinForm(v: JoinFormValues): JoinFormResult {
  const errors: JoinFormResult['errors'] = {};
  const nick = v.nick.trim();
  const ne = nickError(nick);
  let suggestion: string | undefined;
  if (ne) {
    errors.nick = ne;
    if (nick) suggestion = sanitizeNick(nick);
  }

  const ageText = v.age.trim();
  let age = NaN;
  if (!ageText) errors.age = { key: 'age.empty', args: [] };
  else if (!/^[0-9]+$/.test(ageText)) errors.age = { key: 'age.notNumber', args: [] };
  else {
    age = Number.parseInt(ageText, 10);
    if (age < 1 || age > 120) errors.age = { key: 'age.range', args: [] };
  }

  const town = v.town.trim();
  if ([...town].length > TOWN_MAX) errors.town = { key: 'town.tooLong', args: [[...town].length] };
  else if (utf8Length(town) > TOWN_MAX) errors.town = { key: 'town.tooLong', args: [utf8Length(town)] };
  // eslint-disable-next-line no-control-regex
  else if (/[\x00-\x1f\x7f]/.test(town)) errors.town = { key: 'town.control', args: [] };

  if (Object.keys(errors).length > 0) return { errors, suggestion };
  return { errors, nick, profile: { age, gender: v.gender, town } };
}

/** Suggestion shown when the server says a nick is taken. */
export function suggestionFor(nick: string, attempt = 1): string {
  return alternativeNick(nick, attempt);
}

export function messageError(text: string, max = MESSAGE_MAX_BYTES): FieldError | null {
  if (!text.trim()) return { key: 'composer.empty', args: [] };
  const bytes = utf8Length(text);
  if (bytes > max) return { key: 'composer.tooLong', args: [bytes, max] };
  return null;
}

export const PASSWORD_MIN_BYTES = 8;
export const PASSWORD_MAX_BYTES = 300;

/**
 * A new password as the server will judge it (docs/account-protocol.md): 8 to 300 bytes, not
 * the account name. Spaces are refused here although REGISTER would take them, because
 * `ACCOUNT PASSWORD <old> <new>` carries the old one as a middle parameter: a password with a
 * space could never be changed.
 */
export function newPasswordError(password: string, account: string): FieldError | null {
  if (!password) return { key: 'account.pw.empty', args: [] };
  const bytes = utf8Length(password);
  if (bytes < PASSWORD_MIN_BYTES) return { key: 'account.pw.short', args: [PASSWORD_MIN_BYTES] };
  if (bytes > PASSWORD_MAX_BYTES) return { key: 'account.pw.long', args: [PASSWORD_MAX_BYTES] };
  if (/\s/.test(password)) return { key: 'account.pw.spaces', args: [] };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(password)) return { key: 'account.pw.control', args: [] };
  if (account && password.toLowerCase() === account.toLowerCase()) return { key: 'account.pw.sameAsName', args: [] };
  return null;
}

/** The confirmation field of a new password. */
export function confirmError(password: string, confirmation: string): FieldError | null {
  return password === confirmation ? null : { key: 'account.pw.mismatch', args: [] };
}

/** A password given to log in or to confirm an action: only what cannot be sent is refused. */
export function existingPasswordError(password: string, middle = false): FieldError | null {
  if (!password) return { key: 'account.pw.empty', args: [] };
  // eslint-disable-next-line no-control-regex
  if (/[\r\n\0]/.test(password)) return { key: 'account.pw.control', args: [] };
  if (middle && (/ /.test(password) || password.startsWith(':'))) return { key: 'account.pw.cannotSend', args: [] };
  return null;
}
