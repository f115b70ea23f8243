// RFC 1459 casemapping (the server's CASEMAPPING=rfc1459): A-Z → a-z and []\~ → {}|^.
export type Casemapping = 'rfc1459' | 'strict-rfc1459' | 'ascii';

export function lower(name: string, mapping: Casemapping = 'rfc1459'): string {
  let out = '';
  for (const c of name) {
    if (c >= 'A' && c <= 'Z') out += c.toLowerCase();
    else if (mapping !== 'ascii' && c === '[') out += '{';
    else if (mapping !== 'ascii' && c === ']') out += '}';
    else if (mapping !== 'ascii' && c === '\\') out += '|';
    else if (mapping === 'rfc1459' && c === '~') out += '^';
    else out += c;
  }
  return out;
}

export function equal(a: string, b: string, mapping: Casemapping = 'rfc1459'): boolean {
  return lower(a, mapping) === lower(b, mapping);
}
