import { describe, expect, it } from 'vitest';
import { parseResume, resumeFromState, serializeResume, type ResumeState } from './resume';
import { initialState, reduce, type ChatState } from './reducer';
import { parse } from '../irc/message';

function irc(s: ChatState, ...lines: string[]): ChatState {
  for (const l of lines) s = reduce(s, { type: 'irc', msg: parse(l)!, now: 0 });
  return s;
}

function chatting(): ChatState {
  let s = reduce(initialState(), { type: 'login', nick: 'alice', profile: { age: 30, gender: 'f', town: 'Lyon' } });
  s = irc(
    s,
    ':srv 001 alice :Welcome',
    ':alice!a@h JOIN #friendship',
    ':alice!a@h JOIN #Paris',
    ':alice!a@h JOIN #left',
    ':bob!b@h PRIVMSG alice :hi',
    ':alice!a@h PART #left',
  );
  return reduce(s, { type: 'select', key: '#paris' });
}

describe('resume state', () => {
  it('keeps nick, guest profile, rooms, private tabs and the conversation shown', () => {
    const r = resumeFromState(chatting(), null);
    expect(r).toEqual({
      v: 1,
      nick: 'alice',
      profile: { age: 30, gender: 'f', town: 'Lyon' },
      rooms: ['#friendship', '#Paris'],
      privates: ['bob'],
      active: '#Paris',
      credentials: null,
    });
  });

  it('keeps the credentials of an account instead of the guest profile', () => {
    const r = resumeFromState(chatting(), { account: 'alice', password: 'correct horse' })!;
    expect(r.credentials).toEqual({ account: 'alice', password: 'correct horse' });
    expect(r.profile).toBeNull();
  });

  it('has nothing to resume before the first registration', () => {
    const s = reduce(initialState(), { type: 'login', nick: 'alice', profile: { age: 30, gender: 'f', town: '' } });
    expect(resumeFromState(s, null)).toBeNull();
  });

  it('survives serialization and rebuilds the same tabs', () => {
    const r = resumeFromState(chatting(), null)!;
    const back = parseResume(serializeResume(r))!;
    expect(back).toEqual(r);
    const s = reduce(initialState(), { type: 'resume', saved: back });
    expect(s.nick).toBe('alice');
    expect(s.everRegistered).toBe(true);
    expect(s.order).toEqual(['#friendship', '#paris', 'bob']);
    expect(s.buffers['#paris']).toMatchObject({ name: '#Paris', kind: 'room', rejoin: true, joined: false });
    expect(s.buffers['bob'].kind).toBe('private');
    expect(s.active).toBe('#paris');
    // And the resumed state saves the same record again.
    expect(resumeFromState(s, null)).toEqual(r);
  });

  it('refuses malformed or foreign records', () => {
    const good: ResumeState = { v: 1, nick: 'a', profile: null, rooms: [], privates: [], active: null, credentials: null };
    expect(parseResume(JSON.stringify(good))).toEqual(good);
    for (const bad of [
      null,
      '',
      'not json',
      '[]',
      JSON.stringify({ ...good, v: 2 }),
      JSON.stringify({ ...good, nick: '' }),
      JSON.stringify({ ...good, rooms: [1] }),
      JSON.stringify({ ...good, privates: 'bob' }),
      JSON.stringify({ ...good, active: 3 }),
      JSON.stringify({ ...good, profile: { age: 'x', gender: 'f', town: '' } }),
      JSON.stringify({ ...good, credentials: { account: 'a' } }),
      JSON.stringify({ ...good, credentials: { account: 'a', password: '' } }),
    ]) {
      expect(parseResume(bad)).toBeNull();
    }
  });

  it('ignores an active conversation that is not among the tabs', () => {
    const s = reduce(initialState(), {
      type: 'resume',
      saved: { v: 1, nick: 'a', profile: null, rooms: ['#x', 'notaroom'], privates: ['#y', 'carol'], active: 'nobody', credentials: null },
    });
    expect(s.order).toEqual(['#x', 'carol']);
    expect(s.active).toBeNull();
  });
});
