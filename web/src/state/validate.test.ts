import { describe, expect, it } from 'vitest';
import { confirmError, existingPasswordError, messageError, newPasswordError, validateJoinForm, suggestionFor } from './validate';
import { checkNick } from '../irc/nick';

const ok = { nick: 'alice', age: '25', gender: 'f' as const, town: 'Paris' };

describe('validateJoinForm', () => {
  it('accepts a complete profile and trims', () => {
    expect(validateJoinForm({ ...ok, nick: ' alice ', town: ' Paris ' })).toEqual({
      errors: {},
      nick: 'alice',
      profile: { age: 25, gender: 'f', town: 'Paris' },
    });
  });
  it('accepts an empty town and no gender', () => {
    expect(validateJoinForm({ ...ok, gender: '-', town: '' }).profile).toEqual({ age: 25, gender: '-', town: '' });
  });
  it('refuses a bad nick with a reason and a suggestion', () => {
    const r = validateJoinForm({ ...ok, nick: 'Zoé 2' });
    expect(r.errors.nick).toEqual({ key: 'nick.badChar', args: ['é'] });
    expect(r.suggestion).toBe('Zoe_2');
    expect(validateJoinForm({ ...ok, nick: '' }).errors.nick?.key).toBe('nick.empty');
    expect(validateJoinForm({ ...ok, nick: '9lives' }).errors.nick?.key).toBe('nick.badStart');
  });
  it('requires the age as a whole number in range', () => {
    expect(validateJoinForm({ ...ok, age: '' }).errors.age?.key).toBe('age.empty');
    expect(validateJoinForm({ ...ok, age: 'vingt' }).errors.age?.key).toBe('age.notNumber');
    expect(validateJoinForm({ ...ok, age: '12.5' }).errors.age?.key).toBe('age.notNumber');
    expect(validateJoinForm({ ...ok, age: '0' }).errors.age?.key).toBe('age.range');
    expect(validateJoinForm({ ...ok, age: '121' }).errors.age?.key).toBe('age.range');
  });
  it('limits the town to 40 bytes and refuses control characters', () => {
    expect(validateJoinForm({ ...ok, town: 'x'.repeat(40) }).errors.town).toBeUndefined();
    expect(validateJoinForm({ ...ok, town: 'x'.repeat(41) }).errors.town?.key).toBe('town.tooLong');
    expect(validateJoinForm({ ...ok, town: 'é'.repeat(21) }).errors.town).toEqual({ key: 'town.tooLong', args: [42] });
    expect(validateJoinForm({ ...ok, town: 'a\tb' }).errors.town?.key).toBe('town.control');
  });
  it('suggests valid alternatives for a taken nick', () => {
    expect(checkNick(suggestionFor('alice'))).toBeNull();
  });
});

describe('messageError', () => {
  it('refuses empty and oversized messages', () => {
    expect(messageError('')).toEqual({ key: 'composer.empty', args: [] });
    expect(messageError('   ')).toEqual({ key: 'composer.empty', args: [] });
    expect(messageError('a'.repeat(400))).toBeNull();
    expect(messageError('a'.repeat(401))).toEqual({ key: 'composer.tooLong', args: [401, 400] });
    expect(messageError('é'.repeat(201))).toEqual({ key: 'composer.tooLong', args: [402, 400] });
  });
});

describe('passwords', () => {
  it('checks a new password as the server does', () => {
    expect(newPasswordError('', 'alice')?.key).toBe('account.pw.empty');
    expect(newPasswordError('short', 'alice')).toEqual({ key: 'account.pw.short', args: [8] });
    expect(newPasswordError('ééé', 'alice')?.key).toBe('account.pw.short'); // 6 bytes
    expect(newPasswordError('éééé', 'alice')).toBeNull(); // 8 bytes
    expect(newPasswordError('x'.repeat(301), 'alice')).toEqual({ key: 'account.pw.long', args: [300] });
    expect(newPasswordError('has a space', 'alice')?.key).toBe('account.pw.spaces');
    expect(newPasswordError('AliceBob', 'alicebob')?.key).toBe('account.pw.sameAsName');
    expect(newPasswordError('good-password', 'alice')).toBeNull();
  });

  it('checks the confirmation and what an existing password can carry', () => {
    expect(confirmError('a-password', 'a-password')).toBeNull();
    expect(confirmError('a-password', 'a-passwore')?.key).toBe('account.pw.mismatch');
    expect(existingPasswordError('')?.key).toBe('account.pw.empty');
    expect(existingPasswordError('with space')).toBeNull();
    expect(existingPasswordError('with space', true)?.key).toBe('account.pw.cannotSend');
    expect(existingPasswordError(':colon', true)?.key).toBe('account.pw.cannotSend');
  });
});
