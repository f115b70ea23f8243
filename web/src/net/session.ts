// One chat session: the WebSocket (IRCv3 WebSocket transport, subprotocol text.ircv3.net),
// registration with capability negotiation and the join profile (or SASL for an account),
// PING/PONG, rejoining rooms, reconnection with exponential back-off, and resuming after a page
// reload; batches, room history on join (CHATHISTORY), read markers (MARKREAD), typing
// notifications, reactions and multi-line messages. Account operations are delegated to
// AccountClient (account.ts), reports to ReportClient (report.ts). State changes go through
// the reducer.
import { line, parse, serialize, text as textLine, type IrcMessage } from '../irc/message';
import { BatchCollector, flatten, isBatch, multilineMessage, type Batch } from '../irc/batch';
import { batchLines, parseMultilineCap, partsText, planComposer, type MultilineLimits } from '../irc/multiline';
import { alternativeNick } from '../irc/nick';
import {
  keyOf,
  roomsToRejoin,
  type Action,
  type ChatState,
  type Profile,
} from '../state/reducer';
import type { FieldError } from '../state/validate';
import { MESSAGE_MAX_BYTES } from '../state/validate';
import { historyCommand, historyLimit, newestTime, HISTORY_MAX_PAGES } from './history';
import { TypingNotifier, type TypingStatus } from './typing';
import { NOT_SUPPORTED, OFFLINE, type AccountError } from '../state/account';
import type { Credentials, ResumeState } from '../state/resume';
import type { SavedLines } from '../state/saved-lines';
import { AccountClient, type OpResult } from './account';
import { ReportClient } from './report';
import { REPORT_CAP, reportAvailable, type ReportCategory, type ReportResult, type ReportSubject } from '../state/report';
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
  'batch',
  'draft/chathistory',
  // Joins, parts… and reactions in history: without it the server replays no TAGMSG.
  'draft/event-playback',
  'draft/read-marker',
  'draft/multiline',
  'draft/message-redaction',
  // FAIL/NOTE with a code: why a join or a message was refused, statements of reasons.
  'standard-replies',
  // Reports (REPORT), when the server says so this way rather than with ISUPPORT SALON_REPORT.
  REPORT_CAP,
];

/** MARKREAD waits this long after the read position moves, so that reading sends one line. */
export const MARKREAD_DELAY_MS = 1000;
/**
 * The longest a batch of a long message waits for the echo of the previous one. The server
 * holds a batch after a full one until its flood bucket refills (24 lines at 2 per second:
 * 12 s), so this is well above that; an error for the target releases it at once.
 */
export const OUTBOX_WAIT_MS = 60_000;
/** Without echo-message: the pace of the server's default refill (2 lines per second), and some. */
export const OUTBOX_MS_PER_LINE = 600;

const MAX_DELAY_MS = 30_000;

/**
 * After a reload the previous page's connection may still hold the nick for a moment: the
 * same nick is asked for again this many times, this far apart, before a close one is taken.
 */
const SAME_NICK_RETRIES = 3;
const SAME_NICK_DELAY_MS = 1000;

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
  /** Values of offered capabilities (draft/multiline=max-bytes=…). */
  private capValues = new Map<string, string>();
  private batches = new BatchCollector();
  /** CHATHISTORY requests in flight, by buffer key: pages asked so far (AFTER pages on). */
  private historyPending = new Map<string, { after: boolean; pages: number }>();
  /** Private conversations whose history this connection asked for. */
  private historyAsked = new Set<string>();
  /** Read position the server knows, by buffer key (sent by us or told by MARKREAD). */
  private markSent = new Map<string, number>();
  private markTimer: ReturnType<typeof setTimeout> | null = null;
  private markRefused = false;
  /** Typing TAGMSGs sent and not yet echoed, by buffer key (an error for them is not shown). */
  private typingInFlight = new Map<string, number>();
  /** Conversations where typing notifications were refused (e.g. a moderated room). */
  private typingRefused = new Set<string>();
  private multilineRef = 0;
  /**
   * Batches of a long message not sent yet. The server charges a whole batch to flood control
   * when it ends, so the next one would wait in its input queue; several at once could overflow
   * it (Excess Flood). Each goes once the previous one is echoed back (or after OUTBOX_WAIT_MS).
   */
  private outbox: { target: string; lines: string[] }[] = [];
  private outboxWaiting: string | null = null;
  /** The refusal of a message the previous line told of (a FAIL and its numeric are one). */
  private lastRefusal: { target: string; standard: boolean } | null = null;
  private outboxTimer: ReturnType<typeof setTimeout> | null = null;
  readonly typing = new TypingNotifier((target, status) => this.sendTyping(target, status));
  private registrationSent = false;
  /** Registered at least once: disconnections are then retried, nick clashes worked around. */
  private everRegistered = false;
  /** No reconnection (the user quit, or the server refused the profile). */
  private stopped = true;
  private nickAttempts = 0;
  private fatal = false;
  /** The account to log in to at every (re)connection, or null for a guest. */
  private creds: Credentials | null = null;
  /** This connection has the sasl capability. */
  private saslAcked = false;
  /** A login after registration waits for CAP ACK/NAK sasl. */
  private saslCapWaiter: ((acked: boolean | null) => void) | null = null;
  /** The first connection of a reloaded page (the nick may still be held by the old one). */
  private resuming = false;
  private sameNickRetries = 0;
  private readonly account = new AccountClient(
    (raw) => this.send(raw),
    (c) => this.setCredentials(c),
  );
  private readonly reports = new ReportClient((raw) => this.send(raw));
  /** Told whenever the stored credentials change (main.tsx keeps them for a reload). */
  onCredentialsChange: (() => void) | null = null;

  constructor(
    private readonly store: Store<ChatState, Action>,
    private readonly url: string,
    private readonly makeSocket: SocketFactory = (u) => new WebSocket(u, ['text.ircv3.net']),
  ) {
    store.subscribe(() => this.afterChange());
  }

  private get state(): ChatState {
    return this.store.getState();
  }

  /** Starts a session from the join form; with credentials, logs in with SASL before CAP END. */
  start(nick: string, profile: Profile | null, credentials: Credentials | null = null): void {
    this.stopTimer();
    this.closeSocket();
    this.setCredentials(credentials);
    this.store.dispatch({ type: 'login', nick, profile });
    this.everRegistered = false;
    this.resuming = false;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /**
   * Carries on a session saved before a page reload: same nick, same profile or account, the
   * same rooms and private tabs. The chat is shown at once and failures are retried as for a
   * reconnection.
   */
  resume(saved: ResumeState, lines: SavedLines | null = null): void {
    this.stopTimer();
    this.closeSocket();
    this.setCredentials(saved.credentials);
    this.store.dispatch({ type: 'resume', saved, lines });
    this.everRegistered = true;
    this.resuming = true;
    this.sameNickRetries = 0;
    this.stopped = false;
    this.attempt = 0;
    this.connect();
  }

  /** The user leaves the chat: QUIT, and back to the join form. The credentials are forgotten. */
  quit(message = ''): void {
    this.stopped = true;
    this.stopTimer();
    this.setCredentials(null);
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.send(textLine('QUIT', message));
    this.closeSocket();
    this.store.dispatch({ type: 'logout' });
  }

  /** Logging out is disconnecting (account-protocol.md): the same as quitting. */
  logout(): void {
    this.quit('Logged out');
  }

  /** The account this session logs in to, if any. */
  get credentials(): Credentials | null {
    return this.creds;
  }

  // Account operations (docs/account-protocol.md). Each resolves once, with the server's answer.

  /** SASL PLAIN on the registered connection (CAP REQ :sasl first if need be). */
  login(account: string, password: string): Promise<OpResult> {
    return new Promise((done) => {
      if (!this.connected) return done(failure(OFFLINE));
      const go = () => this.account.login({ account, password }, done);
      if (this.saslAcked) return go();
      if (!this.offeredCaps.has('sasl')) return done(failure(NOT_SUPPORTED));
      if (this.saslCapWaiter) return done(failure({ key: 'account.err.busy', args: [] }));
      this.saslCapWaiter = (acked) => (acked ? go() : done(failure(acked === null ? OFFLINE : NOT_SUPPORTED)));
      this.send(line('CAP', 'REQ', 'sasl'));
    });
  }

  /** REGISTER * * <password>: the current nick becomes an account and the connection is logged in. */
  registerAccount(password: string): Promise<OpResult> {
    return this.whenConnected((done) => this.account.register(password, done));
  }

  changePassword(current: string, next: string): Promise<OpResult> {
    const name = this.state.account ?? this.creds?.account ?? '';
    return this.whenConnected((done) => this.account.changePassword(current, next, name, done));
  }

  /** ACCOUNT EXPORT: resolves with the JSON document. */
  exportAccount(): Promise<OpResult> {
    return this.whenConnected((done) => this.account.exportData(done));
  }

  deleteAccount(password: string): Promise<OpResult> {
    return this.whenConnected((done) => this.account.deleteAccount(password, done));
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
    const kind = action ? 'action' : 'message';
    if (!this.state.caps.includes('echo-message')) {
      this.store.dispatch({ type: 'localEcho', target, text, kind, now: Date.now() });
    } else this.store.dispatch({ type: 'sent', target, text, kind, now: Date.now() });
    return true;
  }

  /**
   * Sends what the composer holds: a multi-line message as draft/multiline batches when the
   * server offers it (one PRIVMSG per line otherwise), answering `replyTo` (a msgid) if given.
   * Returns why nothing was sent, or null.
   */
  sendText(target: string, text: string, replyTo?: string): FieldError | null {
    const plan = planComposer(text, this.multilineLimits(), MESSAGE_MAX_BYTES);
    if (plan.kind === 'error') return { key: plan.key, args: plan.args };
    if (!this.connected) return { key: 'composer.offline', args: [] };
    const tags: Record<string, string> = replyTo && this.hasCap('message-tags') ? { '+draft/reply': replyTo } : {};
    const echoed = this.hasCap('echo-message');
    // Without echo-message the message shows at once; with it, it shows when echoed, and is
    // remembered until then so that a refusal can show it marked as not sent.
    const echo = (t: string, first: boolean) =>
      this.store.dispatch({ type: echoed ? 'sent' : 'localEcho', target, text: t, kind: 'message', now: Date.now(), ...(first && replyTo ? { replyTo } : {}) });
    if (plan.kind === 'lines') {
      // Together (the server's burst takes them), behind what is still waiting to go.
      const lines = plan.lines.map((l, i) => serialize({ tags: i === 0 ? tags : {}, command: 'PRIVMSG', params: [target, l], trailing: true }));
      this.outbox.push({ target: keyOf(this.state, target), lines });
      plan.lines.forEach((l, i) => echo(l, i === 0));
      this.sendOutbox();
    } else {
      plan.batches.forEach((parts, i) => {
        const batchTags = i === 0 ? tags : {};
        const lines =
          parts.length === 1
            ? [serialize({ tags: batchTags, command: 'PRIVMSG', params: [target, parts[0].text], trailing: true })]
            : batchLines(`ml${(++this.multilineRef).toString(36)}`, 'PRIVMSG', target, parts, batchTags);
        this.outbox.push({ target: keyOf(this.state, target), lines });
        echo(partsText(parts), i === 0);
      });
      this.sendOutbox();
    }
    this.typing.stop(target);
    return null;
  }

  private sendOutbox(): void {
    if (this.outboxWaiting !== null) return;
    const next = this.outbox.shift();
    if (!next) return;
    for (const l of next.lines) this.send(l);
    if (this.outbox.length === 0) return; // nothing behind it to pace
    // Without echo-message nothing says it went through ('' matches no echo): the timer only.
    const echo = this.hasCap('echo-message');
    this.outboxWaiting = echo ? next.target : '';
    this.outboxTimer = setTimeout(() => this.outboxNext(), echo ? OUTBOX_WAIT_MS : next.lines.length * OUTBOX_MS_PER_LINE);
  }

  /** Own message to `target` seen (echo-message), or refused: the next batch, if it was waiting for that. */
  private outboxEchoed(target: string): void {
    if (this.outboxWaiting === target) this.outboxNext();
  }

  private outboxNext(): void {
    if (this.outboxTimer) clearTimeout(this.outboxTimer);
    this.outboxTimer = null;
    this.outboxWaiting = null;
    this.sendOutbox();
  }

  private clearOutbox(): void {
    if (this.outboxTimer) clearTimeout(this.outboxTimer);
    this.outboxTimer = null;
    this.outboxWaiting = null;
    this.outbox = [];
  }

  /**
   * Answers a message request: accepting sends `ACCEPT +nick` (the server then delivers what
   * was held and opens the conversation); ignoring tells the server nothing.
   */
  answerRequest(nick: string, accept: boolean): boolean {
    if (accept && (!this.connected || !this.send(line('ACCEPT', `+${nick}`)))) return false;
    this.store.dispatch({ type: 'answerRequest', nick, accept });
    return true;
  }

  /** Reacts to the message `msgid` of `target` (+draft/react with +draft/reply on a TAGMSG). */
  react(target: string, msgid: string, emoji: string): boolean {
    if (!this.connected || !this.hasCap('message-tags')) return false;
    this.send(serialize({ tags: { '+draft/react': emoji, '+draft/reply': msgid }, command: 'TAGMSG', params: [target] }));
    if (!this.hasCap('echo-message')) this.store.dispatch({ type: 'localReact', target, msgid, emoji });
    return true;
  }

  /**
   * Reports a message or a person to the moderators (REPORT): resolves once, with the report's
   * reference (NOTE REPORT RECEIVED) or the refusal (FAIL REPORT), or why there was no answer.
   */
  report(subject: ReportSubject, category: ReportCategory, comment: string): Promise<ReportResult> {
    return new Promise((done) => {
      if (!this.connected) return done({ ok: false, code: 'offline', context: [], text: '' });
      if (!reportAvailable(this.state)) return done({ ok: false, code: 'notSupported', context: [], text: '' });
      this.reports.report(subject, category, comment, done);
    });
  }

  /** The server takes reports (ISUPPORT SALON_REPORT or the salon.chat/report capability) and we are connected. */
  get canReport(): boolean {
    return this.connected && reportAvailable(this.state);
  }

  /** Replies and reactions need message ids and client tags. */
  get canReact(): boolean {
    return this.connected && this.hasCap('message-tags');
  }

  /** draft/multiline limits when this connection has it (with batch), else null. */
  multilineLimits(): MultilineLimits | null {
    if (!this.hasCap('draft/multiline') || !this.hasCap('batch')) return null;
    return parseMultilineCap(this.capValues.get('draft/multiline') ?? '');
  }

  private hasCap(cap: string): boolean {
    return this.state.caps.includes(cap);
  }

  // -------------------------------------------------------------------------------------------

  private whenConnected(run: (done: (r: OpResult) => void) => void): Promise<OpResult> {
    return new Promise((done) => (this.connected ? run(done) : done(failure(OFFLINE))));
  }

  private setCredentials(c: Credentials | null): void {
    this.creds = c;
    this.onCredentialsChange?.();
  }

  private connect(): void {
    this.closeSocket();
    this.offeredCaps.clear();
    this.capValues.clear();
    this.batches.reset();
    this.historyPending.clear();
    this.historyAsked.clear();
    this.markSent.clear();
    this.markRefused = false;
    this.typingInFlight.clear();
    this.typingRefused.clear();
    this.typing.reset();
    this.registrationSent = false;
    this.saslAcked = false;
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
        if (!msg) continue;
        for (const item of this.batches.push(msg)) {
          if (isBatch(item)) this.handleBatch(item);
          else this.handle(item);
        }
      }
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.endAccountOps();
      this.onDisconnected();
    };
    ws.onerror = () => {
      /* followed by close */
    };
  }

  /** A complete batch: history into its conversation, a multi-line message as one message. */
  private handleBatch(b: Batch): void {
    if (b.type === 'chathistory') {
      const target = b.params[0] ?? '';
      const messages = flatten(b);
      this.store.dispatch({ type: 'history', target, messages, now: Date.now() });
      this.historyPage(target, messages);
      return;
    }
    if (b.type === 'draft/multiline') {
      const m = multilineMessage(b);
      if (m) this.handle(m);
      return;
    }
    // Any other batch (labeled-response, netsplit…): its lines as if unbatched.
    for (const item of b.items) {
      if (isBatch(item)) this.handleBatch(item);
      else this.handle(item);
    }
  }

  private handle(msg: IrcMessage): void {
    const p = msg.params;
    if (this.typingOutcome(msg)) return;
    if (msg.command === 'MARKREAD' && p[0]) {
      // What the server knows need not be sent back to it.
      const t = Date.parse((p[1] ?? '').replace(/^timestamp=/, ''));
      const k = keyOf(this.state, p[0]);
      if (!Number.isNaN(t) && t > (this.markSent.get(k) ?? 0)) this.markSent.set(k, t);
    }
    if (msg.command === 'FAIL' && p[0] === 'MARKREAD') this.markRefused = true;
    if (msg.command === 'FAIL' && p[0] === 'CHATHISTORY') this.historyPending.clear();
    if (msg.command !== 'PING' && this.account.handle(msg)) return;
    if (this.reports.handle(msg)) return;
    if (msg.command === '433' && !this.state.registered && this.resuming && this.sameNickRetries < SAME_NICK_RETRIES) {
      // Reloaded: the old page's connection is probably still closing. Ask again shortly.
      this.sameNickRetries++;
      const ws = this.ws;
      const nick = this.state.nick;
      setTimeout(() => this.ws === ws && !this.state.registered && this.send(line('NICK', nick)), SAME_NICK_DELAY_MS);
      return;
    }
    switch (msg.command) {
      case 'PING':
        this.send(line('PONG', ...(p.length ? [p[p.length - 1]] : [])));
        return;
      case 'CAP':
        this.handleCap(msg);
        break;
      case '001':
        this.everRegistered = true;
        this.resuming = false;
        this.attempt = 0;
        break;
      case '431':
      case '432':
      case '433':
      case '436':
        if (!this.state.registered && this.everRegistered && this.nickAttempts < 5) {
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
      case '465':
        // Banned from the server: reconnecting would be refused the same way.
        this.store.dispatch({ type: 'irc', msg, now: Date.now() });
        this.giveUp();
        return;
      case 'FAIL':
        if (p[0] === 'PROFILE' && !this.state.registered) {
          this.store.dispatch({ type: 'irc', msg, now: Date.now() });
          this.giveUp();
          return;
        }
        break;
    }
    this.store.dispatch({ type: 'irc', msg, now: Date.now() });
    if ((msg.command === 'PRIVMSG' || msg.command === 'NOTICE') && p[0] && this.isMe(msg.source?.nick)) this.outboxEchoed(keyOf(this.state, p[0]));
    // A refusal (or a hold) of a message lets the next batch go; told twice (FAIL then the
    // numeric), it counts once.
    const refused = refusalTarget(msg);
    const told = this.lastRefusal;
    this.lastRefusal = refused ? { target: keyOf(this.state, refused.target), standard: refused.standard } : null;
    if (refused && !(told && told.target === this.lastRefusal!.target && told.standard !== refused.standard)) {
      this.outboxEchoed(this.lastRefusal!.target);
    }
    if (msg.command === 'FAIL' && p[0] === 'BATCH' && this.outboxWaiting !== null) this.outboxNext();
    if (msg.command === '001') this.rejoin();
    if (msg.command === 'NICK' && msg.source && this.state.registered) this.nickAttempts = 0;
    if (msg.command === 'JOIN' && p[0] && this.isMe(msg.source?.nick)) this.requestHistory(p[0]);
    if (msg.command === 'MODE' && p[0]) this.typingRefused.delete(keyOf(this.state, p[0]));
  }

  private isMe(nick: string | undefined): boolean {
    return !!nick && keyOf(this.state, nick) === keyOf(this.state, this.state.nick);
  }

  // History (draft/chathistory) ------------------------------------------------------------------

  private get historyOffered(): boolean {
    return this.hasCap('draft/chathistory') && this.hasCap('batch');
  }

  /** Brings a conversation up to date: its latest messages, or those after the newest shown. */
  private requestHistory(target: string): void {
    if (!this.historyOffered) return;
    const key = keyOf(this.state, target);
    const b = this.state.buffers[key];
    const cmd = historyCommand(target, b?.lines ?? [], historyLimit(this.state.isupport.chathistory));
    this.historyPending.set(key, { after: cmd.startsWith('CHATHISTORY AFTER'), pages: 1 });
    this.send(cmd);
  }

  /** A full page of AFTER means more may be missing: the next page, up to HISTORY_MAX_PAGES. */
  private historyPage(target: string, messages: IrcMessage[]): void {
    const key = keyOf(this.state, target);
    const pending = this.historyPending.get(key);
    if (!pending) return;
    const limit = historyLimit(this.state.isupport.chathistory);
    const newest = newestTime(messages);
    if (!pending.after || messages.length < limit || pending.pages >= HISTORY_MAX_PAGES || newest === 0) {
      this.historyPending.delete(key);
      return;
    }
    pending.pages++;
    this.send(line('CHATHISTORY', 'AFTER', target, `timestamp=${new Date(newest).toISOString()}`, String(limit)));
  }

  /** Called after every state change: history for new private conversations, read markers. */
  private afterChange(): void {
    const s = this.state;
    if (!s.registered || !this.ws) return;
    if (this.historyOffered) {
      for (const k of s.order) {
        const b = s.buffers[k];
        if (b?.kind === 'private' && !this.historyAsked.has(k)) {
          this.historyAsked.add(k);
          this.requestHistory(b.name);
        }
      }
    }
    if (this.hasCap('draft/read-marker') && this.hasCap('server-time') && !this.markRefused && !this.markTimer && this.marksToSend().length) {
      this.markTimer = setTimeout(() => {
        this.markTimer = null;
        if (!this.connected) return;
        for (const [k, name, t] of this.marksToSend()) {
          this.markSent.set(k, t);
          this.send(line('MARKREAD', name, `timestamp=${new Date(t).toISOString()}`));
        }
      }, MARKREAD_DELAY_MS);
    }
  }

  /** Conversations read further than the server knows: [key, name, read position]. */
  private marksToSend(): [string, string, number][] {
    const s = this.state;
    const out: [string, string, number][] = [];
    for (const k of s.order) {
      const b = s.buffers[k];
      if (!b || b.readUpTo <= 0 || (b.kind === 'room' && !b.joined) || b.kind === 'server') continue;
      if (b.readUpTo > (this.markSent.get(k) ?? 0)) out.push([k, b.name, b.readUpTo]);
    }
    return out;
  }

  // Typing (+typing) ------------------------------------------------------------------------------

  private sendTyping(target: string, status: TypingStatus): void {
    const key = keyOf(this.state, target);
    if (!this.connected || !this.hasCap('message-tags') || this.typingRefused.has(key)) return;
    this.send(serialize({ tags: { '+typing': status }, command: 'TAGMSG', params: [target] }));
    // With echo-message the echo says it went through, so an error before it is about it.
    if (this.hasCap('echo-message')) this.typingInFlight.set(key, (this.typingInFlight.get(key) ?? 0) + 1);
  }

  /**
   * The echo of a typing notification, or the error it caused (moderated room, nick gone):
   * neither is shown, and a refused conversation gets no more notifications.
   */
  private typingOutcome(msg: IrcMessage): boolean {
    let target: string | undefined;
    if (msg.command === 'TAGMSG' && msg.tags['+typing'] && this.isMe(msg.source?.nick)) target = msg.params[0];
    else if (TYPING_REFUSALS.has(msg.command)) target = msg.params[1];
    else if ((msg.command === 'FAIL' || msg.command === 'NOTE') && msg.params[0] === 'TAGMSG') {
      // The standard reply comes before the numeric, which is the one counted.
      const k = msg.params[2] ? keyOf(this.state, msg.params[2]) : '';
      return (this.typingInFlight.get(k) ?? 0) > 0;
    }
    if (!target) return false;
    const key = keyOf(this.state, target);
    const n = this.typingInFlight.get(key) ?? 0;
    if (n === 0) return false;
    this.typingInFlight.set(key, n - 1);
    if (msg.command !== 'TAGMSG') this.typingRefused.add(key);
    return true;
  }

  private handleCap(msg: IrcMessage): void {
    const p = msg.params;
    const sub = (p[1] ?? '').toUpperCase();
    if (sub === 'LS') {
      const more = p[2] === '*';
      for (const c of (p[p.length - 1] ?? '').split(' ').filter(Boolean)) this.offer(c);
      if (more || this.registrationSent) return;
      const req = WANTED_CAPS.filter((c) => this.offeredCaps.has(c));
      if (this.creds && this.offeredCaps.has('sasl')) req.push('sasl');
      if (req.length > 0) this.send(line('CAP', 'REQ', req.join(' ')));
      else this.register();
    } else if (sub === 'ACK' || sub === 'NAK') {
      const caps = (p[p.length - 1] ?? '').split(' ').filter(Boolean);
      if (caps.includes('sasl')) {
        if (sub === 'ACK') this.saslAcked = true;
        const waiter = this.saslCapWaiter;
        this.saslCapWaiter = null;
        waiter?.(sub === 'ACK');
      }
      this.register();
    } else if (sub === 'NEW') {
      for (const c of (p[p.length - 1] ?? '').split(' ').filter(Boolean)) this.offer(c);
    }
  }

  private offer(cap: string): void {
    const eq = cap.indexOf('=');
    const name = eq < 0 ? cap : cap.slice(0, eq);
    this.offeredCaps.add(name);
    if (eq >= 0) this.capValues.set(name, cap.slice(eq + 1));
  }

  /**
   * PROFILE SET (a guest), NICK, USER, then for an account the SASL exchange, then CAP END: the
   * profile and the login must both precede the end of registration.
   */
  private register(): void {
    if (this.registrationSent) return;
    this.registrationSent = true;
    const s = this.state;
    const creds = this.creds;
    if (s.profile && !creds) {
      this.send(textLine('PROFILE', 'SET', String(s.profile.age), s.profile.gender, s.profile.town));
    }
    this.send(line('NICK', s.nick));
    this.send(textLine('USER', s.nick, '0', '*', s.nick));
    if (!creds) {
      this.send(line('CAP', 'END'));
      return;
    }
    if (!this.saslAcked) {
      this.loginRefused(NOT_SUPPORTED);
      return;
    }
    const ws = this.ws;
    this.account.login(creds, (r) => {
      if (this.ws !== ws) return; // that connection is gone; the next one tries again
      if (r.ok) this.send(line('CAP', 'END'));
      else this.loginRefused(r.error);
    });
  }

  /** The account login at registration failed: back to the join form with the reason. */
  private loginRefused(error: AccountError): void {
    this.setCredentials(null);
    this.store.dispatch({ type: 'formError', error: { key: error.key, args: error.args } });
    this.giveUp();
  }

  private rejoin(): void {
    const rooms = roomsToRejoin(this.state);
    // JOIN accepts a comma-separated list; keep to the server's usual TARGMAX of 4.
    for (let i = 0; i < rooms.length; i += 4) this.send(line('JOIN', rooms.slice(i, i + 4).join(',')));
  }

  /** Operations waiting for this connection's answers get none. */
  private endAccountOps(): void {
    this.account.reset();
    this.reports.reset();
    const waiter = this.saslCapWaiter;
    this.saslCapWaiter = null;
    waiter?.(null);
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
    this.endAccountOps();
    if (this.markTimer) clearTimeout(this.markTimer);
    this.markTimer = null;
    this.typing.reset();
    this.clearOutbox();
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

/** Numerics that can answer a typing notification (a refusal, or a request not yet accepted). */
const TYPING_REFUSALS = new Set(['404', '401', '531', '716', '717']);

/**
 * The target of a message refusal or hold (FAIL/NOTE PRIVMSG, 404, 401, 531, 716, 717), and
 * whether it is a standard reply; null for any other line.
 */
export function refusalTarget(msg: IrcMessage): { target: string; standard: boolean } | null {
  const p = msg.params;
  if ((msg.command === 'FAIL' || msg.command === 'NOTE') && (p[0] === 'PRIVMSG' || p[0] === 'NOTICE') && p.length > 3) {
    return { target: p[2], standard: true };
  }
  if (['404', '401', '531', '716', '717'].includes(msg.command) && p[1]) return { target: p[1], standard: false };
  return null;
}

function failure(error: AccountError): OpResult {
  return { ok: false, error };
}
