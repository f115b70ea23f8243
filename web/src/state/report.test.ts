// Reports (issue 9), the client's side: the REPORT line for each kind of subject, the comment's
// escaping and limits, the server's answers, feature detection, and a report over a session
// (the next NOTE/FAIL REPORT answers it and is not shown in the log).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse, utf8Length } from '../irc/message';
import { initialState, reduce, type Action, type ChatState } from './reducer';
import {
  COMMENT_MAX_CHARS,
  LINE_MAX_BYTES,
  REPORT_CATEGORIES,
  commentRoom,
  normalizeComment,
  offeredCategories,
  parseReportReply,
  reportAvailable,
  reportFailureKey,
  reportLine,
  type ReportResult,
  type ReportSubject,
} from './report';
import { dictionaries, translate } from '../i18n';
import { Session } from '../net/session';
import { createStore } from '../net/store';
import { REPORT_TIMEOUT_MS } from '../net/report';

const message: ReportSubject = { kind: 'message', target: '#lobby', msgid: 'a1b2c3', nick: 'kim', text: 'you will regret it' };
const privateMessage: ReportSubject = { kind: 'message', target: 'kim', msgid: 'ff09', nick: 'kim', text: 'send me a photo' };
const member: ReportSubject = { kind: 'member', target: 'kim' };

describe('the REPORT line', () => {
  it('a message in a room: the room, the category, the msgid, the comment as trailing', () => {
    expect(reportLine(message, 'threat', 'he says he knows where I live')).toBe('REPORT #lobby threat a1b2c3 :he says he knows where I live');
  });

  it('a message in a private conversation names the sender', () => {
    expect(reportLine(privateMessage, 'grooming', 'asks for photos')).toBe('REPORT kim grooming ff09 :asks for photos');
  });

  it('a person: no msgid', () => {
    expect(reportLine(member, 'harassment', 'every day')).toBe('REPORT kim harassment :every day');
  });

  it('an empty comment is still a trailing parameter', () => {
    expect(reportLine(member, 'spam', '')).toBe('REPORT kim spam :');
    expect(reportLine(message, 'other', '   ')).toBe('REPORT #lobby other a1b2c3 :');
  });

  it('the comment is text: a leading colon, colons and spaces are kept; line breaks become spaces', () => {
    expect(reportLine(member, 'other', ':-) see: this')).toBe('REPORT kim other ::-) see: this');
    expect(reportLine(member, 'other', 'first line\r\nsecond\n\nthird\tend')).toBe('REPORT kim other :first line second third end');
    expect(reportLine(member, 'other', 'a\0b')).toBe('REPORT kim other :a b');
    expect(reportLine(member, 'hate', 'Ça suffit, « vraiment »')).toBe('REPORT kim hate :Ça suffit, « vraiment »');
    // The line parses back to the same parameters.
    const back = parse(reportLine(message, 'threat', ':x y'))!;
    expect(back.command).toBe('REPORT');
    expect(back.params).toEqual(['#lobby', 'threat', 'a1b2c3', ':x y']);
  });

  it('a target or msgid that cannot be a parameter is refused, not sent broken', () => {
    expect(() => reportLine({ kind: 'member', target: 'a b' }, 'spam', '')).toThrow();
    expect(() => reportLine({ ...message, msgid: '' }, 'spam', '')).toThrow();
  });

  it('offers every category, child safety first', () => {
    expect(REPORT_CATEGORIES).toEqual(['child_abuse', 'grooming', 'non_consensual', 'threat', 'hate', 'harassment', 'illegal_goods', 'spam', 'other']);
  });

  it('every category has words in English and French', () => {
    for (const lang of ['en', 'fr'] as const) {
      for (const c of REPORT_CATEGORIES) expect(dictionaries[lang][`report.cat.${c}`], `${lang} ${c}`).toBeTruthy();
    }
    expect(translate('en', 'report.cat.child_abuse')).toBe('Child sexual abuse');
    expect(translate('en', 'report.cat.grooming')).toBe('Grooming of a minor');
    expect(translate('fr', 'report.cat.spam')).toBe('Spam ou arnaque');
  });
});

describe('the comment limit', () => {
  it('500 characters when the line has room for them', () => {
    expect(COMMENT_MAX_CHARS).toBe(500);
    expect(normalizeComment('  a  b  ')).toBe('a b');
    // The line leaves less than 500 bytes: its room is the limit.
    const room = commentRoom(member, '');
    expect(room).toBe(LINE_MAX_BYTES - 'REPORT kim non_consensual :'.length);
    expect(commentRoom(member, 'abc')).toBe(room - 3);
  });

  it('whatever fits is sendable within one line, with the longest category and a msgid', () => {
    const room = commentRoom(message, '');
    const text = 'x'.repeat(room);
    expect(commentRoom(message, text)).toBe(0);
    expect(utf8Length(reportLine(message, 'non_consensual', text))).toBeLessThanOrEqual(LINE_MAX_BYTES);
    expect(commentRoom(message, text + 'y')).toBe(-1);
  });

  it('an accented letter takes two bytes of the line', () => {
    expect(commentRoom(member, 'é')).toBe(commentRoom(member, '') - 2);
  });

  it('a short line: the 500 characters are the limit', () => {
    // A very short target and no msgid still leaves less than 500 + prefix: the smaller wins.
    const s: ReportSubject = { kind: 'member', target: 'k' };
    expect(commentRoom(s, 'x'.repeat(10))).toBe(Math.min(COMMENT_MAX_CHARS - 10, LINE_MAX_BYTES - 'REPORT k non_consensual :'.length - 10));
  });
});

describe("the server's answer", () => {
  it('NOTE REPORT RECEIVED with the reference', () => {
    expect(parseReportReply(parse(':salon.local NOTE REPORT RECEIVED R-42 :Thank you, moderators will look at it')!)).toEqual({
      ok: true,
      id: 'R-42',
      text: 'Thank you, moderators will look at it',
    });
  });

  it('FAIL REPORT with a code and a context', () => {
    expect(parseReportReply(parse(':salon.local FAIL REPORT UNKNOWN_MESSAGE a1b2c3 :No such message')!)).toEqual({
      ok: false,
      code: 'UNKNOWN_MESSAGE',
      context: ['a1b2c3'],
      text: 'No such message',
    });
    expect(parseReportReply(parse(':salon.local FAIL REPORT RATE_LIMITED :Too many reports, try again later')!)).toEqual({
      ok: false,
      code: 'RATE_LIMITED',
      context: [],
      text: 'Too many reports, try again later',
    });
  });

  it('other lines are not answers', () => {
    expect(parseReportReply(parse(':salon.local NOTE REPORTS ENTRY R-1 spam kim open 1 :x')!)).toBeNull();
    expect(parseReportReply(parse(':salon.local FAIL PRIVMSG MUTED #lobby :You are muted')!)).toBeNull();
    expect(parseReportReply(parse(':salon.local NOTE REPORT SOMETHING :x')!)).toBeNull();
    expect(parseReportReply(parse(':kim!k@h PRIVMSG #lobby :REPORT')!)).toBeNull();
  });

  it('failures in words: known codes localized, unknown ones in the server words', () => {
    const fail = (code: string, text = 'server words', context: string[] = []): ReportResult & { ok: false } => ({ ok: false, code, context, text });
    expect(reportFailureKey(fail('RATE_LIMITED'), 'kim')).toEqual({ key: 'report.err.RATE_LIMITED', args: ['kim'] });
    expect(reportFailureKey(fail('UNKNOWN_TARGET', 'x', ['kimmy']), 'kim')).toEqual({ key: 'report.err.UNKNOWN_TARGET', args: ['kimmy'] });
    expect(reportFailureKey(fail('SOMETHING_NEW', 'Reports are paused'), 'kim')).toEqual({ key: 'report.err.server', args: ['Reports are paused'] });
    for (const lang of ['en', 'fr'] as const) {
      for (const code of ['UNAVAILABLE', 'UNKNOWN_TARGET', 'UNKNOWN_MESSAGE', 'INVALID_CATEGORY', 'RATE_LIMITED', 'TEXT_TOO_LONG', 'INVALID_PARAMS', 'offline', 'noAnswer', 'notSupported', 'busy', 'cannotSend', 'server']) {
        expect(dictionaries[lang][`report.err.${code}`], `${lang} ${code}`).toBeTruthy();
      }
    }
  });
});

describe('feature detection', () => {
  const feed = (s: ChatState, ...lines: string[]) => lines.reduce((x, l) => reduce(x, { type: 'irc', msg: parse(l)!, now: 0 }), s);
  const base = () => reduce(initialState(), { type: 'login', nick: 'alice', profile: null });

  it('off by default', () => {
    expect(reportAvailable(base())).toBe(false);
    expect(reportAvailable(feed(base(), ':salon.local 005 alice CHANTYPES=# NETWORK=Salon :are supported'))).toBe(false);
  });

  it('the ISUPPORT token SALON_REPORT, and its removal', () => {
    const s = feed(base(), ':salon.local 005 alice CHANTYPES=# SALON_REPORT NETWORK=Salon :are supported');
    expect(reportAvailable(s)).toBe(true);
    expect(reportAvailable(feed(s, ':salon.local 005 alice -SALON_REPORT :are supported'))).toBe(false);
    // A new connection learns it again.
    expect(reportAvailable(reduce(s, { type: 'disconnected' }))).toBe(false);
  });

  it('SALON_REPORT=<list>: the categories the server takes, in our order', () => {
    const s = feed(base(), ':salon.local 005 alice SALON_REPORT=spam,other,child_abuse,newthing :are supported');
    expect(reportAvailable(s)).toBe(true);
    expect(offeredCategories(s)).toEqual(['child_abuse', 'spam', 'other']);
    // No list, or none of ours: all of them (the server says which it refuses).
    expect(offeredCategories(feed(base(), ':salon.local 005 alice SALON_REPORT :are supported'))).toEqual([...REPORT_CATEGORIES]);
    expect(offeredCategories(feed(base(), ':salon.local 005 alice SALON_REPORT=weird :are supported'))).toEqual([...REPORT_CATEGORIES]);
  });

  it('the salon.chat/report capability', () => {
    expect(reportAvailable(feed(base(), ':salon.local CAP * ACK :message-tags salon.chat/report'))).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// Over a session

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

describe('a report over a session', () => {
  let sockets: FakeSocket[];
  let store: ReturnType<typeof createStore<ChatState, Action>>;
  let session: Session;

  beforeEach(() => {
    vi.useFakeTimers();
    (globalThis as unknown as { WebSocket: unknown }).WebSocket = FakeSocket;
    sockets = [];
    store = createStore<ChatState, Action>(reduce, initialState());
    session = new Session(store, 'ws://test/irc', () => {
      const s = new FakeSocket();
      sockets.push(s);
      return s as unknown as WebSocket;
    });
  });
  afterEach(() => vi.useRealTimers());

  function connect(caps: string, isupport: string) {
    session.start('alice', { age: 30, gender: 'f', town: '' });
    const ws = sockets[0];
    ws.open();
    ws.recv(`:salon.local CAP * LS :${caps}`);
    ws.recv(`:salon.local CAP * ACK :${caps}`);
    ws.recv(':salon.local 001 alice :Welcome');
    ws.recv(`:salon.local 005 alice CHANTYPES=# ${isupport} :are supported`);
    ws.recv(':alice!a@h JOIN #lobby');
    return ws;
  }

  const lobbyLog = () => store.getState().buffers['#lobby'].lines.map((l) => `${l.kind} ${l.key ?? ''}`);

  it('the capability is asked for when offered', () => {
    session.start('alice', null);
    const ws = sockets[0];
    ws.open();
    ws.recv(':salon.local CAP * LS :message-tags standard-replies salon.chat/report');
    expect(ws.sent[1]).toBe('CAP REQ :message-tags standard-replies salon.chat/report');
  });

  it('no report where the server does not take them', async () => {
    const ws = connect('message-tags standard-replies', 'NETWORK=Salon');
    expect(session.canReport).toBe(false);
    const r = await session.report(member, 'spam', '');
    expect(r).toMatchObject({ ok: false, code: 'notSupported' });
    expect(ws.sent.some((l) => l.startsWith('REPORT'))).toBe(false);
  });

  it('sends the line and resolves with the reference; the NOTE is not in the log', async () => {
    const ws = connect('message-tags standard-replies', 'SALON_REPORT');
    expect(session.canReport).toBe(true);
    const before = lobbyLog();
    const p = session.report(message, 'threat', 'scary');
    expect(ws.sent.at(-1)).toBe('REPORT #lobby threat a1b2c3 :scary');
    ws.recv(':salon.local NOTE REPORT RECEIVED R-7 :Report received; moderators will look at it');
    await expect(p).resolves.toEqual({ ok: true, id: 'R-7', text: 'Report received; moderators will look at it' });
    expect(lobbyLog()).toEqual(before);
  });

  it('a refusal resolves with its code; lines in between are handled as usual', async () => {
    const ws = connect('message-tags standard-replies salon.chat/report', '');
    const p = session.report(message, 'spam', '');
    ws.recv(':kim!k@h PRIVMSG #lobby :still here');
    ws.recv(':salon.local FAIL REPORT RATE_LIMITED :Too many reports; try again in a minute');
    await expect(p).resolves.toEqual({ ok: false, code: 'RATE_LIMITED', context: [], text: 'Too many reports; try again in a minute' });
    expect(store.getState().buffers['#lobby'].lines.at(-1)).toMatchObject({ kind: 'message', text: 'still here' });
  });

  it('one report at a time; a server without the command says 421', async () => {
    const ws = connect('message-tags', 'SALON_REPORT');
    const first = session.report(member, 'spam', '');
    await expect(session.report(member, 'hate', '')).resolves.toMatchObject({ ok: false, code: 'busy' });
    ws.recv(':salon.local 421 alice REPORT :Unknown command');
    await expect(first).resolves.toMatchObject({ ok: false, code: 'notSupported' });
  });

  it('a 461 and its FAIL REPORT INVALID_PARAMS are one answer, neither in the log', async () => {
    const ws = connect('message-tags standard-replies', 'SALON_REPORT');
    store.dispatch({ type: 'select', key: '#lobby' });
    const before = lobbyLog();
    const p = session.report(member, 'spam', '');
    ws.recv(':salon.local 461 alice REPORT :Not enough parameters');
    ws.recv(':salon.local FAIL REPORT INVALID_PARAMS :Use REPORT <nick|#room> <category> [<msgid>] :<text>');
    await expect(p).resolves.toMatchObject({ ok: false, code: 'INVALID_PARAMS' });
    expect(lobbyLog()).toEqual(before);
  });

  it('UNAVAILABLE (the server could not store it) has words', () => {
    expect(reportFailureKey({ ok: false, code: 'UNAVAILABLE', context: [], text: 'disk full' }, 'kim').key).toBe('report.err.UNAVAILABLE');
  });

  it('no answer within the time, or the connection lost', async () => {
    const ws = connect('message-tags', 'SALON_REPORT');
    const p = session.report(member, 'spam', '');
    vi.advanceTimersByTime(REPORT_TIMEOUT_MS);
    await expect(p).resolves.toMatchObject({ ok: false, code: 'noAnswer' });
    const q = session.report(member, 'spam', '');
    ws.drop();
    await expect(q).resolves.toMatchObject({ ok: false, code: 'offline' });
    await expect(session.report(member, 'spam', '')).resolves.toMatchObject({ ok: false, code: 'offline' });
  });

  it('a FAIL REPORT that answers nothing in flight is shown like any refusal', () => {
    const ws = connect('message-tags standard-replies', 'SALON_REPORT');
    store.dispatch({ type: 'select', key: '#lobby' });
    ws.recv(':salon.local FAIL REPORT RATE_LIMITED :Too many reports');
    expect(store.getState().buffers['#lobby'].lines.at(-1)).toMatchObject({ kind: 'error', key: 'REPORT_RATE_LIMITED' });
  });
});
