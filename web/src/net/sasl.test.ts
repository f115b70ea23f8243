import { describe, expect, it } from 'vitest';
import { AUTHENTICATE_CHUNK, authenticateChunks, base64Utf8, plainPayload } from './sasl';

/** Decodes base64 to the UTF-8 string, independently of the encoder under test. */
function decode(b64: string): string {
  return new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
}

describe('SASL PLAIN payload', () => {
  it('is base64 of NUL account NUL password', () => {
    expect(plainPayload('alice', 'secret12')).toBe('AGFsaWNlAHNlY3JldDEy');
    expect(decode(plainPayload('alice', 'secret12'))).toBe('\0alice\0secret12');
  });

  it('encodes non-ASCII text as UTF-8', () => {
    expect(base64Utf8('é')).toBe('w6k=');
    expect(decode(plainPayload('zoé', 'mot-de-passe-été-🎉'))).toBe('\0zoé\0mot-de-passe-été-🎉');
  });
});

describe('AUTHENTICATE chunks', () => {
  it('sends a short payload in one line', () => {
    expect(authenticateChunks('AGFsaWNlAHNlY3JldDEy')).toEqual(['AGFsaWNlAHNlY3JldDEy']);
  });

  it('sends "+" for an empty payload', () => {
    expect(authenticateChunks('')).toEqual(['+']);
  });

  it('splits at 400 characters and ends an exact multiple with "+"', () => {
    const exact = 'A'.repeat(800);
    expect(authenticateChunks(exact)).toEqual(['A'.repeat(400), 'A'.repeat(400), '+']);
    const over = 'B'.repeat(401);
    expect(authenticateChunks(over)).toEqual(['B'.repeat(400), 'B']);
    expect(authenticateChunks('C'.repeat(399))).toEqual(['C'.repeat(399)]);
  });

  it('reassembles to the payload for a long password', () => {
    const payload = plainPayload('alice', 'p'.repeat(300) + 'é'.repeat(150));
    const chunks = authenticateChunks(payload);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.length <= AUTHENTICATE_CHUNK)).toBe(true);
    const body = chunks.filter((c) => c !== '+').join('');
    expect(body).toBe(payload);
    expect(decode(body)).toBe('\0alice\0' + 'p'.repeat(300) + 'é'.repeat(150));
  });
});
