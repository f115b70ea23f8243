// SASL PLAIN (RFC 4616) as IRCv3 SASL 3.2 carries it: the payload is base64 of UTF-8 bytes and
// goes out in AUTHENTICATE lines of at most 400 characters. Pure functions; the exchange itself
// (AUTHENTICATE PLAIN, waiting for "AUTHENTICATE +", 903/904) is driven by session.ts.

/** Longest AUTHENTICATE parameter; a payload of exactly n*400 characters ends with "+". */
export const AUTHENTICATE_CHUNK = 400;

const encoder = new TextEncoder();

/** Base64 of the UTF-8 bytes of `s` (btoa alone only takes Latin-1). */
export function base64Utf8(s: string): string {
  let binary = '';
  for (const byte of encoder.encode(s)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/**
 * The PLAIN message "authzid NUL authcid NUL password", base64-encoded. The authorization
 * identity is left empty: it means "the same as the account", which is all Salon supports.
 */
export function plainPayload(account: string, password: string): string {
  return base64Utf8(`\0${account}\0${password}`);
}

/**
 * The AUTHENTICATE parameters for one base64 payload: 400-character pieces, then "+" when the
 * last piece was exactly 400 long (so the server knows nothing follows), or "+" alone when the
 * payload is empty.
 */
export function authenticateChunks(payload: string): string[] {
  const chunks: string[] = [];
  for (let i = 0; i < payload.length; i += AUTHENTICATE_CHUNK) {
    chunks.push(payload.slice(i, i + AUTHENTICATE_CHUNK));
  }
  if (chunks.length === 0 || chunks[chunks.length - 1].length === AUTHENTICATE_CHUNK) chunks.push('+');
  return chunks;
}
