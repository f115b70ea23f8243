import { describe, expect, it } from 'vitest';
import { parse } from '../irc/message';
import {
  initialState,
  reduce,
  roomsToRejoin,
  sortedMembers,
  totalUnread,
  parseNamesEntry,
  type ChatState,
} from './reducer';

const NOW = Date.UTC(2024, 0, 1, 12, 0, 0);

function feed(state: ChatState, ...lines: string[]): ChatState {
  return lines.reduce((s, l) => reduce(s, { type: 'irc', msg: parse(l)!, now: NOW }), state);
}

/** A registered session as alice, in #room with bob (op) and carol. */
function inRoom(): ChatState {
  let s = reduce(initialState(), { type: 'login', nick: 'alice', profile: { age: 30, gender: 'f', town: 'Lyon' } });
  s = feed(
    s,
    ':salon.local CAP * ACK :message-tags server-time echo-message multi-prefix salon.chat/profile',
    ':salon.local PROFILE * 30 f :Lyon',
    ':salon.local 001 alice :Welcome',
    ':salon.local 005 alice CASEMAPPING=rfc1459 CHANTYPES=# PREFIX=(ov)@+ CHANMODES=beI,k,l,imnst NICKLEN=30 NETWORK=Salon :are supported',
    ':alice!a@h JOIN #room',
    ':salon.local 332 alice #room :Welcome to the room',
    ':salon.local 333 alice #room bob!b@h 1700000000',
    ':salon.local 353 alice = #room :@bob alice',
    ':salon.local 353 alice = #room :+carol',
    ':salon.local 366 alice #room :End of /NAMES list.',
    ':salon.local PROFILE bob 41 m :Paris',
    ':salon.local PROFILE carol 19 nb :',
  );
  return s;
}

describe('registration', () => {
  it('records caps, nick, ISUPPORT and own profile', () => {
    const s = inRoom();
    expect(s.registered).toBe(true);
    expect(s.status).toEqual({ state: 'connected' });
    expect(s.caps).toContain('echo-message');
    expect(s.isupport.prefixSymbols).toBe('@+');
    expect(s.profile).toEqual({ age: 30, gender: 'f', town: 'Lyon' });
    expect(s.profiles['alice']).toEqual({ age: 30, gender: 'f', town: 'Lyon' });
  });

  it('puts nick errors before registration on the join form', () => {
    let s = reduce(initialState(), { type: 'login', nick: 'bob', profile: { age: 20, gender: '-', town: '' } });
    s = feed(s, ':salon.local 433 * bob :Nickname is already in use');
    expect(s.formError).toEqual({ key: 'nickInUse', args: ['bob'] });
    s = feed(s, ':salon.local 432 * b@d :Erroneous nickname');
    expect(s.formError).toEqual({ key: 'erroneousNick', args: ['b@d'] });
  });

  it('puts a refused profile on the join form', () => {
    let s = reduce(initialState(), { type: 'login', nick: 'kid', profile: { age: 12, gender: '-', town: '' } });
    s = feed(s, ':salon.local FAIL PROFILE AGE_TOO_LOW 15 :You must be at least 15 to use this server');
    expect(s.formError).toEqual({ key: 'PROFILE_AGE_TOO_LOW', args: ['15', 'You must be at least 15 to use this server'] });
  });

  it('keeps the ERROR reason for the join form', () => {
    let s = reduce(initialState(), { type: 'login', nick: 'x', profile: { age: 20, gender: '-', town: '' } });
    s = feed(s, 'ERROR :Closing Link: 127.0.0.1 (Too many connections from your IP address)');
    expect(s.formError?.key).toBe('closed');
  });
});

describe('rooms', () => {
  it('joins, selects the room and fills members and topic', () => {
    const s = inRoom();
    expect(s.active).toBe('#room');
    const b = s.buffers['#room'];
    expect(b.joined).toBe(true);
    expect(b.topic).toBe('Welcome to the room');
    expect(b.topicSetBy).toBe('bob');
    expect(b.topicTime).toBe(1700000000 * 1000);
    expect(sortedMembers(s, '#room').map((m) => m.prefixes + m.nick)).toEqual(['@bob', '+carol', 'alice']);
    expect(s.profiles['carol']).toEqual({ age: 19, gender: 'nb', town: '' });
  });

  it('replaces the member list on a new NAMES reply', () => {
    let s = inRoom();
    s = feed(s, ':salon.local 353 alice = #room :alice dave', ':salon.local 366 alice #room :End');
    expect(Object.keys(s.buffers['#room'].members).sort()).toEqual(['alice', 'dave']);
  });

  it('parses multi-prefix and userhost-in-names entries', () => {
    expect(parseNamesEntry('@+bob!b@host', '@+')).toEqual({ nick: 'bob', prefixes: '@+' });
    expect(parseNamesEntry('+@bob', '@+')).toEqual({ nick: 'bob', prefixes: '@+' });
    expect(parseNamesEntry('carol', '@+')).toEqual({ nick: 'carol', prefixes: '' });
  });

  it('shows joins, parts, quits and kicks as system lines and updates members', () => {
    let s = inRoom();
    s = feed(
      s,
      ':dave!d@h JOIN #room * :Dave',
      ':carol!c@h PART #room :bye',
      ':bob!b@h KICK #room dave :spam',
      ':zed!z@h QUIT :gone',
    );
    const kinds = s.buffers['#room'].lines.map((l) => l.kind);
    expect(kinds.slice(-3)).toEqual(['join', 'part', 'kick']);
    expect(Object.keys(s.buffers['#room'].members).sort()).toEqual(['alice', 'bob']);
    s = feed(s, ':bob!b@h QUIT :Ping timeout');
    const last = s.buffers['#room'].lines.at(-1)!;
    expect(last).toMatchObject({ kind: 'quit', nick: 'bob', text: 'Ping timeout' });
    expect(Object.keys(s.buffers['#room'].members)).toEqual(['alice']);
  });

  it('marks the room as left when the user is kicked, and does not rejoin it', () => {
    let s = feed(inRoom(), ':bob!b@h KICK #room alice :behave');
    expect(s.buffers['#room'].joined).toBe(false);
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'kick', self: true, text: 'behave' });
    expect(roomsToRejoin(s)).toEqual([]);
  });

  it('closes the room when the user leaves', () => {
    const s = feed(inRoom(), ':alice!a@h PART #room');
    expect(s.buffers['#room']).toBeUndefined();
    expect(s.active).toBeNull();
  });

  it('applies +o/+v and skips other modes’ parameters', () => {
    let s = feed(inRoom(), ':bob!b@h MODE #room +kv-o secret alice bob');
    const m = s.buffers['#room'].members;
    expect(m['alice'].prefixes).toBe('+');
    expect(m['bob'].prefixes).toBe('');
    s = feed(s, ':bob!b@h MODE #room +o alice');
    expect(s.buffers['#room'].members['alice'].prefixes).toBe('@+');
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'mode', target: '+o alice' });
  });

  it('records topic changes', () => {
    const s = feed(inRoom(), ':bob!b@h TOPIC #room :New topic');
    expect(s.buffers['#room'].topic).toBe('New topic');
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'topic', nick: 'bob', text: 'New topic' });
  });

  it('routes channel errors to the room and keeps others on the active conversation', () => {
    let s = feed(inRoom(), ':salon.local 404 alice #room :Cannot send to channel');
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'error', key: 'cannotSend', args: ['#room'] });
    s = feed(s, ':salon.local 474 alice #banned :Cannot join channel (+b)');
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'error', key: 'bannedFromChannel', args: ['#banned'] });
    s = feed(s, ':salon.local 499 alice :Something new');
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'error', key: 'server', args: ['Something new'] });
  });
});

describe('messages', () => {
  it('adds room messages with server time and marks own (echoed) messages', () => {
    let s = feed(
      inRoom(),
      '@time=2024-05-06T07:08:09.000Z :bob!b@h PRIVMSG #room :hello',
      ':alice!a@h PRIVMSG #room :hi bob',
    );
    const lines = s.buffers['#room'].lines.slice(-2);
    expect(lines[0]).toMatchObject({ kind: 'message', nick: 'bob', text: 'hello', time: Date.UTC(2024, 4, 6, 7, 8, 9) });
    expect(lines[0].self).toBe(false);
    expect(lines[1]).toMatchObject({ nick: 'alice', text: 'hi bob', self: true, time: NOW });
  });

  it('opens a private conversation on an incoming message and counts unread', () => {
    let s = feed(inRoom(), ':bob!b@h PRIVMSG alice :psst', ':bob!b@h PRIVMSG alice :still there?');
    expect(s.buffers['bob'].kind).toBe('private');
    expect(s.buffers['bob'].unread).toBe(2);
    expect(totalUnread(s)).toBe(2);
    expect(s.active).toBe('#room');
    s = reduce(s, { type: 'select', key: 'bob' });
    expect(s.buffers['bob'].unread).toBe(0);
  });

  it('files own echoed private messages under the recipient', () => {
    const s = feed(inRoom(), ':alice!a@h PRIVMSG Bob :hello you');
    expect(s.buffers['bob'].name).toBe('Bob');
    expect(s.buffers['bob'].lines[0]).toMatchObject({ self: true, text: 'hello you' });
    expect(s.buffers['bob'].unread).toBe(0);
  });

  it('echoes locally without echo-message', () => {
    const s = reduce(inRoom(), { type: 'localEcho', target: '#room', text: 'local', kind: 'message', now: NOW });
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ nick: 'alice', text: 'local', self: true });
  });

  it('counts unread in rooms that are not shown', () => {
    let s = feed(inRoom(), ':alice!a@h JOIN #other');
    expect(s.active).toBe('#other');
    s = feed(s, ':bob!b@h PRIVMSG #room :in the first room');
    expect(s.buffers['#room'].unread).toBe(1);
  });

  it('shows CTCP ACTION and hides other CTCP', () => {
    let s = feed(inRoom(), ':bob!b@h PRIVMSG #room :\x01ACTION waves\x01');
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'action', text: 'waves' });
    const n = s.buffers['#room'].lines.length;
    s = feed(s, ':bob!b@h PRIVMSG alice :\x01VERSION\x01');
    expect(s.buffers['#room'].lines.length).toBe(n);
    expect(s.buffers['bob']).toBeUndefined();
  });

  it('hides messages from ignored people', () => {
    let s = reduce(inRoom(), { type: 'ignore', nick: 'BOB', on: true });
    const n = s.buffers['#room'].lines.length;
    s = feed(s, ':bob!b@h PRIVMSG #room :spam', ':bob!b@h PRIVMSG alice :spam');
    expect(s.buffers['#room'].lines.length).toBe(n);
    expect(s.buffers['bob']).toBeUndefined();
    s = reduce(s, { type: 'ignore', nick: 'bob', on: false });
    s = feed(s, ':bob!b@h PRIVMSG #room :ok now');
    expect(s.buffers['#room'].lines.at(-1)?.text).toBe('ok now');
  });

  it('puts server notices and user notices without a conversation on the active one', () => {
    const s = feed(inRoom(), ':salon.local NOTICE alice :Server notice', ':bob!b@h NOTICE alice :a notice');
    expect(s.buffers['#room'].lines.slice(-2).map((l) => l.kind)).toEqual(['notice', 'notice']);
    expect(s.buffers['bob']).toBeUndefined();
  });

  it('keeps at most MAX_LINES lines', () => {
    let s = inRoom();
    for (let i = 0; i < 520; i++) s = feed(s, `:bob!b@h PRIVMSG #room :m${i}`);
    expect(s.buffers['#room'].lines.length).toBe(500);
    expect(s.buffers['#room'].lines.at(-1)?.text).toBe('m519');
  });
});

describe('nick changes', () => {
  it('renames members, profiles and private conversations', () => {
    let s = feed(inRoom(), ':bob!b@h PRIVMSG alice :hey', ':bob!b@h NICK :Robert');
    expect(s.buffers['#room'].members['robert']).toEqual({ nick: 'Robert', prefixes: '@' });
    expect(s.buffers['#room'].members['bob']).toBeUndefined();
    expect(s.profiles['robert']).toEqual({ age: 41, gender: 'm', town: 'Paris' });
    expect(s.buffers['bob']).toBeUndefined();
    expect(s.buffers['robert'].name).toBe('Robert');
    expect(s.order).toContain('robert');
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'nick', nick: 'bob', target: 'Robert' });
  });

  it('follows own nick changes', () => {
    const s = feed(inRoom(), ':alice!a@h NICK alice2');
    expect(s.nick).toBe('alice2');
    expect(s.buffers['#room'].members['alice2']).toBeTruthy();
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'nick', self: true, target: 'alice2' });
  });

  it('reports a taken nick after registration to the dialog and the log', () => {
    const s = feed(inRoom(), ':salon.local 433 alice bob :Nickname is already in use');
    expect(s.formError).toEqual({ key: 'nickInUse', args: ['bob'] });
    expect(s.buffers['#room'].lines.at(-1)).toMatchObject({ kind: 'error', key: 'nickInUse' });
  });
});

describe('reconnection', () => {
  it('keeps conversations, forgets members, and lists rooms to rejoin', () => {
    let s = feed(inRoom(), ':alice!a@h JOIN #two', ':bob!b@h PRIVMSG alice :hi');
    s = reduce(s, { type: 'disconnected' });
    expect(s.registered).toBe(false);
    expect(s.buffers['#room'].joined).toBe(false);
    expect(s.buffers['#room'].members).toEqual({});
    expect(s.buffers['bob'].lines).toHaveLength(1);
    expect(roomsToRejoin(s)).toEqual(['#room', '#two']);
    const active = s.active;
    s = feed(s, ':salon.local 001 alice :Welcome back', ':alice!a@h JOIN #room');
    expect(s.buffers['#room'].joined).toBe(true);
    expect(s.active).toBe(active); // a rejoin does not steal the view
  });

  it('does not rejoin a room that refused the join', () => {
    let s = reduce(inRoom(), { type: 'disconnected' });
    s = feed(s, ':salon.local 001 alice :Welcome', ':salon.local 474 alice #room :Cannot join channel (+b)');
    expect(roomsToRejoin(s)).toEqual([]);
  });
});

describe('banner', () => {
  it('shows errors that arrive while only the catalogue is shown', () => {
    let s = reduce(inRoom(), { type: 'select', key: null });
    s = feed(s, ':salon.local 473 alice #vip :Cannot join channel (+i)');
    expect(s.banner).toMatchObject({ kind: 'error', key: 'inviteOnly', args: ['#vip'] });
    s = reduce(s, { type: 'dismissBanner' });
    expect(s.banner).toBeNull();
    s = feed(s, ':salon.local 473 alice #vip :Cannot join channel (+i)');
    s = reduce(s, { type: 'select', key: '#room' });
    expect(s.banner).toBeNull();
  });
});

describe('buffers', () => {
  it('closes a private conversation and picks a neighbour', () => {
    let s = reduce(inRoom(), { type: 'openPrivate', nick: 'bob' });
    expect(s.active).toBe('bob');
    s = reduce(s, { type: 'close', key: 'bob' });
    expect(s.active).toBe('#room');
    expect(s.order).toEqual(['#room']);
  });

  it('does not open a private conversation with a channel name', () => {
    const s = inRoom();
    expect(reduce(s, { type: 'openPrivate', nick: '#x' })).toBe(s);
  });

  it('records typing notifications only when they arrive (hook for the typing capability)', () => {
    let s = inRoom();
    expect(s.typing).toEqual({});
    s = feed(s, '@+typing=active :bob!b@h TAGMSG #room');
    expect(Object.keys(s.typing['#room'])).toEqual(['bob']);
    expect(s.typing['#room']['bob']).toBe(NOW);
    s = feed(s, ':bob!b@h PRIVMSG #room :done typing');
    expect(s.typing['#room']).toEqual({});
    s = feed(s, '@+typing=active :bob!b@h TAGMSG #room', '@+typing=paused :bob!b@h TAGMSG #room');
    expect(s.typing['#room']).toEqual({});
  });
});

describe('accounts and nick protection', () => {
  const nickserv = ':NickServ!NickServ@services. NOTICE alice :This nickname is registered. Identify within 30 seconds with /msg NickServ IDENTIFY <password>, or you will be renamed.';
  function guest(): ChatState {
    let s = reduce(initialState(), { type: 'login', nick: 'alice', profile: { age: 30, gender: 'f', town: '' } });
    return reduce(s, { type: 'irc', msg: parse(':srv 001 alice :Welcome')!, now: 0 });
  }
  const irc = (s: ChatState, raw: string) => reduce(s, { type: 'irc', msg: parse(raw)!, now: 0 });

  it('records the account from 900 and forgets it on 901 and on disconnection', () => {
    let s = irc(guest(), ':srv 900 alice alice!a@h alice :You are now logged in as alice');
    expect(s.account).toBe('alice');
    expect(irc(s, ':srv 901 alice alice!a@h :You are now logged out').account).toBeNull();
    expect(reduce(s, { type: 'disconnected' }).account).toBeNull();
  });

  it('offers to log in when NickServ says the nick is registered, then shows the rename', () => {
    let s = irc(guest(), nickserv);
    expect(s.nickProtection).toEqual({ nick: 'alice', seconds: 30 });
    s = irc(s, ':alice!a@h NICK Guest4821');
    expect(s.nick).toBe('Guest4821');
    expect(s.nickProtection).toBeNull();
    expect(s.renamed).toEqual({ from: 'alice', to: 'Guest4821' });
    expect(reduce(s, { type: 'dismissProtection' }).renamed).toBeNull();
  });

  it('drops the offer once logged in, and ignores other NickServ notices', () => {
    let s = irc(guest(), nickserv);
    s = irc(s, ':srv 900 alice alice!a@h alice :You are now logged in as alice');
    expect(s.nickProtection).toBeNull();
    expect(irc(guest(), ':NickServ!NickServ@services. NOTICE alice :Password changed').nickProtection).toBeNull();
    expect(irc(guest(), ':mallory!m@h NOTICE alice :This nickname is registered. Identify within 1 seconds').nickProtection).toBeNull();
  });
});
