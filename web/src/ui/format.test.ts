import { describe, expect, it } from 'vitest';
import { contrast, NICK_COLOURS, nickColour, TEXT_BACKGROUNDS } from './format';
import { dictionaries, describeError, detectLanguage, translate } from '../i18n';
import { backoffDelay, websocketUrl } from '../net/session';

describe('nick colours', () => {
  it('have at least 4.5:1 contrast on every message background', () => {
    for (const c of NICK_COLOURS) for (const bg of TEXT_BACKGROUNDS) expect(contrast(c, bg)).toBeGreaterThanOrEqual(4.5);
  });
  it('are stable per nick, case-insensitive', () => {
    expect(nickColour('Alice')).toBe(nickColour('alice'));
  });
});

describe('i18n', () => {
  it('has the same keys in French and English', () => {
    expect(Object.keys(dictionaries.fr).sort()).toEqual(Object.keys(dictionaries.en).sort());
  });
  it('picks the language from the browser unless one was chosen', () => {
    expect(detectLanguage(['fr-FR', 'en'], null)).toBe('fr');
    expect(detectLanguage(['de-DE', 'en-US'], null)).toBe('en');
    expect(detectLanguage(['de'], null)).toBe('en');
    expect(detectLanguage(['fr-CA'], 'en')).toBe('en');
  });
  it('puts server errors in words', () => {
    const t = (k: string, ...a: (string | number)[]) => translate('en', k, ...a);
    expect(describeError(t, 'en', 'nickInUse', ['bob'])).toBe('The pseudonym “bob” is already taken.');
    expect(describeError(t, 'en', 'PROFILE_AGE_TOO_LOW', ['15', 'too young'])).toBe('Salon is open from the age of 15.');
    expect(describeError(t, 'en', 'PROFILE_SOMETHING_NEW', ['the server text'])).toBe('the server text');
    expect(describeError(t, 'en', 'closed', ['Closing Link: 1.2.3.4 (Excess Flood)'])).toMatch(/flood/);
    expect(describeError(t, 'en', 'closed', ['Closing Link: 1.2.3.4 (Bye)'])).toBe('The server closed the connection: Bye');
    const tf = (k: string, ...a: (string | number)[]) => translate('fr', k, ...a);
    expect(describeError(tf, 'fr', 'bannedFromChannel', ['#x'])).toBe('Vous êtes banni·e du salon #x.');
  });
});

describe('session helpers', () => {
  it('backs off exponentially up to 30 s', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map(backoffDelay)).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
  it('builds the WebSocket URL from the page location', () => {
    expect(websocketUrl({ protocol: 'http:', host: '127.0.0.1:8080' })).toBe('ws://127.0.0.1:8080/irc');
    expect(websocketUrl({ protocol: 'https:', host: 'chat.example' })).toBe('wss://chat.example/irc');
  });
});
