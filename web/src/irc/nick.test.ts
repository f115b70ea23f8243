import { describe, expect, it } from 'vitest';
import { alternativeNick, checkNick, sanitizeNick } from './nick';

describe('checkNick (same rules as the server)', () => {
  it('accepts letters, digits and the allowed punctuation', () => {
    for (const n of ['alice', 'Bob_42', '[Zoe]', '`^{|}\\_', 'a-b', 'x'.repeat(30)]) expect(checkNick(n)).toBeNull();
  });
  it('refuses with a reason', () => {
    expect(checkNick('')).toEqual({ kind: 'empty' });
    expect(checkNick('1abc')).toEqual({ kind: 'badStart', char: '1' });
    expect(checkNick('-abc')).toEqual({ kind: 'badStart', char: '-' });
    expect(checkNick('a b')).toEqual({ kind: 'badChar', char: ' ' });
    expect(checkNick('Zoé')).toEqual({ kind: 'badChar', char: 'é' });
    expect(checkNick('#chan')).toEqual({ kind: 'badChar', char: '#' });
    expect(checkNick('x'.repeat(31))).toEqual({ kind: 'tooLong', max: 30 });
    expect(checkNick('abcd', 3)).toEqual({ kind: 'tooLong', max: 3 });
  });
});

describe('sanitizeNick', () => {
  it('makes a valid nick from what was typed', () => {
    expect(sanitizeNick('Zoé')).toBe('Zoe');
    expect(sanitizeNick('Jean Pierre')).toBe('Jean_Pierre');
    expect(sanitizeNick('42 lapins')).toBe('U42_lapins');
    expect(sanitizeNick('@@@')).toBe('Guest');
    expect(sanitizeNick('x'.repeat(40))).toHaveLength(30);
    for (const input of ['Zoé', '42 lapins', '@@@', '-x', 'a.b', "l'ami"]) expect(checkNick(sanitizeNick(input))).toBeNull();
  });
});

describe('alternativeNick', () => {
  it('suggests a different valid nick of at most the limit', () => {
    const alt = alternativeNick('alice');
    expect(alt).not.toBe('alice');
    expect(alt.startsWith('alice')).toBe(true);
    expect(checkNick(alt)).toBeNull();
    expect(alternativeNick('alice', 2)).not.toBe(alt);
    const long = alternativeNick('y'.repeat(30));
    expect(long).toHaveLength(30);
    expect(checkNick(long)).toBeNull();
  });
});
