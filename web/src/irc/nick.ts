// Nickname rules, the same as the server's (src/protocol/irc/names.cc): letters, digits and
// [ ] \ ` _ ^ { | } -, not starting with a digit or '-', at most NICKLEN (30) bytes.

export const DEFAULT_NICK_LENGTH = 30;

export type NickProblem =
  | { kind: 'empty' }
  | { kind: 'tooLong'; max: number }
  | { kind: 'badStart'; char: string }
  | { kind: 'badChar'; char: string };

const SPECIAL = '[]\\`_^{|}';

function isLetter(c: string) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
function isDigit(c: string) {
  return c >= '0' && c <= '9';
}
function allowedFirst(c: string) {
  return isLetter(c) || SPECIAL.includes(c);
}
function allowed(c: string) {
  return allowedFirst(c) || isDigit(c) || c === '-';
}

/** Returns null when the nick is valid, else the first problem found. */
export function checkNick(nick: string, max = DEFAULT_NICK_LENGTH): NickProblem | null {
  if (nick.length === 0) return { kind: 'empty' };
  const chars = [...nick];
  if (!allowedFirst(chars[0])) {
    if (allowed(chars[0])) return { kind: 'badStart', char: chars[0] };
    return { kind: 'badChar', char: chars[0] };
  }
  for (const c of chars) if (!allowed(c)) return { kind: 'badChar', char: c };
  if (nick.length > max) return { kind: 'tooLong', max };
  return null;
}

/**
 * A valid nick close to what the person typed: accents removed (Zoé → Zoe), spaces and other
 * characters turned into '_', leading digits/dashes moved behind a letter, cut to the limit.
 */
export function sanitizeNick(input: string, max = DEFAULT_NICK_LENGTH): string {
  const ascii = input.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  let out = '';
  for (const c of ascii.trim()) {
    if (allowed(c)) out += c;
    else if (/\s/.test(c) || c === '.' || c === '\'') out += '_';
  }
  out = out.replace(/_+/g, '_');
  if (out && !allowedFirst(out[0])) out = 'U' + out;
  if (!out.replace(/_/g, '')) out = 'Guest';
  return out.slice(0, max);
}

/**
 * A suggestion for a nick that is taken: the same with a number (or '_' when there is no
 * room for one). `attempt` varies the number.
 */
export function alternativeNick(nick: string, attempt = 1, max = DEFAULT_NICK_LENGTH): string {
  const base = sanitizeNick(nick, max);
  const suffix = String(10 + ((attempt * 37 + base.length * 11) % 90));
  if (base.length + suffix.length <= max) return base + suffix;
  return base.slice(0, max - suffix.length) + suffix;
}
