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
