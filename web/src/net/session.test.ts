import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Session } from './session';
import { createStore } from './store';
import { initialState, reduce, type Action, type ChatState } from '../state/reducer';

/** A stand-in for the browser WebSocket: records what the client sends, lets the test play the server. */
class FakeSocket {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSING = 2;
  static CLOSED = 3;
  readyState = FakeSocket.CONNECTING;
  sent: string[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((ev: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  onerror: (() => void) | null = null;
  constructor(public url: string) {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {
    this.readyState = FakeSocket.CLOSED;
  }
  open() {
    this.readyState = FakeSocket.OPEN;
    this.onopen?.();
  }
  recv(...lines: string[]) {
    for (const data of lines) this.onmessage?.({ data });
  }
  drop() {
    this.readyState = FakeSocket.CLOSED;
    this.onclose?.();
  }
}

let sockets: FakeSocket[];
let store: ReturnType<typeof createStore<ChatState, Action>>;
let session: Session;

beforeEach(() => {
  vi.useFakeTimers();
  (globalThis as unknown as { WebSocket: unknown }).WebSocket = FakeSocket;
  sockets = [];
  store = createStore<ChatState, Action>(reduce, initialState());
  session = new Session(store, 'ws://test/irc', (url) => {
    const s = new FakeSocket(url);
    sockets.push(s);
    return s as unknown as WebSocket;
  });
});
afterEach(() => {
  vi.useRealTimers();
});

const profile = { age: 30, gender: 'f' as const, town: 'Saint-Étienne' };

function register(ws: FakeSocket, nick = 'alice') {
  ws.open();
  ws.recv(':salon.local CAP * LS :message-tags server-time echo-message salon.chat/profile sasl=PLAIN cap-notify');
  ws.recv(':salon.local CAP * ACK :message-tags server-time echo-message salon.chat/profile');
  ws.recv(`:salon.local 001 ${nick} :Welcome`);
}

describe('Session', () => {
  it('negotiates capabilities and sends the profile before CAP END', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    expect(ws.url).toBe('ws://test/irc');
    ws.open();
    expect(ws.sent).toEqual(['CAP LS 302']);
    ws.recv(':salon.local CAP * LS * :message-tags server-time sasl=PLAIN');
    expect(ws.sent).toHaveLength(1); // waits for the last LS line
    ws.recv(':salon.local CAP * LS :echo-message salon.chat/profile multi-prefix');
    expect(ws.sent[1]).toBe('CAP REQ :message-tags server-time echo-message multi-prefix salon.chat/profile');
    ws.recv(':salon.local CAP * ACK :message-tags server-time echo-message multi-prefix salon.chat/profile');
    expect(ws.sent.slice(2)).toEqual([
      'PROFILE SET 30 f :Saint-Étienne',
      'NICK alice',
      'USER alice 0 * :alice',
      'CAP END',
    ]);
    ws.recv(':salon.local 001 alice :Welcome');
    expect(store.getState().registered).toBe(true);
    expect(store.getState().status).toEqual({ state: 'connected' });
  });

  it('answers PING with PONG', () => {
    session.start('alice', profile);
    register(sockets[0]);
    sockets[0].recv('PING :abc def');
    expect(sockets[0].sent.at(-1)).toBe('PONG :abc def');
  });

  it('does not echo locally with echo-message, and does without it', () => {
    session.start('alice', profile);
    register(sockets[0]);
    sockets[0].recv(':alice!a@h JOIN #room');
    expect(session.say('#room', 'hello')).toBe(true);
    expect(sockets[0].sent.at(-1)).toBe('PRIVMSG #room :hello');
    expect(store.getState().buffers['#room'].lines.filter((l) => l.kind === 'message')).toHaveLength(0);
    sockets[0].recv(':alice!a@h PRIVMSG #room hello');
    expect(store.getState().buffers['#room'].lines.filter((l) => l.kind === 'message')).toHaveLength(1);
  });

  it('goes back to the join form when the nick is taken at first connection', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :message-tags');
    ws.recv(':salon.local CAP * ACK :message-tags');
    ws.recv(':salon.local 433 * alice :Nickname is already in use');
    expect(ws.readyState).toBe(FakeSocket.CLOSED);
    expect(store.getState().status).toEqual({ state: 'idle' });
    expect(store.getState().formError).toEqual({ key: 'nickInUse', args: ['alice'] });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1); // no reconnection
  });

  it('stops when the profile is refused', () => {
    session.start('kid', { ...profile, age: 12 });
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :salon.chat/profile', ':salon.local CAP * ACK :salon.chat/profile');
    ws.recv(':salon.local FAIL PROFILE AGE_TOO_LOW 15 :You must be 15');
    expect(store.getState().formError?.key).toBe('PROFILE_AGE_TOO_LOW');
    expect(store.getState().status).toEqual({ state: 'idle' });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('reconnects with exponential back-off and rejoins rooms', () => {
    session.start('alice', profile);
    register(sockets[0]);
    sockets[0].recv(':alice!a@h JOIN #a', ':alice!a@h JOIN #b', ':bob!b@h PRIVMSG alice :hi');
    sockets[0].drop();
    let st = store.getState().status;
    expect(st.state).toBe('reconnecting');
    expect(st.state === 'reconnecting' && st.at - Date.now()).toBe(1000);
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
    sockets[1].drop(); // connection refused
    st = store.getState().status;
    expect(st.state === 'reconnecting' && st.at - Date.now()).toBe(2000);
    vi.advanceTimersByTime(2000);
    expect(sockets).toHaveLength(3);
    register(sockets[2]);
    expect(sockets[2].sent.at(-1)).toBe('JOIN #a,#b');
    expect(store.getState().buffers['bob'].lines).toHaveLength(1);
    // A later disconnection starts again at 1 s.
    sockets[2].drop();
    st = store.getState().status;
    expect(st.state === 'reconnecting' && st.at - Date.now()).toBe(1000);
  });

  it('takes a close nick when its own is still held after a reconnection', () => {
    session.start('alice', profile);
    register(sockets[0]);
    sockets[0].drop();
    vi.advanceTimersByTime(1000);
    const ws = sockets[1];
    ws.open();
    ws.recv(':salon.local CAP * LS :message-tags', ':salon.local CAP * ACK :message-tags');
    ws.recv(':salon.local 433 * alice :Nickname is already in use');
    expect(ws.readyState).toBe(FakeSocket.OPEN);
    expect(ws.sent.at(-1)).toMatch(/^NICK alice\d\d$/);
  });

  it('quits on request and does not reconnect', () => {
    session.start('alice', profile);
    register(sockets[0]);
    session.quit('bye');
    expect(sockets[0].sent.at(-1)).toBe('QUIT :bye');
    expect(store.getState().status).toEqual({ state: 'idle' });
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });
});

describe('Session offline handling', () => {
  it('shows offline only when not connected, and retries when the network is back', () => {
    session.start('alice', profile);
    register(sockets[0]);
    session.setOffline();
    expect(store.getState().status).toEqual({ state: 'connected' });
    sockets[0].drop();
    expect(store.getState().status.state).toBe('reconnecting');
    session.setOffline();
    expect(store.getState().status).toEqual({ state: 'offline' });
    session.retryNow(); // the 'online' event
    expect(sockets).toHaveLength(2);
    expect(store.getState().status.state).toBe('connecting');
  });
});

describe('Session accounts', () => {
  const creds = { account: 'alice', password: 'secret12' };

  it('logs in with SASL PLAIN before CAP END, without a guest profile', () => {
    session.start('alice', null, creds);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :message-tags sasl=PLAIN,SCRAM-SHA-256');
    expect(ws.sent.at(-1)).toBe('CAP REQ :message-tags sasl');
    ws.recv(':salon.local CAP * ACK :message-tags sasl');
    expect(ws.sent.slice(2)).toEqual(['NICK alice', 'USER alice 0 * :alice', 'AUTHENTICATE PLAIN']);
    ws.recv('AUTHENTICATE +');
    expect(ws.sent.at(-1)).toBe('AUTHENTICATE AGFsaWNlAHNlY3JldDEy');
    ws.recv(':salon.local 900 alice alice!alice@h alice :You are now logged in as alice');
    ws.recv(':salon.local 903 alice :SASL authentication successful');
    expect(ws.sent.at(-1)).toBe('CAP END');
    ws.recv(':salon.local 001 alice :Welcome');
    expect(store.getState().account).toBe('alice');
    expect(session.credentials).toEqual(creds);
    // The exchange is not shown in the chat.
    expect(Object.values(store.getState().buffers).flatMap((b) => b.lines)).toEqual([]);
  });

  it('goes back to the join form with the wait when the login is rate limited', () => {
    session.start('alice', null, creds);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :sasl=PLAIN', ':salon.local CAP * ACK :sasl', 'AUTHENTICATE +');
    ws.recv(':salon.local FAIL AUTHENTICATE RATE_LIMITED 60 :Too many failed logins, try again in 60 seconds');
    ws.recv(':salon.local 904 alice :SASL authentication failed');
    expect(store.getState().formError).toEqual({ key: 'account.err.rateLimited', args: ['60'] });
    expect(store.getState().status).toEqual({ state: 'idle' });
    expect(session.credentials).toBeNull();
    expect(ws.sent).not.toContain('CAP END');
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  it('says accounts are not offered when the server has no sasl', () => {
    session.start('alice', null, creds);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :message-tags', ':salon.local CAP * ACK :message-tags');
    expect(store.getState().formError?.key).toBe('account.err.notSupported');
    expect(store.getState().status).toEqual({ state: 'idle' });
  });

  it('logs in after registration, asking for the sasl capability first', async () => {
    session.start('alice', profile);
    register(sockets[0]);
    const ws = sockets[0];
    const result = session.login('alice', 'secret12');
    expect(ws.sent.at(-1)).toBe('CAP REQ sasl');
    ws.recv(':salon.local CAP alice ACK :sasl');
    expect(ws.sent.at(-1)).toBe('AUTHENTICATE PLAIN');
    ws.recv('AUTHENTICATE +');
    ws.recv(':salon.local 900 alice alice!a@h alice :You are now logged in as alice', ':salon.local 903 alice :ok');
    expect(await result).toEqual({ ok: true, account: 'alice' });
    expect(session.credentials).toEqual(creds);
    // The next connection logs in at registration.
    ws.drop();
    vi.advanceTimersByTime(1000);
    sockets[1].open();
    sockets[1].recv(':salon.local CAP * LS :salon.chat/profile sasl=PLAIN');
    expect(sockets[1].sent.at(-1)).toBe('CAP REQ :salon.chat/profile sasl');
  });

  it('reports a wrong password after registration and stays connected', async () => {
    session.start('alice', profile);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :sasl=PLAIN', ':salon.local CAP * ACK :sasl', ':salon.local 001 alice :Welcome');
    const result = session.login('alice', 'wrong-one');
    expect(ws.sent.at(-1)).toBe('AUTHENTICATE PLAIN');
    ws.recv('AUTHENTICATE +', ':salon.local 904 alice :SASL authentication failed');
    expect(await result).toEqual({ ok: false, error: { key: 'account.err.loginFailed', args: [] } });
    expect(store.getState().registered).toBe(true);
    expect(session.credentials).toBeNull();
  });

  it('registers the nick and keeps the password for the next connections', async () => {
    session.start('alice', profile);
    register(sockets[0]);
    const ws = sockets[0];
    const result = session.registerAccount('pass word!');
    expect(ws.sent.at(-1)).toBe('REGISTER * * :pass word!');
    ws.recv(':salon.local REGISTER SUCCESS alice :Account created');
    ws.recv(':salon.local 900 alice alice!a@h alice :You are now logged in as alice');
    expect(await result).toEqual({ ok: true, account: 'alice' });
    expect(session.credentials).toEqual({ account: 'alice', password: 'pass word!' });
    expect(store.getState().account).toBe('alice');
  });

  it('reports an unknown REGISTER command as accounts not offered', async () => {
    session.start('alice', profile);
    register(sockets[0]);
    const result = session.registerAccount('secret12');
    sockets[0].recv(':salon.local 421 alice REGISTER :Unknown command');
    expect(await result).toEqual({ ok: false, error: { key: 'account.err.notSupported', args: [] } });
    expect(Object.values(store.getState().buffers).flatMap((b) => b.lines)).toEqual([]);
  });

  it('changes the password, exports, and deletes the account', async () => {
    session.start('alice', null, creds);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :sasl=PLAIN', ':salon.local CAP * ACK :sasl', 'AUTHENTICATE +');
    ws.recv(':salon.local 900 alice alice!a@h alice :in', ':salon.local 903 alice :ok', ':salon.local 001 alice :Welcome');

    const changed = session.changePassword('secret12', 'better-secret');
    expect(ws.sent.at(-1)).toBe('ACCOUNT PASSWORD secret12 :better-secret');
    ws.recv(':salon.local NOTE ACCOUNT PASSWORD_CHANGED :Password changed');
    expect(await changed).toEqual({ ok: true });
    expect(session.credentials).toEqual({ account: 'alice', password: 'better-secret' });

    const exported = session.exportAccount();
    expect(ws.sent.at(-1)).toBe('ACCOUNT EXPORT');
    ws.recv(':salon.local ACCOUNT EXPORT DATA :{"account":', ':salon.local ACCOUNT EXPORT DATA :"alice"}', ':salon.local ACCOUNT EXPORT END :19');
    expect(await exported).toEqual({ ok: true, json: '{"account":"alice"}' });

    const wrong = session.deleteAccount('nope-nope');
    expect(ws.sent.at(-1)).toBe('ACCOUNT DELETE :nope-nope');
    ws.recv(':salon.local FAIL ACCOUNT BAD_PASSWORD :Wrong password');
    expect(await wrong).toEqual({ ok: false, error: { key: 'account.err.badPassword', args: [] } });

    const deleted = session.deleteAccount('better-secret');
    ws.recv(':salon.local NOTE ACCOUNT DELETED :Account deleted', ':salon.local 901 alice alice!a@h :You are now logged out');
    expect(await deleted).toEqual({ ok: true });
    expect(session.credentials).toBeNull();
    expect(store.getState().account).toBeNull();
    expect(Object.values(store.getState().buffers).flatMap((b) => b.lines)).toEqual([]);
  });

  it('fails an operation in flight when the connection drops', async () => {
    session.start('alice', profile);
    register(sockets[0]);
    const result = session.exportAccount();
    sockets[0].drop();
    expect(await result).toEqual({ ok: false, error: { key: 'account.err.offline', args: [] } });
  });
});

describe('Session resume', () => {
  const saved = {
    v: 1 as const,
    nick: 'alice',
    profile,
    rooms: ['#a', '#b'],
    privates: ['bob'],
    active: '#b',
    credentials: null,
  };

  it('shows the chat at once, registers with the same nick and rejoins the rooms', () => {
    session.resume(saved);
    const s = store.getState();
    expect(s.everRegistered).toBe(true);
    expect(s.order).toEqual(['#a', '#b', 'bob']);
    register(sockets[0]);
    expect(sockets[0].sent).toContain('PROFILE SET 30 f :Saint-Étienne');
    expect(sockets[0].sent).toContain('NICK alice');
    expect(sockets[0].sent.at(-1)).toBe('JOIN #a,#b');
    expect(store.getState().active).toBe('#b');
  });

  it('asks for the same nick again while the old page still holds it', () => {
    session.resume(saved);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :message-tags', ':salon.local CAP * ACK :message-tags');
    ws.recv(':salon.local 433 * alice :Nickname is already in use');
    expect(ws.sent.at(-1)).toBe('CAP END');
    vi.advanceTimersByTime(1000);
    expect(ws.sent.at(-1)).toBe('NICK alice');
    ws.recv(':salon.local 001 alice :Welcome');
    expect(store.getState().nick).toBe('alice');
  });

  it('keeps retrying when the server is down at reload', () => {
    session.resume(saved);
    sockets[0].drop();
    expect(store.getState().status.state).toBe('reconnecting');
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(2);
  });
});

describe('Session history, read markers, typing, reactions and multi-line messages', () => {
  const CAPS = 'message-tags server-time echo-message batch draft/chathistory draft/event-playback draft/read-marker draft/multiline';
  const at = (minute: number) => new Date(Date.UTC(2024, 0, 1, 12, minute)).toISOString();

  function registerFull(ws: FakeSocket, caps = CAPS) {
    ws.open();
    ws.recv(`:salon.local CAP * LS :${caps.replace('draft/multiline', 'draft/multiline=max-bytes=4096,max-lines=24')}`);
    expect(ws.sent.at(-1)).toBe(`CAP REQ :${caps}`);
    ws.recv(`:salon.local CAP * ACK :${caps}`);
    ws.recv(':salon.local 001 alice :Welcome', ':salon.local 005 alice CHANTYPES=# CHATHISTORY=100 :are supported');
  }
  const sentSince = (ws: FakeSocket, n: number) => ws.sent.slice(n);
  const messages = () => store.getState().buffers['#room'].lines.filter((l) => l.kind === 'message').map((l) => l.text);

  it('asks for the latest messages on joining, and shows the batch in order before live ones', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(`@time=${at(30)};msgid=j1 :alice!a@h JOIN #room`);
    expect(ws.sent.at(-1)).toBe('CHATHISTORY LATEST #room * 50'); // the join itself is not "shown history"
    ws.recv(`@time=${at(31)};msgid=live :bob!b@h PRIVMSG #room :live`);
    ws.recv(
      ':salon.local BATCH +h1 chathistory #room',
      `@batch=h1;time=${at(10)};msgid=a :bob!b@h PRIVMSG #room :earlier`,
      `@batch=h1;time=${at(31)};msgid=live :bob!b@h PRIVMSG #room :live`,
    );
    expect(messages()).toEqual(['live']); // held until the batch ends
    ws.recv(':salon.local BATCH -h1');
    expect(messages()).toEqual(['earlier', 'live']);
  });

  it('after a reconnection asks only for what came after the newest message shown, page after page', () => {
    session.start('alice', profile);
    registerFull(sockets[0]);
    sockets[0].recv(':alice!a@h JOIN #room', `@time=${at(20)};msgid=m20 :bob!b@h PRIVMSG #room :before the cut`, `@time=${at(21)};msgid=p21 :bob!b@h PART #room`);
    sockets[0].drop();
    vi.advanceTimersByTime(1000);
    const ws = sockets[1];
    registerFull(ws);
    const n = ws.sent.length;
    ws.recv(`@time=${at(40)};msgid=j2 :alice!a@h JOIN #room`);
    expect(sentSince(ws, n)).toEqual([`CHATHISTORY AFTER #room timestamp=${at(20)} 50`]);
    // A full page: the next one is asked for after its newest message.
    const page = Array.from({ length: 50 }, (_, i) => `@batch=p;time=${new Date(Date.parse(at(21)) + i * 1000).toISOString()};msgid=q${i} :bob!b@h PRIVMSG #room :missed ${i}`);
    ws.recv(':salon.local BATCH +p chathistory #room', ...page, ':salon.local BATCH -p');
    expect(ws.sent.at(-1)).toBe(`CHATHISTORY AFTER #room timestamp=${new Date(Date.parse(at(21)) + 49_000).toISOString()} 50`);
    ws.recv(':salon.local BATCH +p2 chathistory #room', `@batch=p2;time=${at(25)};msgid=last :bob!b@h PRIVMSG #room :last missed`, ':salon.local BATCH -p2');
    const count = ws.sent.length;
    expect(messages()).toHaveLength(52);
    expect(messages().at(-1)).toBe('last missed');
    ws.recv(':salon.local BATCH +p3 chathistory #room', ':salon.local BATCH -p3'); // nothing more is asked
    expect(ws.sent.length).toBe(count);
  });

  it('asks for the history of private conversations once per connection', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(`@time=${at(5)};msgid=d1 :bob!b@h PRIVMSG alice :hello`);
    expect(ws.sent.filter((l) => l.startsWith('CHATHISTORY'))).toEqual(['CHATHISTORY AFTER bob timestamp=' + at(5) + ' 50']);
    ws.recv(`@time=${at(6)};msgid=d2 :bob!b@h PRIVMSG alice :again`);
    expect(ws.sent.filter((l) => l.startsWith('CHATHISTORY'))).toHaveLength(1);
  });

  it('asks for no history when the server does not offer it', () => {
    session.start('alice', profile);
    register(sockets[0]);
    sockets[0].recv(':alice!a@h JOIN #room');
    expect(sockets[0].sent.some((l) => l.startsWith('CHATHISTORY'))).toBe(false);
  });

  it('tells the server how far the user read (MARKREAD, once per second), not what it told us', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(':alice!a@h JOIN #room', `:salon.local MARKREAD #room timestamp=${at(1)}`, ':salon.local 366 alice #room :End');
    vi.advanceTimersByTime(2000);
    expect(ws.sent.some((l) => l.startsWith('MARKREAD'))).toBe(false);
    ws.recv(`@time=${at(2)};msgid=x :bob!b@h PRIVMSG #room :one`, `@time=${at(3)};msgid=y :bob!b@h PRIVMSG #room :two`);
    vi.advanceTimersByTime(1000);
    expect(ws.sent.filter((l) => l.startsWith('MARKREAD'))).toEqual([`MARKREAD #room timestamp=${at(3)}`]);
    ws.recv(`:salon.local MARKREAD #room timestamp=${at(3)}`);
    vi.advanceTimersByTime(5000);
    expect(ws.sent.filter((l) => l.startsWith('MARKREAD'))).toHaveLength(1);
  });

  it('sends typing notifications as TAGMSG, and a refusal of them is not shown and stops them', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(':alice!a@h JOIN #quiet');
    session.typing.input('#quiet', 'hi');
    expect(ws.sent.at(-1)).toBe('@+typing=active TAGMSG #quiet');
    ws.recv(':salon.local 404 alice #quiet :Cannot send to channel (+m)');
    expect(store.getState().buffers['#quiet'].lines.filter((l) => l.kind === 'error')).toHaveLength(0);
    vi.advanceTimersByTime(4000);
    session.typing.input('#quiet', 'hi there');
    expect(ws.sent.filter((l) => l.includes('TAGMSG'))).toHaveLength(1);
    // The refusal of the message itself is shown: the message, marked as not sent, with why.
    expect(session.sendText('#quiet', 'hi there')).toBeNull();
    ws.recv(':salon.local 404 alice #quiet :Cannot send to channel (+m)');
    expect(store.getState().buffers['#quiet'].lines.at(-1)).toMatchObject({
      kind: 'message',
      text: 'hi there',
      self: true,
      delivery: 'refused',
      reason: { key: 'cannotSend', args: ['#quiet'] },
    });
  });

  it('the echo of a typing notification is not a line, and an error after it is shown', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(':alice!a@h JOIN #room');
    session.typing.input('#room', 'h');
    ws.recv('@+typing=active :alice!a@h TAGMSG #room');
    ws.recv(':salon.local 404 alice #room :Cannot send to channel');
    expect(store.getState().buffers['#room'].lines.filter((l) => l.kind === 'error')).toHaveLength(1);
  });

  it('reacts and replies with client tags', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(':alice!a@h JOIN #room');
    expect(session.react('#room', 'm1', '👍')).toBe(true);
    expect(ws.sent.at(-1)).toBe('@+draft/react=👍;+draft/reply=m1 TAGMSG #room');
    expect(session.sendText('#room', 'yes', 'm1')).toBeNull();
    expect(ws.sent.at(-1)).toBe('@+draft/reply=m1 PRIVMSG #room :yes');
  });

  it('sends several lines as one multiline batch, and assembles a received one', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(':alice!a@h JOIN #room');
    const n = ws.sent.length;
    expect(session.sendText('#room', 'first line\nsecond line', 'm0')).toBeNull();
    expect(sentSince(ws, n)).toEqual([
      '@+draft/reply=m0 BATCH +ml1 draft/multiline #room',
      '@batch=ml1 PRIVMSG #room :first line',
      '@batch=ml1 PRIVMSG #room :second line',
      'BATCH -ml1',
    ]);
    ws.recv(
      `@time=${at(40)};msgid=e1;+draft/reply=m0 :alice!a@h BATCH +s1 draft/multiline #room`,
      '@batch=s1 :alice!a@h PRIVMSG #room :first line',
      '@batch=s1 :alice!a@h PRIVMSG #room :second line',
      ':alice!a@h BATCH -s1',
    );
    const lines = store.getState().buffers['#room'].lines.filter((l) => l.kind === 'message');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ text: 'first line\nsecond line', self: true, msgid: 'e1', replyTo: 'm0' });
  });

  it('without draft/multiline sends one PRIVMSG per line', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws, 'message-tags server-time echo-message batch');
    ws.recv(':alice!a@h JOIN #room');
    const n = ws.sent.length;
    expect(session.sendText('#room', 'one\n\ntwo')).toBeNull();
    expect(sentSince(ws, n)).toEqual(['PRIVMSG #room :one', 'PRIVMSG #room :two']);
  });

  it('passes the lines of other batches (labeled-response, netsplit) on as usual', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerFull(ws);
    ws.recv(':alice!a@h JOIN #room', ':salon.local BATCH +n netsplit a b', '@batch=n :bob!b@h PRIVMSG #room :inside', ':salon.local BATCH -n');
    expect(messages()).toEqual(['inside']);
  });
});

describe('Session long multi-line messages', () => {
  it('sends the batches of a long message one at a time, each once the previous one is echoed', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :message-tags server-time echo-message batch draft/multiline=max-bytes=100,max-lines=3');
    ws.recv(':salon.local CAP * ACK :message-tags server-time echo-message batch draft/multiline');
    ws.recv(':salon.local 001 alice :Welcome', ':alice!a@h JOIN #room');
    const n = ws.sent.length;
    expect(session.sendText('#room', ['a', 'b', 'c', 'd', 'e', 'f', 'g'].join('\n'))).toBeNull();
    const batchesSent = () => ws.sent.slice(n).filter((l) => l.startsWith('BATCH +'));
    expect(batchesSent()).toHaveLength(1);
    const echo = (ref: string, ...lines: string[]) =>
      ws.recv(`:alice!a@h BATCH +${ref} draft/multiline #room`, ...lines.map((l) => `@batch=${ref} :alice!a@h PRIVMSG #room :${l}`), `:alice!a@h BATCH -${ref}`);
    echo('e1', 'a', 'b', 'c');
    expect(batchesSent()).toHaveLength(2);
    echo('e2', 'd', 'e', 'f');
    // The last one is a single line: a plain PRIVMSG.
    expect(ws.sent.at(-1)).toBe('PRIVMSG #room :g');
    // Nothing behind the last one: the next message goes at once.
    expect(session.sendText('#room', 'short')).toBeNull();
    expect(ws.sent.at(-1)).toBe('PRIVMSG #room :short');
    // A short message sent while a long one is going waits its turn behind it.
    expect(session.sendText('#room', ['1', '2', '3', '4'].join('\n'))).toBeNull();
    expect(ws.sent.at(-1)).toMatch(/^BATCH -/);
    expect(session.sendText('#room', 'after')).toBeNull();
    expect(ws.sent.at(-1)).toMatch(/^BATCH -/);
    // A refusal lets the rest go (the user sees the error); so does a missing echo, after a while.
    ws.recv(':salon.local 404 alice #room :Cannot send to channel');
    expect(ws.sent.at(-1)).toBe('PRIVMSG #room :4');
    vi.advanceTimersByTime(59_000);
    expect(ws.sent.at(-1)).toBe('PRIVMSG #room :4');
    vi.advanceTimersByTime(1000);
    expect(ws.sent.at(-1)).toBe('PRIVMSG #room :after');
  });
});

describe('Session and moderation (standard replies, refusals, message requests)', () => {
  const CAPS = 'message-tags server-time echo-message batch draft/multiline standard-replies';

  function registerMod(ws: FakeSocket) {
    ws.open();
    ws.recv(`:salon.local CAP * LS :${CAPS.replace('draft/multiline', 'draft/multiline=max-bytes=4096,max-lines=24')} sasl=PLAIN`);
    expect(ws.sent.at(-1)).toBe(`CAP REQ :${CAPS}`);
    ws.recv(`:salon.local CAP * ACK :${CAPS}`);
    ws.recv(':salon.local 001 alice :Welcome', ':salon.local 005 alice CHANTYPES=# CALLERID=g :are supported');
  }

  it('asks for standard-replies, and keeps a sent message until it is echoed or refused', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerMod(ws);
    ws.recv(':alice!a@h JOIN #room');
    expect(session.sendText('#room', 'hello')).toBeNull();
    expect(store.getState().outgoing['#room'].map((o) => o.text)).toEqual(['hello']);
    ws.recv(':alice!a@h PRIVMSG #room :hello');
    expect(store.getState().outgoing['#room']).toEqual([]);
    expect(session.say('bob', 'psst')).toBe(true);
    ws.recv(":salon.local FAIL PRIVMSG CANNOT_MESSAGE bob :You can't message this person", ":salon.local 531 alice bob :You can't message this person");
    const lines = store.getState().buffers['bob'].lines;
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ text: 'psst', delivery: 'refused', reason: { key: 'PRIVMSG_CANNOT_MESSAGE' } });
  });

  it('a refusal told twice (FAIL then 404) lets one waiting batch go, not two', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerMod(ws);
    ws.recv(':alice!a@h JOIN #room');
    const long = Array.from({ length: 30 }, (_, i) => `line ${i}`).join('\n');
    expect(session.sendText('#room', long)).toBeNull();
    expect(session.sendText('#room', 'after')).toBeNull();
    const batches = () => ws.sent.filter((l) => l.startsWith('BATCH +')).length;
    expect(batches()).toBe(1);
    ws.recv(':salon.local FAIL PRIVMSG MUTED #room :You are muted (spam)', ':salon.local 404 alice #room :You are muted (spam)');
    expect(batches()).toBe(2); // the second batch of the long message; 'after' still waits
    expect(ws.sent.at(-1)).not.toBe('PRIVMSG #room :after');
  });

  it('a refused typing notification is not shown, standard reply or numeric', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerMod(ws);
    ws.recv(':alice!a@h JOIN #room');
    session.typing.input('#room', 'hi');
    expect(ws.sent.at(-1)).toBe('@+typing=active TAGMSG #room');
    ws.recv(':salon.local FAIL TAGMSG MUTED #room :You are muted', ':salon.local 404 alice #room :You are muted');
    expect(store.getState().buffers['#room'].lines.filter((l) => l.kind === 'error')).toHaveLength(0);
  });

  it('a server ban (465) ends the session: no reconnection, the join form says why', () => {
    session.start('alice', profile);
    const ws = sockets[0];
    registerMod(ws);
    ws.recv(':salon.local NOTE * DECISION D-00aa11 ban * 0 :You are banned from this server (spam). Reference D-00aa11.');
    ws.recv(':salon.local 465 alice :You are banned from this server: spam (ref D-00aa11)');
    vi.advanceTimersByTime(120_000);
    expect(sockets).toHaveLength(1);
    expect(store.getState().status).toEqual({ state: 'idle' });
    expect(store.getState().formError?.key).toBe('bannedFromServer');
    expect(store.getState().decisions.map((d) => d.action)).toEqual(['ban']); // still shown over the join form
  });

  it('accepting a message request sends ACCEPT +nick and opens the conversation; ignoring sends nothing', () => {
    session.start('lea', { age: 15, gender: 'f', town: '' });
    const ws = sockets[0];
    ws.open();
    ws.recv(`:salon.local CAP * LS :${CAPS}`);
    ws.recv(`:salon.local CAP * ACK :${CAPS}`);
    ws.recv(':salon.local 001 lea :Welcome');
    ws.recv(':salon.local 718 lea max max@h :is messaging you. Use /ACCEPT +max to allow.', ':salon.local 718 lea zed zed@h :is messaging you.');
    expect(Object.keys(store.getState().requests).sort()).toEqual(['max', 'zed']);
    const n = ws.sent.length;
    expect(session.answerRequest('zed', false)).toBe(true);
    expect(ws.sent.length).toBe(n);
    expect(session.answerRequest('max', true)).toBe(true);
    expect(ws.sent.at(-1)).toBe('ACCEPT +max');
    expect(store.getState().active).toBe('max');
    expect(store.getState().requests).toEqual({});
  });
});
