// One chat session: the WebSocket (IRCv3 WebSocket transport, subprotocol text.ircv3.net),
// registration with capability negotiation and the join profile, PING/PONG, rejoining rooms,
// and reconnection with exponential back-off. State changes go through the reducer.
import { line, parse, text as textLine, type IrcMessage } from '../irc/message';
import { alternativeNick } from '../irc/nick';
import {
  roomsToRejoin,
  type Action,
  type ChatState,
  type Profile,
} from '../state/reducer';
import type { Store } from './store';

/** Capabilities the client uses, requested when the server offers them. */
export const WANTED_CAPS = [
  'message-tags',
  'server-time',
  'echo-message',
  'multi-prefix',
  'userhost-in-names',
  'away-notify',
  'extended-join',
  'salon.chat/profile',
];

const MAX_DELAY_MS = 30_000;

/** Delay before reconnection attempt n (0-based): 1 s, 2 s, 4 s … capped at 30 s. */
export function backoffDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, 1000 * 2 ** Math.max(0, attempt));
}

export function websocketUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss' : 'ws'}://${loc.host}/irc`;
}

type SocketFactory = (url: string) => WebSocket;

export class Session {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private offeredCaps = new Set<string>();
  private registrationSent = false;
  /** Registered at least once: disconnections are then retried, nick clashes worked around. */
  private everRegistered = false;
  /** No reconnection (the user quit, or the server refused the profile). */
  private stopped = true;
  private nickAttempts = 0;
  private fatal = false;

  constructor(
    private readonly store: Store<ChatState, Action>,
    private readonly url: string,
    private readonly makeSocket: SocketFactory = (u) => new WebSocket(u, ['text.ircv3.net']),
  ) {}

  private get state(): ChatState {
    return this.store.getState();
  }

  /** Starts a session from the join form. */
  start(nick: string, profile: Profile): void {
    this.stopTimer();
    this.closeSocket();
    this.store.dispatch({ type: 'login', nick, profile });
    this.everRegistered = false;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /** The user leaves the chat: QUIT, and back to the join form. */
  quit(message = ''): void {
    this.stopped = true;
    this.stopTimer();
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.send(textLine('QUIT', message));
    this.closeSocket();
    this.store.dispatch({ type: 'logout' });
  }

  /** Reconnect now instead of waiting for the back-off timer. */
  retryNow(): void {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    this.stopTimer();
    this.connect();
  }

  /**
   * The browser says the network is gone. An open connection is left alone (it may well still
   * work, e.g. to localhost; if it is really gone it closes and the status follows); a pending
   * reconnection is shown as offline until the browser says the network is back.
   */
  setOffline(): void {
    if (this.stopped || (this.ws && this.ws.readyState === WebSocket.OPEN)) return;
    this.store.dispatch({ type: 'status', status: { state: 'offline' } });
  }

  get connected(): boolean {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN && this.state.registered;
  }

  /** Sends one raw line. Returns false when there is no registered connection. */
  send(raw: string): boolean {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(raw);
    return true;
  }

  /** PRIVMSG, echoed locally only when the server does not echo (echo-message). */
  say(target: string, text: string, action = false): boolean {
    const body = action ? `\x01ACTION ${text}\x01` : text;
    if (!this.connected || !this.send(textLine('PRIVMSG', target, body))) return false;
    if (!this.state.caps.includes('echo-message')) {
      this.store.dispatch({ type: 'localEcho', target, text, kind: action ? 'action' : 'message', now: Date.now() });
    }
    return true;
  }

  // -------------------------------------------------------------------------------------------

  private connect(): void {
    this.closeSocket();
    this.offeredCaps.clear();
    this.registrationSent = false;
    this.nickAttempts = 0;
    this.fatal = false;
    this.store.dispatch({ type: 'status', status: { state: 'connecting', attempt: this.attempt } });
    let ws: WebSocket;
    try {
      ws = this.makeSocket(this.url);
    } catch {
      this.scheduleReconnect();
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.store.dispatch({ type: 'status', status: { state: 'registering' } });
      this.send(line('CAP', 'LS', '302'));
    };
    ws.onmessage = (ev) => {
      if (this.ws !== ws || typeof ev.data !== 'string') return;
      // One line per frame; tolerate a server that sends several or a CRLF.
      for (const raw of ev.data.split(/\r?\n/)) {
        if (!raw) continue;
        const msg = parse(raw);
        if (msg) this.handle(msg);
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.onDisconnected();
    };
    ws.onerror = () => {
      /* followed by close */
    };
  }

  private handle(msg: IrcMessage): void {
    const p = msg.params;
    switch (msg.command) {
      case 'PING':
        this.send(line('PONG', ...(p.length ? [p[p.length - 1]] : [])));
        return;
      case 'CAP':
        this.handleCap(msg);
        break;
      case '001':
        this.everRegistered = true;
        this.attempt = 0;
        break;
      case '431':
      case '432':
      case '433':
      case '436':
        if (!this.state.registered && this.everRegistered && this.nickAttempts < 5 && this.state.profile) {
          // Reconnecting and the nick is still held (or taken meanwhile): take a close one.
          this.nickAttempts++;
          this.send(line('NICK', alternativeNick(this.state.nick, this.nickAttempts, this.state.isupport.nicklen)));
          this.store.dispatch({ type: 'irc', msg, now: Date.now() });
          return;
        }
        if (!this.state.registered) {
          // Back to the join form with the reason and a suggestion.
          this.store.dispatch({ type: 'irc', msg, now: Date.now() });
          this.giveUp();
          return;
        }
        break;
      case 'FAIL':
        if (p[0] === 'PROFILE' && !this.state.registered) {
          this.store.dispatch({ type: 'irc', msg, now: Date.now() });
          this.giveUp();
          return;
        }
        break;
    }
    this.store.dispatch({ type: 'irc', msg, now: Date.now() });
    if (msg.command === '001') this.rejoin();
    if (msg.command === 'NICK' && msg.source && this.state.registered) this.nickAttempts = 0;
  }

  private handleCap(msg: IrcMessage): void {
    const p = msg.params;
    const sub = (p[1] ?? '').toUpperCase();
    if (sub === 'LS') {
      const more = p[2] === '*';
      for (const c of (p[p.length - 1] ?? '').split(' ').filter(Boolean)) {
        this.offeredCaps.add(c.split('=')[0]);
      }
      if (more || this.registrationSent) return;
      const req = WANTED_CAPS.filter((c) => this.offeredCaps.has(c));
      if (req.length > 0) this.send(line('CAP', 'REQ', req.join(' ')));
      else this.register();
    } else if (sub === 'ACK' || sub === 'NAK') {
      this.register();
    }
  }

  /** PROFILE SET, NICK, USER, then CAP END (the profile must precede the end of registration). */
  private register(): void {
    if (this.registrationSent) return;
    this.registrationSent = true;
    const s = this.state;
    if (s.profile) {
      this.send(textLine('PROFILE', 'SET', String(s.profile.age), s.profile.gender, s.profile.town));
    }
    this.send(line('NICK', s.nick));
    this.send(textLine('USER', s.nick, '0', '*', s.nick));
    this.send(line('CAP', 'END'));
  }

  private rejoin(): void {
    const rooms = roomsToRejoin(this.state);
    // JOIN accepts a comma-separated list; keep to the server's usual TARGMAX of 4.
    for (let i = 0; i < rooms.length; i += 4) this.send(line('JOIN', rooms.slice(i, i + 4).join(',')));
  }

  private giveUp(): void {
    this.fatal = true;
    this.stopped = true;
    this.closeSocket();
    this.store.dispatch({ type: 'disconnected' });
    this.store.dispatch({ type: 'status', status: { state: 'idle' } });
  }

  private onDisconnected(): void {
    const wasRegistered = this.state.registered;
    this.store.dispatch({ type: 'disconnected' });
    if (this.stopped || this.fatal) {
      this.stopped = true;
      this.store.dispatch({ type: 'status', status: { state: 'idle' } });
      return;
    }
    if (!this.everRegistered) {
      // Never got in: back to the join form with the reason.
      this.stopped = true;
      if (!this.state.formError) this.store.dispatch({ type: 'formError', error: { key: 'connectFailed', args: [] } });
      this.store.dispatch({ type: 'status', status: { state: 'idle' } });
      return;
    }
    if (wasRegistered) {
      this.store.dispatch({ type: 'localError', key: 'connectionLost', now: Date.now() });
    }
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = backoffDelay(this.attempt);
    this.attempt++;
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    this.store.dispatch({
      type: 'status',
      status: offline ? { state: 'offline' } : { state: 'reconnecting', at: Date.now() + delay, attempt: this.attempt },
    });
    this.stopTimer();
    this.timer = setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private closeSocket(): void {
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.onopen = ws.onmessage = ws.onclose = ws.onerror = null;
      try {
        ws.close();
      } catch {
        /* already closed */
      }
    }
  }
}
