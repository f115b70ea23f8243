// Chat state as a pure reducer over IRC messages and UI actions. Side effects (sending
// PONG, rejoining rooms, reconnecting) live in ../net/session.ts, which feeds this reducer.
import type { IrcMessage } from '../irc/message';
import { lower, type Casemapping } from '../irc/casemap';
import type { ResumeState } from './resume';
import type { SavedLines } from './saved-lines';
import { findByMsgid, isMessageLine, latestMessageTime, mergeByTime, unseen, withReaction } from './history';

export type Gender = 'f' | 'm' | 'nb' | '-';

export interface Profile {
  age: number;
  gender: Gender;
  town: string;
}

export interface Member {
  nick: string;
  /** Membership prefixes, highest first, e.g. "@+". */
  prefixes: string;
}

/**
 * Lines keep structured data, not text, so that they are rendered in the language chosen at
 * display time (switching language re-renders history too).
 */
export type LineKind =
  | 'message'
  | 'action'
  | 'notice'
  | 'join'
  | 'part'
  | 'quit'
  | 'kick'
  | 'nick'
  | 'topic'
  | 'mode'
  | 'error'
  | 'info'
  /** A moderation decision about this user (NOTE * DECISION): action in target, statement in text, ref in key. */
  | 'decision';

/**
 * What became of an own message the server did not deliver: refused (FAIL / 404 / 531), held
 * for review by a moderator (NOTE PRIVMSG HELD), or sent as a message request that reaches the
 * other person only if they accept (717 / NOTE PRIVMSG MESSAGE_REQUEST).
 */
export type Delivery = 'refused' | 'held' | 'request';

export interface Line {
  id: number;
  time: number;
  kind: LineKind;
  nick?: string;
  text?: string;
  /** Own message (sent by this client). */
  self?: boolean;
  /** kick: who was kicked; nick: new nick; mode: the mode string. */
  target?: string;
  /** error/info: message key for i18n and its arguments. */
  key?: string;
  args?: string[];
  /** The server's message id (msgid tag): replies and reactions point at it, replays are matched by it. */
  msgid?: string;
  /** msgid of the message this one answers (+draft/reply). */
  replyTo?: string;
  /** Reactions (+draft/react): the reaction and who gave it, in the order they came. */
  reactions?: Record<string, string[]>;
  /** Removed by its sender or a moderator (draft/message-redaction): shown as removed, no text. */
  redacted?: boolean;
  /** Own message not delivered (absent: delivered, or no word from the server). */
  delivery?: Delivery;
  /** Why, as the server said it: an error key for describeError and its arguments. */
  reason?: ServerError;
}

export type BufferKind = 'room' | 'private' | 'server';

export interface Buffer {
  /** Display name: "#room" or the other person's nick. */
  name: string;
  kind: BufferKind;
  lines: Line[];
  /** Keyed by casemapped nick. */
  members: Record<string, Member>;
  /** True between a 353 that started a new list and its 366. */
  namesInProgress: boolean;
  topic: string;
  topicSetBy?: string;
  topicTime?: number;
  unread: number;
  /** Rooms: currently joined. */
  joined: boolean;
  /** Rooms: rejoin after a reconnection (false once the user left or was kicked). */
  rejoin: boolean;
  /**
   * Server time of the last message the user has read (0: nothing yet). From what this tab
   * showed, or from the server's read marker (draft/read-marker) when that is later.
   */
  readUpTo: number;
  /** The "new messages" divider goes before the first message from others later than this; null: none. */
  divider: number | null;
  /** Private: the server refused our messages to this person (CANNOT_MESSAGE) and nothing came since. */
  cannotMessage?: boolean;
}

/** An own message sent and not echoed yet (echo-message): what a refusal of it shows. */
export interface Outgoing {
  text: string;
  kind: 'message' | 'action';
  time: number;
  replyTo?: string;
}

/** A statement of reasons (NOTE * DECISION <ref> <action> <scope> <expires> :<statement>). */
export interface Decision {
  ref: string;
  /** warn, mute, unmute, kick, ban, unban, suspend, hold, strike (or what a newer server sends). */
  action: string;
  /** '*' (the whole server) or the room's name. */
  scope: string;
  /** Until when, in ms since the epoch; 0: no end. */
  expires: number;
  statement: string;
  time: number;
}

/** Someone a minor does not know wrote to them (718): shown until accepted or ignored. */
export interface MessageRequest {
  nick: string;
  mask: string;
  time: number;
}

export type ConnectionStatus =
  | { state: 'idle' }
  | { state: 'connecting'; attempt: number }
  | { state: 'registering' }
  | { state: 'connected' }
  | { state: 'reconnecting'; at: number; attempt: number }
  | { state: 'offline'; reason?: string };

export interface ServerError {
  key: string;
  args: string[];
  /** Nick suggestion for nick errors. */
  suggestion?: string;
}

export interface ChatState {
  nick: string;
  profile: Profile | null;
  registered: boolean;
  /** Registered at least once in this session (the chat stays on screen while reconnecting). */
  everRegistered: boolean;
  status: ConnectionStatus;
  caps: string[];
  isupport: {
    casemapping: Casemapping;
    prefixModes: string; // "ov"
    prefixSymbols: string; // "@+"
    chanmodes: [string, string, string, string];
    chantypes: string;
    nicklen: number;
    network: string;
    /** CHATHISTORY=<max> (0: not given). */
    chathistory: number;
    /** SALON_REPORT: the server takes REPORT (issue 9; see state/report.ts). */
    report: boolean;
    /** SALON_REPORT=<category,...>: the categories it takes (empty: not said). */
    reportCategories: string[];
  };
  buffers: Record<string, Buffer>;
  /** Keys of buffers in the order they were opened. */
  order: string[];
  /** Active buffer key, or null for the room catalogue. */
  active: string | null;
  profiles: Record<string, Profile>;
  ignored: string[];
  /** Last error that concerns the join form or the nick dialog. */
  formError: ServerError | null;
  /** An error or notice that arrived while no conversation was shown (shown above the catalogue). */
  banner: Line | null;
  /** Account this connection is logged in to (900), or null for a guest. */
  account: string | null;
  /** NickServ said the current nick belongs to an account: log in within `seconds` or be renamed. */
  nickProtection: { nick: string; seconds: number } | null;
  /** The server renamed us away from a registered nick (after the grace period). */
  renamed: { from: string; to: string } | null;
  /** Buffer key -> nick -> receive time of the last "active" typing notification. */
  typing: Record<string, Record<string, number>>;
  /** The page is visible: messages in the conversation shown count as read. */
  visible: boolean;
  /** Read positions of conversations closed in this tab (a room left and joined again). */
  readBefore: Record<string, number>;
  /** Own messages sent and not echoed yet, by buffer key, oldest first. */
  outgoing: Record<string, Outgoing[]>;
  /**
   * The refusal the previous line told of: its target (key) and the commands that told it. A
   * standard reply and its numeric (FAIL then 404, 717 then NOTE) are one refusal, not two.
   */
  lastReply: { target: string; via: string[] } | null;
  /** Rooms (keys) whose last JOIN was refused, and why (shown on the catalogue's card). */
  joinRefusals: Record<string, ServerError>;
  /** Statements of reasons not dismissed yet, oldest first (the first is shown in a dialog). */
  decisions: Decision[];
  /** Mutes in force from decisions: scope ('*' or a room key) -> until (ms; 0: no end). */
  mutes: Record<string, number>;
  /** Message requests waiting for an answer, by casemapped nick. */
  requests: Record<string, MessageRequest>;
  /** Casemapped nicks whose requests the user ignored in this session (not shown again). */
  declined: string[];
  nextId: number;
}

export const MAX_LINES = 500;
/** An own message with neither echo nor refusal after this long is no longer waited for. */
export const OUTGOING_MAX_AGE_MS = 120_000;

export function initialState(): ChatState {
  return {
    nick: '',
    profile: null,
    registered: false,
    everRegistered: false,
    status: { state: 'idle' },
    caps: [],
    isupport: {
      casemapping: 'rfc1459',
      prefixModes: 'ov',
      prefixSymbols: '@+',
      chanmodes: ['beI', 'k', 'l', 'imnst'],
      chantypes: '#&',
      nicklen: 30,
      network: 'Salon',
      chathistory: 0,
      report: false,
      reportCategories: [],
    },
    buffers: {},
    order: [],
    active: null,
    profiles: {},
    ignored: [],
    formError: null,
    banner: null,
    account: null,
    nickProtection: null,
    renamed: null,
    typing: {},
    visible: true,
    readBefore: {},
    outgoing: {},
    lastReply: null,
    joinRefusals: {},
    decisions: [],
    mutes: {},
    requests: {},
    declined: [],
    nextId: 1,
  };
}

export type Action =
  | { type: 'irc'; msg: IrcMessage; now: number }
  | { type: 'login'; nick: string; profile: Profile | null }
  | { type: 'resume'; saved: ResumeState; lines?: SavedLines | null }
  /** Replayed messages of one conversation (a chathistory batch, multiline already assembled). */
  | { type: 'history'; target: string; messages: IrcMessage[]; now: number }
  /** The user reacted and the server will not echo it (no echo-message). */
  | { type: 'localReact'; target: string; msgid: string; emoji: string }
  | { type: 'visibility'; visible: boolean }
  | { type: 'dismissProtection' }
  | { type: 'status'; status: ConnectionStatus }
  | { type: 'disconnected' }
  | { type: 'select'; key: string | null }
  | { type: 'openPrivate'; nick: string }
  | { type: 'close'; key: string }
  | { type: 'ignore'; nick: string; on: boolean }
  | { type: 'localEcho'; target: string; text: string; kind: 'message' | 'action'; now: number; replyTo?: string }
  /** An own message went out and the server will echo it (echo-message): kept until it does, or refuses it. */
  | { type: 'sent'; target: string; text: string; kind: 'message' | 'action'; now: number; replyTo?: string }
  /** The statement of reasons on screen was read. */
  | { type: 'dismissDecision' }
  /** The user answered a message request (the session sent ACCEPT +nick for an acceptance). */
  | { type: 'answerRequest'; nick: string; accept: boolean }
  | { type: 'localError'; key: string; args?: string[]; now: number }
  | { type: 'localInfo'; key: string; args?: string[]; now: number }
  | { type: 'formError'; error: ServerError | null }
  | { type: 'dismissBanner' }
  | { type: 'logout' };

// ---------------------------------------------------------------------------------------------

export function keyOf(state: ChatState, name: string): string {
  return lower(name, state.isupport.casemapping);
}

export function isChannel(state: ChatState, name: string): boolean {
  return name.length > 0 && state.isupport.chantypes.includes(name[0]);
}

function isMe(state: ChatState, nick: string | undefined): boolean {
  return !!nick && !!state.nick && keyOf(state, nick) === keyOf(state, state.nick);
}

function newBuffer(name: string, kind: BufferKind): Buffer {
  return {
    name,
    kind,
    lines: [],
    members: {},
    namesInProgress: false,
    topic: '',
    unread: 0,
    joined: false,
    rejoin: kind === 'room',
    readUpTo: 0,
    divider: null,
  };
}

/** Copy-on-write helper for one buffer. */
function withBuffer(state: ChatState, key: string, fn: (b: Buffer) => Buffer): ChatState {
  const b = state.buffers[key];
  if (!b) return state;
  return { ...state, buffers: { ...state.buffers, [key]: fn(b) } };
}

function ensureBuffer(state: ChatState, name: string, kind: BufferKind): ChatState {
  const key = keyOf(state, name);
  if (state.buffers[key]) return state;
  // Opened again in this tab: what was read of it still counts for the divider.
  const b = { ...newBuffer(name, kind), readUpTo: state.readBefore[key] ?? 0 };
  return {
    ...state,
    buffers: { ...state.buffers, [key]: b },
    order: [...state.order, key],
  };
}

function addLine(
  state: ChatState,
  key: string,
  line: Omit<Line, 'id'>,
  countsAsUnread = false,
): ChatState {
  const b = state.buffers[key];
  if (!b) return state;
  const full: Line = { ...line, id: state.nextId };
  const lines = b.lines.length >= MAX_LINES ? [...b.lines.slice(1 - MAX_LINES), full] : [...b.lines, full];
  const unread = countsAsUnread && state.active !== key ? b.unread + 1 : b.unread;
  // A message in the conversation on screen is read; so is anything before one's own message.
  const seen = isMessageLine(full) && (full.self || (state.active === key && state.visible));
  const readUpTo = seen ? Math.max(b.readUpTo, full.time) : b.readUpTo;
  return {
    ...state,
    nextId: state.nextId + 1,
    buffers: { ...state.buffers, [key]: { ...b, lines, unread, readUpTo } },
  };
}

/**
 * The user looks at the conversation: the divider marks what arrived since they last read it
 * (or goes away when nothing did), and everything in it is now read.
 */
function markSeen(b: Buffer): Buffer {
  const fresh = unseen(b.lines, b.readUpTo) > 0;
  return { ...b, unread: 0, divider: fresh ? b.readUpTo : null, readUpTo: Math.max(b.readUpTo, latestMessageTime(b.lines)) };
}

/** Adds a system line to the active conversation, or the server buffer when there is none. */
function addToActive(state: ChatState, line: Omit<Line, 'id'>): ChatState {
  let s = state;
  let key = s.active;
  if (!key || !s.buffers[key]) {
    // Nothing shown but the catalogue: keep it in the server buffer and show it as a banner.
    s = ensureBuffer(s, '*', 'server');
    key = '*';
    if (s.registered && (line.kind === 'error' || line.kind === 'notice')) s = { ...s, banner: { ...line, id: s.nextId } };
  }
  return addLine(s, key, line);
}

function messageTime(msg: IrcMessage, now: number): number {
  const t = msg.tags['time'];
  if (t) {
    const parsed = Date.parse(t);
    if (!Number.isNaN(parsed)) return parsed;
  }
  return now;
}

/** Splits a NAMES entry ("@+nick!user@host") into prefixes and nick. */
export function parseNamesEntry(entry: string, symbols: string): Member {
  let i = 0;
  while (i < entry.length && symbols.includes(entry[i])) i++;
  const rest = entry.slice(i);
  const bang = rest.indexOf('!');
  return { prefixes: sortPrefixes(entry.slice(0, i), symbols), nick: bang < 0 ? rest : rest.slice(0, bang) };
}

function sortPrefixes(prefixes: string, symbols: string): string {
  return [...new Set(prefixes)].sort((a, b) => symbols.indexOf(a) - symbols.indexOf(b)).join('');
}

/** Channels (keys) the given nick is a member of. */
function channelsOf(state: ChatState, nick: string): string[] {
  const n = keyOf(state, nick);
  return state.order.filter((k) => state.buffers[k]?.kind === 'room' && state.buffers[k].members[n]);
}

export function parseGender(g: string): Gender {
  return g === 'f' || g === 'm' || g === 'nb' ? g : '-';
}

// ---------------------------------------------------------------------------------------------

export function reduce(state: ChatState, action: Action): ChatState {
  switch (action.type) {
    case 'login':
      return {
        ...initialState(),
        ignored: state.ignored,
        visible: state.visible,
        nick: action.nick,
        profile: action.profile,
        status: { state: 'connecting', attempt: 0 },
      };
    case 'resume': {
      // A reloaded page: the chat is shown at once (as while reconnecting) with its tabs.
      const { saved } = action;
      let s: ChatState = {
        ...initialState(),
        ignored: state.ignored,
        visible: state.visible,
        nick: saved.nick,
        profile: saved.profile,
        everRegistered: true,
        status: { state: 'connecting', attempt: 0 },
      };
      for (const room of saved.rooms) if (isChannel(s, room)) s = ensureBuffer(s, room, 'room');
      for (const nick of saved.privates) if (!isChannel(s, nick)) s = ensureBuffer(s, nick, 'private');
      // What the tab showed before the reload: the messages and how far they were read.
      for (const [name, kept] of Object.entries(action.lines?.buffers ?? {})) {
        const key = keyOf(s, name);
        if (!s.buffers[key]) continue;
        const lines = kept.lines.slice(-MAX_LINES).map((l, i) => ({ ...l, id: s.nextId + i }));
        s = { ...s, nextId: s.nextId + lines.length };
        s = withBuffer(s, key, (b) => ({ ...b, lines, readUpTo: kept.read }));
      }
      const active = saved.active ? keyOf(s, saved.active) : null;
      return { ...s, active: active && s.buffers[active] ? active : null };
    }
    case 'dismissProtection':
      return { ...state, nickProtection: null, renamed: null };
    case 'logout':
      return { ...initialState(), ignored: state.ignored, visible: state.visible };
    case 'status':
      return { ...state, status: action.status };
    case 'disconnected': {
      // Keep the conversations; members are unknown until the rooms are joined again.
      const buffers: Record<string, Buffer> = {};
      for (const [k, b] of Object.entries(state.buffers)) {
        buffers[k] = b.kind === 'room' ? { ...b, joined: false, members: {}, namesInProgress: false } : b;
      }
      // What the next server offers is told again at registration (SALON_REPORT among it).
      const isupport = { ...state.isupport, report: false, reportCategories: [] };
      return { ...state, buffers, isupport, registered: false, caps: [], typing: {}, account: null, nickProtection: null, outgoing: {}, lastReply: null };
    }
    case 'select': {
      if (action.key !== null && !state.buffers[action.key]) return state;
      if (action.key !== null && action.key === state.active) return state;
      const s = { ...state, active: action.key, banner: action.key ? null : state.banner };
      if (!action.key) return s;
      return withBuffer(s, action.key, s.visible ? markSeen : (b) => ({ ...b, unread: 0 }));
    }
    case 'visibility': {
      if (action.visible === state.visible) return state;
      const s = { ...state, visible: action.visible };
      return action.visible && s.active ? withBuffer(s, s.active, markSeen) : s;
    }
    case 'history':
      return reduceHistory(state, action.target, action.messages, action.now);
    case 'localReact': {
      const key = keyOf(state, action.target);
      return withBuffer(state, key, (b) => reactTo(state, b, action.msgid, action.emoji, state.nick));
    }
    case 'openPrivate': {
      if (isChannel(state, action.nick)) return state;
      const s = ensureBuffer(state, action.nick, 'private');
      return reduce(s, { type: 'select', key: keyOf(s, action.nick) });
    }
    case 'close': {
      if (!state.buffers[action.key]) return state;
      const buffers = { ...state.buffers };
      const closing = buffers[action.key];
      delete buffers[action.key];
      const readBefore = closing.readUpTo ? { ...state.readBefore, [action.key]: closing.readUpTo } : state.readBefore;
      const idx = state.order.indexOf(action.key);
      const order = state.order.filter((k) => k !== action.key);
      let active = state.active;
      if (active === action.key) active = order[Math.min(idx, order.length - 1)] ?? null;
      if (active === '*') active = null;
      return { ...state, buffers, order, active, readBefore };
    }
    case 'ignore': {
      const k = keyOf(state, action.nick);
      const ignored = state.ignored.filter((n) => keyOf(state, n) !== k);
      if (action.on) ignored.push(action.nick);
      return { ...state, ignored };
    }
    case 'localEcho': {
      const name = action.target;
      const kind = isChannel(state, name) ? 'room' : 'private';
      const s = ensureBuffer(state, name, kind);
      return addLine(s, keyOf(s, name), {
        time: action.now,
        kind: action.kind,
        nick: s.nick,
        text: action.text,
        self: true,
        ...(action.replyTo ? { replyTo: action.replyTo } : {}),
      });
    }
    case 'sent': {
      const key = keyOf(state, action.target);
      const entry: Outgoing = { text: action.text, kind: action.kind, time: action.now, ...(action.replyTo ? { replyTo: action.replyTo } : {}) };
      // A message the server never answered about is forgotten after a while (a lost echo).
      const queue = (state.outgoing[key] ?? []).filter((o) => action.now - o.time < OUTGOING_MAX_AGE_MS);
      return { ...state, outgoing: { ...state.outgoing, [key]: [...queue, entry] } };
    }
    case 'dismissDecision':
      return { ...state, decisions: state.decisions.slice(1) };
    case 'answerRequest': {
      const k = keyOf(state, action.nick);
      const requests = { ...state.requests };
      const request = requests[k];
      delete requests[k];
      let s: ChatState = { ...state, requests };
      if (!action.accept) return { ...s, declined: s.declined.includes(k) ? s.declined : [...s.declined, k] };
      s = ensureBuffer(s, request?.nick ?? action.nick, 'private');
      return reduce(s, { type: 'select', key: k });
    }
    case 'localError':
      return addToActive(state, { time: action.now, kind: 'error', key: action.key, args: action.args ?? [] });
    case 'localInfo':
      return addToActive(state, { time: action.now, kind: 'info', key: action.key, args: action.args ?? [] });
    case 'formError':
      return { ...state, formError: action.error };
    case 'dismissBanner':
      return { ...state, banner: null };
    case 'irc':
      return reduceIrc(state, action.msg, action.now);
  }
}

// ---------------------------------------------------------------------------------------------

/** Error numerics shown in words. The key is looked up in i18n (err.<key>). */
const ERROR_NUMERICS: Record<string, string> = {
  '401': 'noSuchNick',
  '402': 'noSuchServer',
  '403': 'noSuchChannel',
  '404': 'cannotSend',
  '405': 'tooManyChannels',
  '406': 'wasNoSuchNick',
  '407': 'tooManyTargets',
  '411': 'noRecipient',
  '412': 'noTextToSend',
  '417': 'inputTooLong',
  '421': 'unknownCommand',
  '431': 'noNickGiven',
  '432': 'erroneousNick',
  '433': 'nickInUse',
  '436': 'nickCollision',
  '437': 'unavailable',
  '441': 'userNotInChannel',
  '442': 'notOnChannel',
  '443': 'userOnChannel',
  '451': 'notRegistered',
  '461': 'needMoreParams',
  '462': 'alreadyRegistered',
  '464': 'passwordMismatch',
  '465': 'youAreBanned',
  '471': 'channelIsFull',
  '472': 'unknownMode',
  '473': 'inviteOnly',
  '474': 'bannedFromChannel',
  '475': 'badChannelKey',
  '476': 'badChannelMask',
  '477': 'needReggedNick',
  '478': 'banListFull',
  '481': 'noPrivileges',
  '482': 'chanOpNeeded',
  '483': 'cantKillServer',
  '491': 'noOperHost',
  '501': 'unknownModeFlag',
  '502': 'usersDontMatch',
  '525': 'invalidKey',
  '531': 'cannotMessage',
};

/** 4xx/5xx numerics that are not errors (or are not worth showing). */
const KNOWN_NON_ERRORS = new Set(['422' /* no MOTD */]);

/** Numerics that concern the nick (join form, nick dialog). */
const NICK_ERRORS = new Set(['431', '432', '433', '436', '437']);

/** Numerics refusing a JOIN. */
const JOIN_REFUSALS = new Set(['471', '473', '474', '475', '403', '476', '477']);

/** Numerics refusing a message (the own message waiting for its echo is marked not sent). */
const MESSAGE_REFUSALS = new Set(['404', '531', '401']);

/**
 * Records that a line told of a refusal about `target` (`via`: FAIL, NOTE or the numeric).
 * The server tells standard-replies clients twice (FAIL then the numeric; 717 and NOTE for a
 * message request), back to back: the second is a duplicate. Two refusals of the same kind in
 * a row are two refusals (two messages refused).
 */
function noteReply(
  state: ChatState,
  last: ChatState['lastReply'],
  target: string,
  via: string,
): { s: ChatState; duplicate: boolean } {
  const k = keyOf(state, target);
  if (last && last.target === k && !last.via.includes(via)) {
    return { s: { ...state, lastReply: { target: k, via: [...last.via, via] } }, duplicate: true };
  }
  return { s: { ...state, lastReply: { target: k, via: [via] } }, duplicate: false };
}

/**
 * The server did not deliver the oldest own message to `target` that waits for its echo: it
 * shows, marked with what became of it and why. Without echo-message the local echo is
 * marked instead. Null when there is no such message (the refusal was of something else).
 */
function undelivered(state: ChatState, target: string, delivery: Delivery, reason: ServerError, time: number): ChatState | null {
  const key = keyOf(state, target);
  const queue = state.outgoing[key];
  if (queue && queue.length > 0) {
    const [first, ...rest] = queue;
    let s: ChatState = { ...state, outgoing: { ...state.outgoing, [key]: rest } };
    if (!isChannel(s, target)) s = ensureBuffer(s, target, 'private');
    if (!s.buffers[key]) return s;
    return addLine(s, key, {
      time,
      kind: first.kind,
      nick: s.nick,
      text: first.text,
      self: true,
      ...(first.replyTo ? { replyTo: first.replyTo } : {}),
      delivery,
      reason,
    });
  }
  if (state.caps.includes('echo-message')) return null;
  const b = state.buffers[key];
  if (!b) return null;
  for (let i = b.lines.length - 1; i >= 0; i--) {
    const l = b.lines[i];
    if (l.self && (l.kind === 'message' || l.kind === 'action')) {
      if (l.delivery) return null;
      const lines = [...b.lines];
      lines[i] = { ...l, delivery, reason };
      return { ...state, buffers: { ...state.buffers, [key]: { ...b, lines } } };
    }
  }
  return null;
}

/** Private conversation with `nick`: our messages are refused (or no longer are). */
function setCannotMessage(state: ChatState, nick: string, on: boolean): ChatState {
  const key = keyOf(state, nick);
  const b = state.buffers[key];
  if (!b || b.kind !== 'private' || !!b.cannotMessage === on) return state;
  return withBuffer(state, key, (x) => ({ ...x, cannotMessage: on }));
}

/** A JOIN refused: said in the room's conversation when it is open (else where the user is), kept for the catalogue. */
function joinRefused(state: ChatState, room: string, error: ServerError, time: number): ChatState {
  const k = keyOf(state, room);
  let s: ChatState = { ...state, joinRefusals: { ...state.joinRefusals, [k]: error } };
  if (s.buffers[k]) {
    s = addLine(s, k, { time, kind: 'error', key: error.key, args: error.args });
    return withBuffer(s, k, (b) => ({ ...b, rejoin: b.joined }));
  }
  return addToActive(s, { time, kind: 'error', key: error.key, args: error.args });
}

/** NOTE * DECISION <ref> <action> <scope> <expires> :<statement>: the dialog, the mute, a line. */
function reduceDecision(state: ChatState, p: string[], time: number): ChatState {
  const [ref = '', action = '', scope = '*', expiresRaw = '0'] = p.slice(2, -1);
  const statement = p.length > 6 ? p[p.length - 1] : '';
  const seconds = Number.parseInt(expiresRaw, 10);
  const expires = Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 0;
  const decision: Decision = { ref, action, scope, expires, statement, time };
  const scopeKey = scope === '*' ? '*' : keyOf(state, scope);
  let mutes = state.mutes;
  if (action === 'mute') mutes = { ...mutes, [scopeKey]: expires };
  else if (action === 'unmute' && scopeKey in mutes) {
    mutes = { ...mutes };
    delete mutes[scopeKey];
  }
  let s: ChatState = { ...state, mutes, decisions: [...state.decisions, decision] };
  const line: Omit<Line, 'id'> = { time, kind: 'decision', key: ref, target: action, text: statement, args: [scope, String(expires)] };
  if (scopeKey !== '*' && s.buffers[scopeKey]) return addLine(s, scopeKey, line);
  return addToActive(s, line);
}

/** The mute in force for a conversation at `now`: its end (ms; 0: no end), or null when not muted. */
export function muteFor(state: ChatState, bufferKey: string, now: number): number | null {
  const b = state.buffers[bufferKey];
  const scopes = ['*'];
  if (b?.kind === 'room') scopes.push(bufferKey);
  let until: number | null = null;
  for (const scope of scopes) {
    const end = state.mutes[scope];
    if (end === undefined || (end !== 0 && end <= now)) continue;
    if (end === 0 || until === null || (until !== 0 && end > until)) until = end;
  }
  return until;
}

function reduceIrc(state: ChatState, msg: IrcMessage, now: number): ChatState {
  const time = messageTime(msg, now);
  // Event lines keep their msgid too: history replays them (draft/event-playback).
  const ids = msg.tags['msgid'] ? { msgid: msg.tags['msgid'] } : {};
  const from = msg.source?.nick ?? '';
  const p = msg.params;
  // A refusal told twice comes on consecutive lines: anything else in between ends it.
  const last = state.lastReply;
  if (last) state = { ...state, lastReply: null };

  if (ERROR_NUMERICS[msg.command]) {
    let key = ERROR_NUMERICS[msg.command];
    // params: <me> <subject...> :<text>; keep the subject(s) for the message.
    let args = p.slice(1, -1);
    if (NICK_ERRORS.has(msg.command)) {
      // Before registration this is for the join form; after, for the nick dialog and the log.
      const s = state.registered ? addToActive(state, { time, kind: 'error', key, args }) : state;
      return { ...s, formError: { key, args } };
    }
    if (msg.command === '465') {
      // Banned from the server ("You are banned from this server: <reason> (ref <ref>)"): the
      // connection ends; the join form says why, with the reference.
      const error: ServerError = { key: 'bannedFromServer', args: [p[p.length - 1] ?? ''] };
      const s = state.registered ? addToActive(state, { time, kind: 'error', ...error }) : state;
      return { ...s, formError: error };
    }
    const subject = args[0];
    if (subject && (JOIN_REFUSALS.has(msg.command) || MESSAGE_REFUSALS.has(msg.command))) {
      const r = noteReply(state, last, subject, msg.command);
      if (r.duplicate) return r.s;
      state = r.s;
    }
    if (subject && MESSAGE_REFUSALS.has(msg.command)) {
      const marked = undelivered(state, subject, 'refused', { key, args }, time);
      if (marked) return msg.command === '531' ? setCannotMessage(marked, subject, true) : marked;
    }
    // Errors about a channel the user tried to join go to that conversation if it is open.
    if (subject && isChannel(state, subject) && JOIN_REFUSALS.has(msg.command)) {
      // A plain client's word for an adults-only room: 474 "Cannot join channel (+A) - ...".
      if (msg.command === '474' && /\(\+A\)/.test(p[p.length - 1] ?? '')) {
        key = 'JOIN_ADULTS_ONLY';
        args = [subject, p[p.length - 1] ?? ''];
      }
      return joinRefused(state, subject, { key, args }, time);
    }
    if (subject && isChannel(state, subject) && state.buffers[keyOf(state, subject)]) {
      return addLine(state, keyOf(state, subject), { time, kind: 'error', key, args });
    }
    if (subject && msg.command === '531' && state.buffers[keyOf(state, subject)]) {
      const s = addLine(state, keyOf(state, subject), { time, kind: 'error', key, args });
      return setCannotMessage(s, subject, true);
    }
    return addToActive(state, { time, kind: 'error', key, args });
  }

  if (/^[45][0-9]{2}$/.test(msg.command) && !KNOWN_NON_ERRORS.has(msg.command)) {
    // An error numeric this client has no words for: show the server's own text.
    return addToActive(state, { time, kind: 'error', key: 'server', args: [p[p.length - 1] ?? msg.command] });
  }

  switch (msg.command) {
    case '001':
      return {
        ...state,
        nick: p[0] ?? state.nick,
        registered: true,
        everRegistered: true,
        status: { state: 'connected' },
        formError: null,
      };

    case '005':
      return reduceIsupport(state, p.slice(1, -1));

    case '900': // RPL_LOGGEDIN <nick> <nick!user@host> <account> :You are now logged in as <account>
      return p[2] ? { ...state, account: p[2], nickProtection: null } : state;
    case '901': // RPL_LOGGEDOUT
      return { ...state, account: null };

    case 'CAP': {
      const sub = (p[1] ?? '').toUpperCase();
      if (sub === 'ACK') {
        const caps = new Set(state.caps);
        for (const c of (p[p.length - 1] ?? '').split(' ').filter(Boolean)) {
          if (c.startsWith('-')) caps.delete(c.slice(1));
          else caps.add(c);
        }
        return { ...state, caps: [...caps] };
      }
      if (sub === 'DEL') {
        const gone = new Set((p[p.length - 1] ?? '').split(' '));
        return { ...state, caps: state.caps.filter((c) => !gone.has(c)) };
      }
      return state;
    }

    case 'PROFILE': {
      // :server PROFILE <nick|*> <age> <gender> :<town>
      if (p.length < 3) return state;
      const age = Number.parseInt(p[1], 10);
      if (!Number.isFinite(age)) return state;
      const profile: Profile = { age, gender: parseGender(p[2]), town: p[3] ?? '' };
      if (p[0] === '*' || isMe(state, p[0])) {
        const s = { ...state, profile };
        return state.nick ? { ...s, profiles: { ...s.profiles, [keyOf(s, state.nick)]: profile } } : s;
      }
      return { ...state, profiles: { ...state.profiles, [keyOf(state, p[0])]: profile } };
    }

    case 'FAIL':
    case 'WARN':
    case 'NOTE': {
      // FAIL <command> <code> [<context>...] :<description>
      const command = p[0] ?? '';
      const code = p[1] ?? '';
      const args = p.slice(2, -1);
      const description = p[p.length - 1] ?? '';
      const key = `${command}_${code}`;
      // History and read markers are fetched by the client on its own: a refusal (no history
      // for that conversation) is nothing the user asked for.
      if (command === 'CHATHISTORY' || command === 'MARKREAD') return state;
      if (msg.command === 'NOTE' && code === 'DECISION') return reduceDecision(state, p, time);
      const err: ServerError = { key, args: [...args, description] };
      const target = args[0];
      const about = command === 'JOIN' || command === 'PRIVMSG' || command === 'NOTICE' || command === 'TAGMSG';
      if (about && target && msg.command !== 'WARN') {
        const r = noteReply(state, last, target, msg.command);
        if (r.duplicate) return r.s;
        state = r.s;
        if (command === 'JOIN' && msg.command === 'FAIL') return joinRefused(state, target, err, time);
        if (command === 'PRIVMSG' || command === 'NOTICE') {
          const delivery: Delivery = msg.command === 'FAIL' ? 'refused' : code === 'MESSAGE_REQUEST' ? 'request' : 'held';
          let s = undelivered(state, target, delivery, err, time);
          if (s && code === 'CANNOT_MESSAGE') s = setCannotMessage(s, target, true);
          if (s) return s;
        }
        // Nothing waiting (a reaction, a /command): said in the target's conversation if open.
        const k = keyOf(state, target);
        if (state.buffers[k] && state.registered) {
          const s = addLine(state, k, { time, kind: msg.command === 'NOTE' ? 'info' : 'error', key, args: err.args });
          return code === 'CANNOT_MESSAGE' ? setCannotMessage(s, target, true) : s;
        }
      }
      let s = state;
      if (msg.command === 'FAIL' && (command === 'PROFILE' || command === 'NICK') && !state.registered) {
        s = { ...s, formError: err };
      }
      if (state.registered || msg.command !== 'FAIL') {
        s = addToActive(s, { time, kind: msg.command === 'NOTE' ? 'info' : 'error', key, args: err.args });
      }
      return s;
    }

    case '716': // ERR_TARGUMODEG <me> <nick> :is in +g mode: the message went as a request
    case '717': {
      // RPL_TARGNOTIFY <me> <nick> :has been informed that you messaged them.
      const nick = p[1];
      if (!nick) return state;
      const r = noteReply(state, last, nick, msg.command);
      if (r.duplicate) return r.s;
      return undelivered(r.s, nick, 'request', { key: 'PRIVMSG_MESSAGE_REQUEST', args: [nick, p[p.length - 1] ?? ''] }, time) ?? r.s;
    }
    case '718': {
      // RPL_UMODEGMSG <me> <nick> <user@host> :is messaging you. Use /ACCEPT +<nick> to allow.
      const nick = p[1];
      if (!nick) return state;
      const k = keyOf(state, nick);
      if (state.declined.includes(k) || state.ignored.some((n) => keyOf(state, n) === k)) return state;
      const request: MessageRequest = { nick, mask: p.length > 3 ? p[2] : '', time };
      return { ...state, requests: { ...state.requests, [k]: request } };
    }

    case 'ERROR': {
      const reason = p[0] ?? '';
      let s: ChatState = state;
      if (!state.registered && !state.formError) s = { ...s, formError: { key: 'closed', args: [reason] } };
      return addToActive(s, { time, kind: 'error', key: 'closed', args: [reason] });
    }

    case 'JOIN': {
      const channel = p[0];
      if (!channel) return state;
      const key = keyOf(state, channel);
      if (isMe(state, from)) {
        let s = state;
        if (s.joinRefusals[key]) {
          const joinRefusals = { ...s.joinRefusals };
          delete joinRefusals[key];
          s = { ...s, joinRefusals };
        }
        s = ensureBuffer(s, channel, 'room');
        s = withBuffer(s, key, (b) => ({ ...b, name: channel, joined: true, rejoin: true, members: {} }));
        s = addLine(s, key, { time, ...ids, kind: 'join', nick: from, self: true });
        // Show the room the user just joined, unless this is a rejoin after a reconnection.
        if (!state.buffers[key]) s = reduce(s, { type: 'select', key });
        return s;
      }
      if (!state.buffers[key]) return state;
      let s = withBuffer(state, key, (b) => ({
        ...b,
        members: { ...b.members, [keyOf(state, from)]: { nick: from, prefixes: '' } },
      }));
      return addLine(s, key, { time, ...ids, kind: 'join', nick: from });
    }

    case 'PART': {
      const channel = p[0];
      if (!channel) return state;
      const key = keyOf(state, channel);
      if (!state.buffers[key]) return state;
      if (isMe(state, from)) {
        // The user left: close the conversation.
        return reduce(state, { type: 'close', key });
      }
      const s = withBuffer(state, key, (b) => {
        const members = { ...b.members };
        delete members[keyOf(state, from)];
        return { ...b, members };
      });
      return addLine(s, key, { time, ...ids, kind: 'part', nick: from, text: p[1] ?? '' });
    }

    case 'KICK': {
      const [channel, victim, reason] = p;
      if (!channel || !victim) return state;
      const key = keyOf(state, channel);
      if (!state.buffers[key]) return state;
      let s = withBuffer(state, key, (b) => {
        const members = { ...b.members };
        delete members[keyOf(state, victim)];
        return isMe(state, victim) ? { ...b, members: {}, joined: false, rejoin: false } : { ...b, members };
      });
      return addLine(s, key, {
        time,
        ...ids,
        kind: 'kick',
        nick: from,
        target: victim,
        text: reason ?? '',
        self: isMe(state, victim),
      });
    }

    case 'QUIT': {
      if (isMe(state, from)) return state;
      let s = state;
      const n = keyOf(state, from);
      for (const key of channelsOf(state, from)) {
        s = withBuffer(s, key, (b) => {
          const members = { ...b.members };
          delete members[n];
          return { ...b, members };
        });
        s = addLine(s, key, { time, ...ids, kind: 'quit', nick: from, text: p[0] ?? '' });
      }
      if (s.buffers[n]?.kind === 'private') s = addLine(s, n, { time, ...ids, kind: 'quit', nick: from, text: p[0] ?? '' });
      return s;
    }

    case 'NICK': {
      const newNick = p[0];
      if (!newNick) return state;
      const oldKey = keyOf(state, from);
      const newKey = keyOf(state, newNick);
      const me = isMe(state, from);
      let s: ChatState = state;
      if (me) {
        s = { ...s, nick: newNick, formError: null };
        // Renamed by the server at the end of the grace period of a registered nick.
        const prot = state.nickProtection;
        if (prot && keyOf(state, prot.nick) === oldKey && oldKey !== newKey) {
          s = { ...s, nickProtection: null, renamed: /^Guest[0-9]+$/i.test(newNick) ? { from: from, to: newNick } : null };
        }
      }
      // Profiles follow the nick.
      if (s.profiles[oldKey]) {
        const profiles = { ...s.profiles, [newKey]: s.profiles[oldKey] };
        if (oldKey !== newKey) delete profiles[oldKey];
        s = { ...s, profiles };
      }
      const affected = me ? s.order.filter((k) => s.buffers[k].kind === 'room' && s.buffers[k].joined) : channelsOf(s, from);
      for (const key of affected) {
        s = withBuffer(s, key, (b) => {
          const members = { ...b.members };
          const m = members[oldKey];
          if (m) {
            delete members[oldKey];
            members[newKey] = { ...m, nick: newNick };
          }
          return { ...b, members };
        });
        s = addLine(s, key, { time, ...ids, kind: 'nick', nick: from, target: newNick, self: me });
      }
      // A private conversation follows the other person's nick.
      if (!me && s.buffers[oldKey]?.kind === 'private') {
        const b = { ...s.buffers[oldKey], name: newNick };
        const buffers = { ...s.buffers };
        delete buffers[oldKey];
        buffers[newKey] = b;
        s = {
          ...s,
          buffers,
          order: s.order.map((k) => (k === oldKey ? newKey : k)),
          active: s.active === oldKey ? newKey : s.active,
        };
        s = addLine(s, newKey, { time, ...ids, kind: 'nick', nick: from, target: newNick });
      }
      return s;
    }

    case 'MODE': {
      const target = p[0];
      if (!target || !isChannel(state, target)) return state;
      const key = keyOf(state, target);
      if (!state.buffers[key]) return state;
      let s = applyChannelModes(state, key, p.slice(1));
      return addLine(s, key, { time, ...ids, kind: 'mode', nick: from, target: p.slice(1).join(' ') });
    }

    case '324': // RPL_CHANNELMODEIS: nothing shown
      return state;

    case '332': {
      const key = keyOf(state, p[1] ?? '');
      return withBuffer(state, key, (b) => ({ ...b, topic: p[2] ?? '' }));
    }
    case '331': {
      const key = keyOf(state, p[1] ?? '');
      return withBuffer(state, key, (b) => ({ ...b, topic: '' }));
    }
    case '333': {
      const key = keyOf(state, p[1] ?? '');
      const setter = (p[2] ?? '').split('!')[0];
      const when = Number.parseInt(p[3] ?? '', 10);
      return withBuffer(state, key, (b) => ({
        ...b,
        topicSetBy: setter,
        topicTime: Number.isFinite(when) ? when * 1000 : undefined,
      }));
    }
    case 'TOPIC': {
      const key = keyOf(state, p[0] ?? '');
      if (!state.buffers[key]) return state;
      const s = withBuffer(state, key, (b) => ({ ...b, topic: p[1] ?? '', topicSetBy: from, topicTime: time }));
      return addLine(s, key, { time, ...ids, kind: 'topic', nick: from, text: p[1] ?? '', self: isMe(state, from) });
    }

    case '353': {
      // RPL_NAMREPLY <me> <symbol> <channel> :<names>
      const channel = p[2];
      if (!channel) return state;
      const key = keyOf(state, channel);
      if (!state.buffers[key]) return state;
      const symbols = state.isupport.prefixSymbols;
      return withBuffer(state, key, (b) => {
        const members = b.namesInProgress ? { ...b.members } : {};
        for (const entry of (p[3] ?? '').split(' ').filter(Boolean)) {
          const m = parseNamesEntry(entry, symbols);
          members[keyOf(state, m.nick)] = m;
        }
        return { ...b, members, namesInProgress: true };
      });
    }
    case '366': {
      const key = keyOf(state, p[1] ?? '');
      return withBuffer(state, key, (b) => ({ ...b, namesInProgress: false }));
    }

    case 'PRIVMSG':
    case 'NOTICE':
      return reduceMessage(state, msg, time);

    case 'TAGMSG': {
      const typing = msg.tags['+typing'];
      const target = p[0];
      if (!target || !from) return state;
      const key = isChannel(state, target) ? keyOf(state, target) : keyOf(state, isMe(state, from) ? target : from);
      if (!isMe(state, from) && state.ignored.some((n) => keyOf(state, n) === keyOf(state, from))) return state;
      const react = msg.tags['+draft/react'];
      const reply = msg.tags['+draft/reply'];
      let s = state;
      if (react && reply) s = withBuffer(s, key, (b) => reactTo(s, b, reply, react, from));
      if (isMe(state, from)) return s;
      // IRCv3 typing: "active" lasts a few seconds (receive time, not server time); any other
      // TAGMSG from the sender ends it, as a message does.
      const current = { ...(s.typing[key] ?? {}) };
      if (typing === 'active') current[keyOf(s, from)] = now;
      else if (!current[keyOf(s, from)]) return s;
      else delete current[keyOf(s, from)];
      return { ...s, typing: { ...s.typing, [key]: current } };
    }

    case 'REDACT': {
      // draft/message-redaction: REDACT <target> <msgid> [:reason]. The text goes from this
      // client's memory too (and from what it keeps for a reload); the line stays, marked.
      const target = p[0];
      const msgid = p[1];
      if (!target || !msgid || !from) return state;
      const key = isChannel(state, target) ? keyOf(state, target) : keyOf(state, isMe(state, from) ? target : from);
      return withBuffer(state, key, (b) => {
        const i = findByMsgid(b.lines, msgid);
        if (i < 0 || b.lines[i].redacted) return b;
        const lines = [...b.lines];
        const { text: _text, reactions: _reactions, ...kept } = lines[i];
        lines[i] = { ...kept, redacted: true };
        return { ...b, lines };
      });
    }

    case 'MARKREAD': {
      // draft/read-marker: MARKREAD <target> timestamp=<time> | *
      const target = p[0];
      const m = /^timestamp=(.+)$/.exec(p[1] ?? '');
      if (!target || !m) return state;
      const t = Date.parse(m[1]);
      if (Number.isNaN(t)) return state;
      return withBuffer(state, keyOf(state, target), (b) => {
        if (t <= b.readUpTo) return b;
        // Read elsewhere (another tab or device): what was unread here may not be any more.
        const unread = state.active === keyOf(state, target) ? b.unread : Math.min(b.unread, unseen(b.lines, t));
        return { ...b, readUpTo: t, unread };
      });
    }
  }
  return state;
}

/**
 * The line a replayed event shows (draft/event-playback: joins, parts, quits, kicks, nick and
 * topic changes, modes), as it showed live; null for anything else. Members and the topic are
 * not changed: they are the room's now, not then.
 */
function eventLine(state: ChatState, msg: IrcMessage, time: number): Omit<Line, 'id'> | null {
  const from = msg.source?.nick ?? '';
  const p = msg.params;
  const base: Omit<Line, 'id' | 'kind'> = { time, nick: from };
  if (msg.tags['msgid']) base.msgid = msg.tags['msgid'];
  switch (msg.command) {
    case 'JOIN':
      return { ...base, kind: 'join', self: isMe(state, from) };
    case 'PART':
      return { ...base, kind: 'part', text: p[1] ?? '' };
    case 'QUIT':
      return { ...base, kind: 'quit', text: p[0] ?? '' };
    case 'KICK':
      return { ...base, kind: 'kick', target: p[1] ?? '', text: p[2] ?? '', self: isMe(state, p[1]) };
    case 'NICK':
      return { ...base, kind: 'nick', target: p[0] ?? '', self: isMe(state, from) };
    case 'TOPIC':
      return { ...base, kind: 'topic', text: p[1] ?? '', self: isMe(state, from) };
    case 'MODE':
      return { ...base, kind: 'mode', target: p.slice(1).join(' ') };
  }
  return null;
}

/** `nick` reacted with `emoji` to the message `msgid` of this conversation (if it is still there). */
function reactTo(state: ChatState, b: Buffer, msgid: string, emoji: string, nick: string): Buffer {
  const i = findByMsgid(b.lines, msgid);
  if (i < 0) return b;
  const line = withReaction(b.lines[i], emoji, nick, (x, y) => keyOf(state, x) === keyOf(state, y));
  if (line === b.lines[i]) return b;
  const lines = [...b.lines];
  lines[i] = line;
  return { ...b, lines };
}

/**
 * Replayed messages (CHATHISTORY) of one conversation: those not already shown (by msgid) are
 * merged by server time, reactions attached to their message. In the conversation on screen
 * the divider moves to what the user had read; elsewhere the new ones count as unread.
 */
function reduceHistory(state: ChatState, target: string, messages: IrcMessage[], now: number): ChatState {
  if (!target) return state;
  const room = isChannel(state, target);
  let s = room ? state : ensureBuffer(state, target, 'private');
  const key = keyOf(s, target);
  const b = s.buffers[key];
  if (!b) return s; // a room the user is no longer in
  const seen = new Set(b.lines.map((l) => l.msgid).filter(Boolean));
  const incoming: Line[] = [];
  const reactions: IrcMessage[] = [];
  let nextId = s.nextId;
  for (const msg of messages) {
    if (msg.command === 'TAGMSG') {
      if (msg.tags['+draft/react'] && msg.tags['+draft/reply']) reactions.push(msg);
      continue;
    }
    const msgid = msg.tags['msgid'];
    if (msgid && seen.has(msgid)) continue;
    const time = messageTime(msg, now);
    const line =
      msg.command === 'PRIVMSG' || msg.command === 'NOTICE'
        ? !msg.source || isServerSource(msg)
          ? null
          : messageLine(s, msg, time)
        : eventLine(s, msg, time);
    if (!line) continue;
    if (msgid) seen.add(msgid);
    incoming.push({ ...line, id: nextId++ });
  }
  let next: Buffer = { ...b, lines: mergeByTime(b.lines, incoming) };
  for (const r of reactions) {
    const from = r.source?.nick ?? '';
    if (from && !s.ignored.some((n) => keyOf(s, n) === keyOf(s, from))) {
      next = reactTo(s, next, r.tags['+draft/reply'], r.tags['+draft/react'], from);
    }
  }
  if (next.lines.length > MAX_LINES) next = { ...next, lines: next.lines.slice(-MAX_LINES) };
  const fresh = unseen(incoming, b.readUpTo);
  if (s.active === key && s.visible) {
    next = {
      ...next,
      divider: fresh > 0 ? b.readUpTo : b.divider,
      readUpTo: Math.max(b.readUpTo, latestMessageTime(next.lines)),
    };
  } else {
    // One's own message (sent from elsewhere) means everything before it was read.
    const own = incoming.filter((l) => l.self).reduce((t, l) => Math.max(t, l.time), 0);
    next = { ...next, unread: next.unread + unseen(incoming, Math.max(b.readUpTo, own)), readUpTo: Math.max(b.readUpTo, own) };
  }
  s = { ...s, nextId, buffers: { ...s.buffers, [key]: next } };
  return s;
}

function reduceIsupport(state: ChatState, tokens: string[]): ChatState {
  const isupport = { ...state.isupport };
  for (const token of tokens) {
    const eq = token.indexOf('=');
    const name = eq < 0 ? token : token.slice(0, eq);
    const value = eq < 0 ? '' : token.slice(eq + 1);
    // "-TOKEN": the server no longer offers it.
    if (name === '-SALON_REPORT') {
      isupport.report = false;
      isupport.reportCategories = [];
    }
    switch (name) {
      case 'PREFIX': {
        const m = /^\(([^)]*)\)(.*)$/.exec(value);
        if (m && m[1].length === m[2].length) {
          isupport.prefixModes = m[1];
          isupport.prefixSymbols = m[2];
        }
        break;
      }
      case 'CHANMODES': {
        const parts = value.split(',');
        isupport.chanmodes = [parts[0] ?? '', parts[1] ?? '', parts[2] ?? '', parts[3] ?? ''];
        break;
      }
      case 'CHANTYPES':
        isupport.chantypes = value;
        break;
      case 'CASEMAPPING':
        if (value === 'ascii' || value === 'rfc1459' || value === 'strict-rfc1459') isupport.casemapping = value;
        break;
      case 'NICKLEN': {
        const n = Number.parseInt(value, 10);
        if (n > 0) isupport.nicklen = n;
        break;
      }
      case 'NETWORK':
        isupport.network = value;
        break;
      case 'CHATHISTORY': {
        const n = Number.parseInt(value, 10);
        isupport.chathistory = n > 0 ? n : 0;
        break;
      }
      case 'SALON_REPORT':
        isupport.report = true;
        isupport.reportCategories = value.split(',').filter(Boolean);
        break;
    }
  }
  return { ...state, isupport };
}

/** Applies prefix mode changes (+o/+v...) to the member list; other modes take parameters as CHANMODES says. */
function applyChannelModes(state: ChatState, key: string, args: string[]): ChatState {
  const modes = args[0] ?? '';
  let argIndex = 1;
  let adding = true;
  const { prefixModes, prefixSymbols, chanmodes } = state.isupport;
  const b = state.buffers[key];
  const members = { ...b.members };
  for (const c of modes) {
    if (c === '+' || c === '-') {
      adding = c === '+';
      continue;
    }
    const pi = prefixModes.indexOf(c);
    if (pi >= 0) {
      const nick = args[argIndex++];
      if (!nick) continue;
      const n = keyOf(state, nick);
      const m = members[n];
      if (!m) continue;
      const symbol = prefixSymbols[pi];
      const prefixes = adding
        ? sortPrefixes(m.prefixes + symbol, prefixSymbols)
        : m.prefixes.replace(symbol, '');
      members[n] = { ...m, prefixes };
    } else if (chanmodes[0].includes(c) || chanmodes[1].includes(c) || (adding && chanmodes[2].includes(c))) {
      argIndex++;
    }
  }
  return { ...state, buffers: { ...state.buffers, [key]: { ...b, members } } };
}

const CTCP = '\x01';

/**
 * The line a PRIVMSG/NOTICE shows (live or replayed), or null when it shows none: from someone
 * ignored, or a CTCP other than ACTION.
 */
function messageLine(state: ChatState, msg: IrcMessage, time: number): Omit<Line, 'id'> | null {
  const from = msg.source?.nick ?? '';
  let text = msg.params[1] ?? '';
  const notice = msg.command === 'NOTICE';
  const self = isMe(state, from);
  if (!self && state.ignored.some((n) => keyOf(state, n) === keyOf(state, from))) return null;
  let kind: LineKind = notice ? 'notice' : 'message';
  if (text.startsWith(CTCP)) {
    const body = text.slice(1, text.endsWith(CTCP) ? -1 : undefined);
    if (!notice && body.startsWith('ACTION ')) {
      kind = 'action';
      text = body.slice(7);
    } else if (body === 'ACTION') {
      kind = 'action';
      text = '';
    } else {
      return null; // other CTCP requests/replies are not shown
    }
  }
  const line: Omit<Line, 'id'> = { time, kind, nick: from, text, self };
  if (msg.tags['msgid']) line.msgid = msg.tags['msgid'];
  if (msg.tags['+draft/reply']) line.replyTo = msg.tags['+draft/reply'];
  return line;
}

/** Server notices: no user source, or a server name before registration. */
function isServerSource(msg: IrcMessage): boolean {
  const from = msg.source?.nick ?? '';
  return !msg.source || (!msg.source.user && !msg.source.host && from.includes('.'));
}

function reduceMessage(state: ChatState, msg: IrcMessage, time: number): ChatState {
  const from = msg.source?.nick ?? '';
  const target = msg.params[0] ?? '';
  const notice = msg.command === 'NOTICE';
  const self = isMe(state, from);
  const line = messageLine(state, msg, time);
  if (!line) return state;
  const text = line.text ?? '';

  if (notice && !self && isNickServ(state, from)) {
    const prot = nickProtectionNotice(text);
    if (prot !== null && target && isMe(state, target) && !state.account) {
      state = { ...state, nickProtection: { nick: state.nick, seconds: prot }, renamed: null };
    }
  }

  // Server notices (no user source, or before registration) go to the active conversation.
  if (isServerSource(msg)) {
    return addToActive(state, { time, kind: 'notice', nick: from, text });
  }

  let s = state;
  let key: string;
  if (isChannel(state, target.replace(/^[@+~&%]+(?=[#&])/, ''))) {
    const channel = target.replace(/^[@+~&%]+(?=[#&])/, '');
    key = keyOf(s, channel);
    if (!s.buffers[key]) return s;
  } else {
    // Private: the conversation is named after the other person.
    const other = self ? target : from;
    if (notice && !s.buffers[keyOf(s, other)]) {
      return addToActive(s, { time, kind: 'notice', nick: from, text, self });
    }
    s = ensureBuffer(s, other, 'private');
    key = keyOf(s, other);
  }
  // Already shown (replayed by history before it arrived live, or the other way round).
  if (line.msgid && findByMsgid(s.buffers[key].lines, line.msgid) >= 0) return s;
  if (self && !notice) {
    s = echoed(s, key, text);
    // Held for review, or sent as a request, and now delivered: that line is this message.
    const b = s.buffers[key];
    const i = b.lines.findIndex((l) => l.self && (l.delivery === 'held' || l.delivery === 'request') && l.text === text && l.kind === line.kind);
    if (i >= 0) {
      const lines = [...b.lines];
      const { delivery: _d, reason: _r, ...kept } = lines[i];
      lines[i] = { ...kept, ...(line.msgid ? { msgid: line.msgid } : {}) };
      return withBuffer(s, key, (x) => ({ ...x, lines }));
    }
  }
  if (isPrivateBuffer(s, key)) s = setCannotMessage(s, s.buffers[key].name, false);
  s = addLine(s, key, line, !self);
  // Someone who sends a message has stopped typing.
  if (s.typing[key]?.[keyOf(s, from)]) {
    const t = { ...s.typing[key] };
    delete t[keyOf(s, from)];
    s = { ...s, typing: { ...s.typing, [key]: t } };
  }
  return s;
}

function isPrivateBuffer(state: ChatState, key: string): boolean {
  return state.buffers[key]?.kind === 'private';
}

/** The server echoed an own message: it no longer waits (the one with that text, else the oldest). */
function echoed(state: ChatState, key: string, text: string): ChatState {
  const queue = state.outgoing[key];
  if (!queue || queue.length === 0) return state;
  let i = queue.findIndex((o) => o.text === text);
  if (i < 0) i = 0;
  return { ...state, outgoing: { ...state.outgoing, [key]: [...queue.slice(0, i), ...queue.slice(i + 1)] } };
}

function isNickServ(state: ChatState, nick: string): boolean {
  return keyOf(state, nick) === 'nickserv';
}

/**
 * NickServ's "This nickname is registered. Identify within 30 seconds ..." (account-protocol.md,
 * nick protection): the grace period in seconds, or null for any other notice.
 */
export function nickProtectionNotice(text: string): number | null {
  if (!/nickname is registered/i.test(text)) return null;
  const m = /within ([0-9]+) seconds?/i.exec(text);
  return m ? Number.parseInt(m[1], 10) : 30;
}

// ---------------------------------------------------------------------------------------------
// Selectors

export function totalUnread(state: ChatState): number {
  return state.order.reduce((n, k) => n + (state.buffers[k]?.unread ?? 0), 0);
}

/** Members sorted: by highest prefix, then by nick. */
export function sortedMembers(state: ChatState, key: string): Member[] {
  const b = state.buffers[key];
  if (!b) return [];
  const symbols = state.isupport.prefixSymbols;
  const rank = (m: Member) => (m.prefixes ? symbols.indexOf(m.prefixes[0]) : symbols.length);
  return Object.values(b.members).sort(
    (a, c) => rank(a) - rank(c) || a.nick.localeCompare(c.nick, undefined, { sensitivity: 'base' }),
  );
}

/** Rooms to join again after (re)registration. */
export function roomsToRejoin(state: ChatState): string[] {
  return state.order
    .map((k) => state.buffers[k])
    .filter((b) => b && b.kind === 'room' && b.rejoin)
    .map((b) => b.name);
}
