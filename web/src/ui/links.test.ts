import { describe, expect, it } from 'vitest';
import { isMinor, splitLinks } from './links';

describe('splitLinks', () => {
  it('finds http(s) and www. addresses and keeps the rest as text', () => {
    expect(splitLinks('see https://example.org/a?b=1 and www.salon.chat.')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'link', text: 'https://example.org/a?b=1', href: 'https://example.org/a?b=1' },
      { kind: 'text', text: ' and ' },
      { kind: 'link', text: 'www.salon.chat', href: 'https://www.salon.chat' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('leaves text without links whole, and bare domains alone', () => {
    expect(splitLinks('hello e.g. example.com')).toEqual([{ kind: 'text', text: 'hello e.g. example.com' }]);
    expect(splitLinks('')).toEqual([]);
  });

  it('cuts trailing punctuation but keeps brackets that belong to the address', () => {
    expect(splitLinks('(http://a.fr/x), ok')[1]).toEqual({ kind: 'link', text: 'http://a.fr/x', href: 'http://a.fr/x' });
    expect(splitLinks('https://fr.wikipedia.org/wiki/Salon_(réunion)!')[0]).toMatchObject({ text: 'https://fr.wikipedia.org/wiki/Salon_(réunion)' });
  });

  it('never makes a link of another scheme', () => {
    expect(splitLinks('javascript:alert(1) data:text/html,x').every((p) => p.kind === 'text')).toBe(true);
    expect(splitLinks('http://').every((p) => p.kind === 'text')).toBe(true);
  });

  it('rebuilds the text exactly', () => {
    const text = 'a https://x.org/(y) b www.z.net/q?r=s, c';
    expect(splitLinks(text).map((p) => p.text).join('')).toBe(text);
  });
});

describe('isMinor', () => {
  it('is a declared age under 18', () => {
    expect(isMinor({ age: 15 })).toBe(true);
    expect(isMinor({ age: 17 })).toBe(true);
    expect(isMinor({ age: 18 })).toBe(false);
    expect(isMinor(null)).toBe(false);
  });
});
