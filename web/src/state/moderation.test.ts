// The reducer and moderation (issue 8): join refusals with their reasons, messages the server
// did not deliver (refused, held, sent as a request), statements of reasons and mutes,
// message requests. Lines are the server's, as in the contract (notes/issue8 "Protocol").
import { describe, expect, it } from 'vitest';
import { parse } from '../irc/message';
import { initialState, muteFor, reduce, type ChatState } from './reducer';
import { describeError, describeMute, parseServerTime, translate, untilInWords, type Lang } from '../i18n';
import { parseRooms } from '../ui/Catalogue';

const NOW = Date.UTC(2026, 11, 2, 7, 0, 0);

function feed(state: ChatState, ...lines: string[]): ChatState {
  return lines.reduce((s, l) => reduce(s, { type: 'irc', msg: parse(l)!, now: NOW }), state);
}

/** Registered as `nick` with echo-message and standard-replies, in #room (and the catalogue shown). */
function registered(nick = 'alice', age = 30): ChatState {
  let s = reduce(initialState(), { type: 'login', nick, profile: { age, gender: 'f', town: '' } });
  s = feed(
    s,
    ':salon.local CAP * ACK :message-tags server-time echo-message standard-replies salon.chat/profile',
    `:salon.local 001 ${nick} :Welcome`,
    `:salon.local 005 ${nick} CASEMAPPING=rfc1459 CHANTYPES=# PREFIX=(ov)@+ CALLERID=g :are supported`,
    `:${nick}!u@h JOIN #room`,
    `:salon.local 353 ${nick} = #room :${nick} bob`,
    `:salon.local 366 ${nick} #room :End of /NAMES list.`,
  );
  return s;
}

function send(s: ChatState, target: string, text: string, kind: 'message' | 'action' = 'message'): ChatState {
  return reduce(s, { type: 'sent', target, text, kind, now: NOW });
}

const last = (s: ChatState, key: string) => s.buffers[key].lines.at(-1)!;

describe('join refusals', () => {
  it('an adults-only room: FAIL JOIN ADULTS_ONLY and its 474 are one refusal, kept for the catalogue', () => {
    let s = reduce(registered('lea', 15), { type: 'select', key: null });
    const before = s.buffers['*']?.lines.length ?? 0;
    s = feed(
      s,
      ':salon.local FAIL JOIN ADULTS_ONLY #over18 :This room is for adults (18 and over)',
      ':salon.local 474 lea #over18 :Cannot join channel (+A) - this room is for adults (18 and over)',
    );
    expect(s.buffers['*'].lines.length - before).toBe(1);
    expect(s.banner).toMatchObject({ kind: 'error', key: 'JOIN_ADULTS_ONLY', args: ['#over18', 'This room is for adults (18 and over)'] });
    expect(s.joinRefusals['#over18']).toEqual({ key: 'JOIN_ADULTS_ONLY', args: ['#over18', 'This room is for adults (18 and over)'] });
    // Joining it later (e.g. an administrator changed the room) clears the mark.
    s = feed(s, ':lea!u@h JOIN #over18');
    expect(s.joinRefusals['#over18']).toBeUndefined();
  });

  it('a plain 474 for +A says adults-only, not banned', () => {
    const s = feed(registered('lea', 15), ':salon.local 474 lea #over18 :Cannot join channel (+A) - this room is for adults (18 and over)');
    expect(s.joinRefusals['#over18'].key).toBe('JOIN_ADULTS_ONLY');
    const banned = feed(registered('lea', 15), ':salon.local 474 lea #x :Cannot join channel (+b)');
    expect(banned.joinRefusals['#x'].key).toBe('bannedFromChannel');
  });

  it('room creation forbidden: the FAIL, not also the 403', () => {
    let s = reduce(registered(), { type: 'select', key: null });
    const before = s.buffers['*']?.lines.length ?? 0;
    s = feed(
      s,
      ':salon.local FAIL JOIN ROOM_CREATION_FORBIDDEN #new :New rooms cannot be created here',
      ':salon.local 403 alice #new :New rooms cannot be created here',
    );
    expect(s.buffers['*'].lines.length - before).toBe(1);
    expect(s.banner).toMatchObject({ key: 'JOIN_ROOM_CREATION_FORBIDDEN' });
  });

  it('a refusal on rejoining an open room goes there and stops the rejoins', () => {
    let s = registered('lea', 15);
    s = reduce(s, { type: 'disconnected' });
    s = feed(s, ':salon.local 001 lea :Welcome', ':salon.local FAIL JOIN ADULTS_ONLY #room :This room is for adults (18 and over)', ':salon.local 474 lea #room :Cannot join channel (+A)');
    expect(last(s, '#room')).toMatchObject({ kind: 'error', key: 'JOIN_ADULTS_ONLY' });
    expect(s.buffers['#room'].lines.filter((l) => l.kind === 'error')).toHaveLength(1);
    expect(s.buffers['#room'].rejoin).toBe(false);
  });
});

describe('messages not delivered', () => {
  it('a refused private message shows, marked, and the tab says this person cannot be written to', () => {
    let s = reduce(registered('max'), { type: 'openPrivate', nick: 'lea' });
    s = send(s, 'lea', 'hello');
    expect(s.buffers['lea'].lines).toHaveLength(0); // shown once echoed, or refused
    s = feed(s, ":salon.local FAIL PRIVMSG CANNOT_MESSAGE lea :You can't message this person", ":salon.local 531 max lea :You can't message this person");
    expect(s.buffers['lea'].lines).toHaveLength(1);
    expect(last(s, 'lea')).toMatchObject({
      kind: 'message',
      self: true,
      text: 'hello',
      delivery: 'refused',
      reason: { key: 'PRIVMSG_CANNOT_MESSAGE', args: ['lea', "You can't message this person"] },
    });
    expect(s.buffers['lea'].cannotMessage).toBe(true);
    expect(s.outgoing['lea']).toEqual([]);
    // A message from her (she may write first if the server allows it) ends that.
    s = feed(s, ':lea!u@h PRIVMSG max :hi');
    expect(s.buffers['lea'].cannotMessage).toBe(false);
  });

  it('531 alone (no standard-replies) marks the message too', () => {
    let s = send(registered('max'), 'lea', 'hello');
    s = feed(s, ":salon.local 531 max lea :You can't message this person");
    expect(last(s, 'lea')).toMatchObject({ text: 'hello', delivery: 'refused', reason: { key: 'cannotMessage', args: ['lea'] } });
    expect(s.buffers['lea'].cannotMessage).toBe(true);
  });

  it('room refusals: muted, slow mode, automod, each with the server reason; two refusals in a row are two', () => {
    let s = send(send(registered(), '#room', 'one'), '#room', 'two');
    s = feed(
      s,
      ':salon.local FAIL PRIVMSG SLOW_MODE #room :Slow mode: one message every 30 seconds',
      ':salon.local 404 alice #room :Slow mode: one message every 30 seconds',
      ':salon.local FAIL PRIVMSG AUTOMOD_BLOCKED #room :That word is not allowed here',
      ':salon.local 404 alice #room :That word is not allowed here',
    );
    const lines = s.buffers['#room'].lines.filter((l) => l.kind === 'message');
    expect(lines.map((l) => [l.text, l.delivery, l.reason?.key])).toEqual([
      ['one', 'refused', 'PRIVMSG_SLOW_MODE'],
      ['two', 'refused', 'PRIVMSG_AUTOMOD_BLOCKED'],
    ]);
    expect(s.buffers['#room'].lines.filter((l) => l.kind === 'error')).toHaveLength(0);
  });

  it('a delivered message is echoed once and no longer waits; a later refusal is of the next one', () => {
    let s = send(send(registered(), '#room', 'first'), '#room', 'second');
    s = feed(s, ':alice!u@h PRIVMSG #room :first');
    expect(s.outgoing['#room'].map((o) => o.text)).toEqual(['second']);
    s = feed(s, ':salon.local FAIL PRIVMSG MUTED #room :You are muted until 2026-12-02 08:00:00 UTC (spam)');
    expect(last(s, '#room')).toMatchObject({ text: 'second', delivery: 'refused', reason: { key: 'PRIVMSG_MUTED' } });
  });

  it('held for review: marked held, and shown as delivered when a moderator lets it through', () => {
    let s = send(registered(), '#room', 'check this');
    s = feed(s, ':salon.local NOTE PRIVMSG HELD #room :Your message is held for review by a moderator');
    expect(last(s, '#room')).toMatchObject({ text: 'check this', delivery: 'held' });
    const n = s.buffers['#room'].lines.length;
    s = feed(s, '@msgid=abc :alice!u@h PRIVMSG #room :check this');
    expect(s.buffers['#room'].lines).toHaveLength(n);
    expect(last(s, '#room').delivery).toBeUndefined();
    expect(last(s, '#room').msgid).toBe('abc');
  });

  it('a message request (717 then NOTE) is one line: sent as a request', () => {
    let s = send(registered('max'), 'lea', 'hi there');
    s = feed(
      s,
      ':salon.local 717 max lea :has been informed that you messaged them.',
      ':salon.local NOTE PRIVMSG MESSAGE_REQUEST lea :Sent as a request: delivered if they accept',
    );
    expect(s.buffers['lea'].lines).toHaveLength(1);
    expect(last(s, 'lea')).toMatchObject({ text: 'hi there', delivery: 'request' });
  });

  it('without echo-message the local echo is marked', () => {
    let s = registered();
    s = { ...s, caps: s.caps.filter((c) => c !== 'echo-message') };
    s = reduce(s, { type: 'localEcho', target: '#room', text: 'hey', kind: 'message', now: NOW });
    s = feed(s, ':salon.local 404 alice #room :Cannot send to channel');
    expect(last(s, '#room')).toMatchObject({ text: 'hey', delivery: 'refused' });
  });

  it('a refusal with no message waiting (a reaction) is an error line in that conversation', () => {
    const s = feed(registered(), ':salon.local FAIL TAGMSG MUTED #room :You are muted', ':salon.local 404 alice #room :You are muted');
    expect(s.buffers['#room'].lines.filter((l) => l.kind === 'error')).toHaveLength(1);
    expect(last(s, '#room')).toMatchObject({ kind: 'error', key: 'TAGMSG_MUTED' });
  });
});

describe('statements of reasons', () => {
  const until = Math.floor(NOW / 1000) + 600;

  it('NOTE * DECISION queues the statement, mutes, and a later unmute lifts it', () => {
    let s = feed(registered(), `:salon.local NOTE * DECISION D-1a2b3c mute * ${until} :You are muted for 10 minutes (spam). Ref D-1a2b3c.`);
    expect(s.decisions).toEqual([
      { ref: 'D-1a2b3c', action: 'mute', scope: '*', expires: until * 1000, statement: 'You are muted for 10 minutes (spam). Ref D-1a2b3c.', time: NOW },
    ]);
    expect(muteFor(s, '#room', NOW)).toBe(until * 1000);
    expect(muteFor(s, '#room', until * 1000 + 1)).toBeNull(); // over when it expires
    expect(last(s, '#room')).toMatchObject({ kind: 'decision', key: 'D-1a2b3c', target: 'mute' });
    s = reduce(s, { type: 'dismissDecision' });
    expect(s.decisions).toEqual([]);
    s = feed(s, ':salon.local NOTE * DECISION D-9 unmute * 0 :Your mute was lifted.');
    expect(muteFor(s, '#room', NOW)).toBeNull();
    expect(s.decisions).toHaveLength(1);
  });

  it('a room mute holds in that room only; no expiry is until lifted', () => {
    let s = feed(registered(), ':salon.local NOTE * DECISION D-2 mute #room 0 :Muted in #room (insults).');
    s = reduce(s, { type: 'openPrivate', nick: 'bob' });
    expect(muteFor(s, '#room', NOW + 1e9)).toBe(0);
    expect(muteFor(s, 'bob', NOW)).toBeNull();
  });
});

describe('server bans', () => {
  it('465 puts the reason and reference on the join form', () => {
    let s = reduce(initialState(), { type: 'login', nick: 'max', profile: { age: 30, gender: 'm', town: '' } });
    s = feed(s, ':salon.local 465 max :You are banned from this server: spam (ref D-00aa11)', ':salon.local ERROR :Closing link: banned (spam)');
    expect(s.formError).toEqual({ key: 'bannedFromServer', args: ['You are banned from this server: spam (ref D-00aa11)'] });
    const t = (key: string, ...args: (string | number)[]) => translate('fr', key, ...args);
    expect(describeError(t, 'fr', s.formError!.key, s.formError!.args)).toBe('Le serveur vous refuse : You are banned from this server: spam (ref D-00aa11)');
  });

  it('connection waves in words: address or network', () => {
    const t = (key: string, ...args: (string | number)[]) => translate('en', key, ...args);
    expect(describeError(t, 'en', 'closed', ['Too many connections from your address'])).toBe('Too many connections from your address.');
    expect(describeError(t, 'en', 'closed', ['Too many connections from your network (/24)'])).toBe('Too many connections from your network.');
  });
});

describe('message requests', () => {
  it('718 lists a request; accepting opens the conversation, ignoring hides that person for the session', () => {
    let s = feed(registered('lea', 15), ':salon.local 718 lea max max@127.0.0.1 :is messaging you. Use /ACCEPT +max to allow.');
    expect(s.requests['max']).toEqual({ nick: 'max', mask: 'max@127.0.0.1', time: NOW });
    s = reduce(s, { type: 'answerRequest', nick: 'max', accept: true });
    expect(s.requests).toEqual({});
    expect(s.active).toBe('max');
    expect(s.buffers['max'].kind).toBe('private');

    s = feed(s, ':salon.local 718 lea zed zed@h :is messaging you.');
    s = reduce(s, { type: 'answerRequest', nick: 'Zed', accept: false });
    expect(s.requests).toEqual({});
    expect(s.buffers['zed']).toBeUndefined();
    s = feed(s, ':salon.local 718 lea zed zed@h :is messaging you.');
    expect(s.requests).toEqual({});
  });
});

describe('in words, in both languages', () => {
  const tr = (lang: Lang) => (key: string, ...args: (string | number)[]) => translate(lang, key, ...args);
  const words = (lang: Lang, key: string, args: string[]) => describeError(tr(lang), lang, key, args);

  it('adults-only and private-message refusals', () => {
    const args = ['#over18', 'This room is for adults (18 and over)'];
    expect(words('en', 'JOIN_ADULTS_ONLY', args)).toContain('This room is for adults (18 and over)');
    expect(words('fr', 'JOIN_ADULTS_ONLY', args)).toContain('Ce salon est réservé aux adultes (18 ans et plus)');
    expect(words('en', 'PRIVMSG_CANNOT_MESSAGE', ['lea', "You can't message this person"])).toBe('You can’t message this person.');
    expect(words('fr', 'cannotMessage', ['lea'])).toBe('Vous ne pouvez pas écrire à cette personne.');
    // Too many messages waiting as a request.
    expect(words('en', 'PRIVMSG_CANNOT_MESSAGE', ['lea', "You can't message this person until they accept your request"])).toBe(
      'You can’t write more to this person until they accept your request.',
    );
  });

  it('codes without words of their own give the server reason (automod, new here)', () => {
    expect(words('fr', 'PRIVMSG_AUTOMOD_BLOCKED', ['#room', 'Links to that site are not allowed'])).toBe('Links to that site are not allowed');
    expect(words('en', 'PRIVMSG_NEW_USER', ['#room', 'New here: links after 10 minutes'])).toBe('New here: links after 10 minutes');
  });

  it('mutes: the end in local time, the reason kept; unknown wording as sent', () => {
    const text = 'You are muted until 2026-12-02 08:00:00 UTC (spam)';
    expect(parseServerTime('2026-12-02 08:00:00 UTC')).toBe(Date.UTC(2026, 11, 2, 8));
    expect(parseServerTime('2026-12-02T08:00:00Z')).toBe(Date.UTC(2026, 11, 2, 8));
    const until = untilInWords(tr('en'), 'en', Date.UTC(2026, 11, 2, 8));
    expect(describeMute(tr('en'), 'en', text)).toBe(`You are muted ${until} (spam).`);
    expect(describeMute(tr('fr'), 'fr', 'You are muted (flood)')).toBe('Vous êtes en sourdine (flood).');
    expect(describeMute(tr('en'), 'en', 'Muted by a moderator')).toBe('Muted by a moderator');
    expect(words('fr', 'PRIVMSG_MUTED', ['#room', 'You are muted'])).toBe('Vous êtes en sourdine.');
  });

  it('until: the time alone today, the date too another day', () => {
    const now = new Date(2026, 11, 2, 7, 0).getTime();
    expect(untilInWords(tr('en'), 'en', new Date(2026, 11, 2, 8, 30).getTime(), now)).toBe('until 08:30');
    expect(untilInWords(tr('fr'), 'fr', new Date(2026, 11, 2, 8, 30).getTime(), now)).toBe('jusqu’à 08:30');
    expect(untilInWords(tr('fr'), 'fr', new Date(2026, 11, 3, 8, 30).getTime(), now)).toMatch(/^jusqu’au .*2026.*08:30$/);
  });

  it('slow mode with its interval', () => {
    expect(words('fr', 'PRIVMSG_SLOW_MODE', ['#room', 'Slow mode: wait 30 seconds between messages'])).toBe(
      'Mode lent : un message toutes les 30 secondes ici. Patientez un peu.',
    );
  });
});

describe('catalogue', () => {
  it('reads adults_only from /api/rooms (absent: not adults-only)', () => {
    const rooms = parseRooms([
      { name: '#over18', category: 'Adults', members: 2, adults_only: true },
      { name: '#friendship', members: 0 },
    ]);
    expect(rooms.map((r) => [r.name, r.adultsOnly])).toEqual([
      ['#over18', true],
      ['#friendship', false],
    ]);
  });
});
