import { describe, expect, it } from 'vitest';
import { assembleExport, exportFileName, failToError, saslFailure, standardReply } from './account';
import { parse } from '../irc/message';
import { describeAccountError, describeError, translate, waitInWords, type Lang } from '../i18n';

const t = (lang: Lang) => (key: string, ...args: (string | number)[]) => translate(lang, key, ...args);

function failOf(raw: string) {
  const r = standardReply(parse(raw)!)!;
  return failToError(r.code, r.context, r.description);
}

describe('account errors in words', () => {
  const cases: [string, string, string][] = [
    ['FAIL REGISTER ACCOUNT_EXISTS alice :Account already exists', 'The name “alice” is already registered by someone else.', 'Le nom « alice » est déjà enregistré par quelqu’un d’autre.'],
    ['FAIL REGISTER BAD_ACCOUNT_NAME NickServ :Bad name', '“NickServ” cannot be an account name: choose a valid pseudonym that is not a service name.', '« NickServ » ne peut pas être un nom de compte : prenez un pseudo valable qui n’est pas celui d’un service.'],
    ['FAIL REGISTER WEAK_PASSWORD * :Too weak', 'That password is too weak: at least 8 characters, and not the account name.', 'Mot de passe trop faible : 8 caractères au moins, et pas le nom du compte.'],
    ['FAIL ACCOUNT BAD_PASSWORD :Wrong', 'Wrong password.', 'Mot de passe incorrect.'],
    ['FAIL ACCOUNT NOT_LOGGED_IN :You are not logged in', 'You are not logged in to an account.', 'Vous n’êtes pas connecté·e à un compte.'],
    ['FAIL REGISTER TEMPORARILY_UNAVAILABLE * :Try later', 'Accounts are temporarily unavailable. Try again in a moment.', 'Les comptes sont momentanément indisponibles. Réessayez dans un instant.'],
    ['FAIL AUTHENTICATE RATE_LIMITED 45 :Too many failed logins, try again in 45 seconds', 'Too many attempts. Try again in 45 seconds.', 'Trop de tentatives. Réessayez dans 45 secondes.'],
    ['FAIL ACCOUNT RATE_LIMITED 600 :slow down', 'Too many attempts. Try again in 10 minutes.', 'Trop de tentatives. Réessayez dans 10 minutes.'],
    ['FAIL REGISTER RATE_LIMITED 1 :slow down', 'Too many attempts. Try again in 1 second.', 'Trop de tentatives. Réessayez dans 1 seconde.'],
    ['FAIL REGISTER SOMETHING_NEW * :The server says why', 'Server: The server says why', 'Serveur : The server says why'],
  ];
  for (const [raw, en, fr] of cases) {
    it(raw, () => {
      const e = failOf(raw);
      expect(describeAccountError(t('en'), e)).toBe(en);
      expect(describeAccountError(t('fr'), e)).toBe(fr);
    });
  }

  it('keeps the wait of a rate limit as a number of seconds', () => {
    expect(failOf('FAIL REGISTER RATE_LIMITED 30 :wait')).toEqual({ key: 'account.err.rateLimited', args: ['30'] });
    expect(failOf('FAIL REGISTER RATE_LIMITED soon :wait').key).toBe('account.err.rateLimitedNoWait');
  });

  it('puts SASL numerics in words', () => {
    expect(describeAccountError(t('en'), saslFailure('904')!)).toBe('Wrong account name or password.');
    expect(describeAccountError(t('fr'), saslFailure('904')!)).toBe('Nom de compte ou mot de passe incorrect.');
    expect(saslFailure('907')!.key).toBe('account.err.alreadyLoggedIn');
    expect(saslFailure('903')).toBeNull();
  });

  it('describes a FAIL line that reached the chat log through describeError', () => {
    // The reducer keys standard replies as COMMAND_CODE with context then description.
    expect(describeError(t('en'), 'en', 'REGISTER_ACCOUNT_EXISTS', ['bob', 'exists'])).toBe('The name “bob” is already registered by someone else.');
    expect(describeError(t('fr'), 'fr', 'ACCOUNT_RATE_LIMITED', ['90', 'wait'])).toBe('Trop de tentatives. Réessayez dans 90 secondes.');
    expect(describeError(t('en'), 'en', 'account.err.notLoggedIn', [])).toBe('You are not logged in to an account.');
  });

  it('rounds long waits up to minutes', () => {
    expect(waitInWords(t('en'), 119)).toBe('119 seconds');
    expect(waitInWords(t('en'), 121)).toBe('3 minutes');
  });
});

describe('ACCOUNT EXPORT assembly', () => {
  it('joins the chunks into the JSON document the END line announces', () => {
    const doc = JSON.stringify({ account: 'alice', town: 'Saint-Étienne', rooms: ['#a'] });
    const chunks = [doc.slice(0, 10), doc.slice(10, 25), doc.slice(25)];
    const r = assembleExport(chunks, String(new TextEncoder().encode(doc).length));
    expect(r).toEqual({ ok: true, json: doc });
  });

  it('refuses a document whose size differs from the announced bytes', () => {
    const doc = '{"account":"alice"}';
    expect(assembleExport([doc.slice(0, 5)], String(doc.length)).ok).toBe(false);
    expect(assembleExport([doc], String(doc.length + 1)).ok).toBe(false);
  });

  it('refuses chunks that are not one JSON document', () => {
    expect(assembleExport(['{"account":'], '11')).toEqual({ ok: false, error: { key: 'account.err.exportBroken', args: [] } });
  });

  it('names the file after the account and the day', () => {
    expect(exportFileName('alice', new Date('2026-12-01T23:00:00Z'))).toBe('salon-account-alice-2026-12-01.json');
    expect(exportFileName('a[b]|c', new Date('2026-01-02T00:00:00Z'))).toBe('salon-account-a_b__c-2026-01-02.json');
  });
});

describe('standard replies', () => {
  it('splits FAIL into command, code, context and description', () => {
    expect(standardReply(parse(':s FAIL REGISTER ACCOUNT_EXISTS alice :taken')!)).toEqual({
      kind: 'FAIL',
      command: 'REGISTER',
      code: 'ACCOUNT_EXISTS',
      context: ['alice'],
      description: 'taken',
    });
    expect(standardReply(parse(':s PRIVMSG a :b')!)).toBeNull();
  });
});
