// Finding links in message text, so that they can be shown as links (adults) or as text until
// clicked (minors). Only http(s):// and www. addresses: a bare "example.com" is too often not
// meant as a link ("e.g.", "3.5", file names).

export type Piece = { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string };

const LINK = /\b(?:https?:\/\/|www\.)[^\s<>"]+/gi;

/** Punctuation that ends a sentence rather than the address. */
const TRAILING = '.,;:!?\'’»)]}';
const OPENING: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

const count = (s: string, c: string) => s.split(c).length - 1;

/** Cuts what follows the address itself: trailing punctuation, a closing bracket with no opening one. */
function trim(candidate: string): string {
  let s = candidate;
  while (s.length > 0 && TRAILING.includes(s[s.length - 1])) {
    const c = s[s.length - 1];
    // Keep a closing bracket that closes one in the address (Wikipedia's "Foo_(bar)").
    if (OPENING[c] && count(s, OPENING[c]) >= count(s, c)) break;
    s = s.slice(0, -1);
  }
  return s;
}

/** The text cut into plain pieces and links (href always http: or https:). */
export function splitLinks(text: string): Piece[] {
  const out: Piece[] = [];
  let at = 0;
  for (const m of text.matchAll(LINK)) {
    const start = m.index ?? 0;
    const link = trim(m[0]);
    if (/^www\.$/i.test(link) || /^https?:\/\/$/i.test(link)) continue;
    const href = /^www\./i.test(link) ? `https://${link}` : link;
    try {
      const url = new URL(href);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') continue;
    } catch {
      continue;
    }
    if (start > at) out.push({ kind: 'text', text: text.slice(at, start) });
    out.push({ kind: 'link', text: link, href });
    at = start + link.length;
  }
  if (at < text.length) out.push({ kind: 'text', text: text.slice(at) });
  return out;
}

/** A declared age under 18: links are text until clicked, and adults-only rooms are closed. */
export function isMinor(profile: { age: number } | null | undefined): boolean {
  return !!profile && profile.age < 18;
}
