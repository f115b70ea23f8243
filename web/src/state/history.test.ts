// Room history in the state: replayed messages merged in order and without duplicates,
// reactions, replies, the read position and the "new messages" divider.
import { describe, expect, it } from 'vitest';
import { parse } from '../irc/message';
import { BatchCollector, flatten, type Batch } from '../irc/batch';
import { initialState, MAX_LINES, reduce, type ChatState } from './reducer';
import { timeline } from './timeline';
import { mergeByTime } from './history';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);
const iso = (t: number) => new Date(t).toISOString();

function feed(state: ChatState, ...lines: string[]): ChatState {
  return lines.reduce((s, l) => reduce(s, { type: 'irc', msg: parse(l)!, now: T0 + 3_600_000 }), state);
}

/** A chathistory batch as the server sends it, through the collector as the session does. */
function history(state: ChatState, target: string, ...lines: string[]): ChatState {
  const c = new BatchCollector();
  const all = [`:salon.local BATCH +h chathistory ${target}`, ...lines.map((l) => `@batch=h;${l.slice(1)}`), ':salon.local BATCH -h'];
  const [b] = all.flatMap((l) => c.push(parse(l)!)) as Batch[];
  return reduce(state, { type: 'history', target, messages: flatten(b), now: T0 + 3_600_000 });
}

const msg = (minute: number, id: string, nick: string, text: string, target = '#room') =>
  `@time=${iso(T0 + minute * 60_000)};msgid=${id} :${nick}!u@h PRIVMSG ${target} :${text}`;

function registered(): ChatState {
  let s = reduce(initialState(), { type: 'login', nick: 'alice', profile: { age: 30, gender: 'f', town: '' } });
  return feed(
    s,
    ':salon.local CAP * ACK :message-tags server-time echo-message batch draft/chathistory',
    ':salon.local 001 alice :Welcome',
    ':salon.local 005 alice CHANTYPES=# CHATHISTORY=100 :are supported',
  );
}

function joined(): ChatState {
  return feed(registered(), `@time=${iso(T0 + 30 * 60_000)} :alice!a@h JOIN #room`, ':salon.local 353 alice = #room :alice bob carol', ':salon.local 366 alice #room :End');
}

const texts = (s: ChatState, key = '#room') => s.buffers[key].lines.filter((l) => l.kind === 'message').map((l) => l.text);

describe('history on join', () => {
  it('shows replayed messages in time order before the live ones, own ones marked', () => {
    let s = joined();
    expect(s.isupport.chathistory).toBe(100);
    s = feed(s, msg(31, 'live1', 'carol', 'live after the join'));
    s = history(s, '#room', msg(10, 'h1', 'bob', 'first'), msg(12, 'h2', 'alice', 'mine, earlier'), msg(20, 'h3', 'carol', 'third'));
    const lines = s.buffers['#room'].lines;
    expect(lines.map((l) => l.kind === 'message' ? l.text : l.kind)).toEqual(['first', 'mine, earlier', 'third', 'join', 'live after the join']);
    expect(lines[1].self).toBe(true);
    expect(lines[0].msgid).toBe('h1');
    expect(lines[0].time).toBe(T0 + 10 * 60_000); // server-time, not the receive time
  });

  it('drops a replayed message already shown live, and a live one already replayed (same msgid)', () => {
    let s = joined();
    s = feed(s, msg(31, 'm2', 'bob', 'both live and replayed'));
    s = history(s, '#room', msg(29, 'm1', 'bob', 'before'), msg(31, 'm2', 'bob', 'both live and replayed'));
    expect(texts(s)).toEqual(['before', 'both live and replayed']);
    s = feed(s, msg(29, 'm1', 'bob', 'before'));
    expect(texts(s)).toEqual(['before', 'both live and replayed']);
    // Twice in one batch: once.
    s = history(s, '#room', msg(32, 'm3', 'carol', 'dup'), msg(32, 'm3', 'carol', 'dup'));
    expect(texts(s)).toEqual(['before', 'both live and replayed', 'dup']);
  });

  it('keeps at most MAX_LINES lines, the newest', () => {
    let s = joined();
    const lines = Array.from({ length: MAX_LINES + 20 }, (_, i) => `@time=${iso(T0 + i)};msgid=x${i} :bob!u@h PRIVMSG #room :n${i}`);
    s = history(s, '#room', ...lines);
    expect(s.buffers['#room'].lines).toHaveLength(MAX_LINES);
    const kept = texts(s);
    expect(kept[kept.length - 1]).toBe(`n${MAX_LINES + 19}`); // the newest kept, the oldest dropped
    expect(kept).not.toContain('n0');
  });

  it('skips messages from people the user ignores and CTCPs other than ACTION', () => {
    let s = reduce(joined(), { type: 'ignore', nick: 'carol', on: true });
    s = history(s, '#room', msg(1, 'a', 'carol', 'ignored'), msg(2, 'b', 'bob', '\x01VERSION\x01'), msg(3, 'c', 'bob', '\x01ACTION waves\x01'));
    expect(s.buffers['#room'].lines.filter((l) => l.kind === 'action').map((l) => l.text)).toEqual(['waves']);
    expect(texts(s)).toEqual([]);
  });

  it('opens a private conversation for replayed private messages', () => {
    let s = registered();
    s = history(s, 'bob', msg(5, 'p1', 'bob', 'hi alice', 'alice'), msg(6, 'p2', 'alice', 'hi bob', 'bob'));
    expect(s.buffers['bob'].kind).toBe('private');
    expect(texts(s, 'bob')).toEqual(['hi alice', 'hi bob']);
  });
});

describe('the new-messages divider', () => {
  it('on a first join, sits before the first replayed message from someone else', () => {
    let s = history(joined(), '#room', msg(10, 'h0', 'alice', 'mine'), msg(11, 'h1', 'bob', 'new to me'), msg(12, 'h2', 'carol', 'also new'));
    const b = s.buffers['#room'];
    expect(b.divider).toBe(0);
    const items = timeline(b.lines, b.divider).filter((i) => i.kind !== 'date');
    const at = items.findIndex((i) => i.kind === 'divider');
    expect(items[at + 1]).toMatchObject({ kind: 'line', line: { text: 'new to me' } });
    expect(b.readUpTo).toBe(T0 + 12 * 60_000); // shown, so read
  });

  it('follows the server read marker (MARKREAD) when the user had read some of it', () => {
    let s = feed(registered(), `@time=${iso(T0 + 30 * 60_000)} :alice!a@h JOIN #room`, `:salon.local MARKREAD #room timestamp=${iso(T0 + 11 * 60_000)}`);
    expect(s.buffers['#room'].readUpTo).toBe(T0 + 11 * 60_000);
    s = history(s, '#room', msg(10, 'h0', 'bob', 'read'), msg(11, 'h1', 'bob', 'read too'), msg(12, 'h2', 'carol', 'unread'));
    const b = s.buffers['#room'];
    expect(b.divider).toBe(T0 + 11 * 60_000);
    const items = timeline(b.lines, b.divider).filter((i) => i.kind !== 'date');
    const at = items.findIndex((i) => i.kind === 'divider');
    expect(items[at + 1]).toMatchObject({ kind: 'line', line: { text: 'unread' } });
  });

  it('is absent when everything replayed was read, and MARKREAD * changes nothing', () => {
    let s = feed(registered(), ':alice!a@h JOIN #room', ':salon.local MARKREAD #room *', `:salon.local MARKREAD #room timestamp=${iso(T0 + 50 * 60_000)}`);
    s = history(s, '#room', msg(10, 'h0', 'bob', 'old'));
    expect(s.buffers['#room'].divider).toBeNull();
    expect(timeline(s.buffers['#room'].lines, null).some((i) => i.kind === 'divider')).toBe(false);
  });

  it('never moves the read position back (an older MARKREAD)', () => {
    let s = history(joined(), '#room', msg(20, 'h0', 'bob', 'x'));
    s = feed(s, `:salon.local MARKREAD #room timestamp=${iso(T0)}`);
    expect(s.buffers['#room'].readUpTo).toBe(T0 + 20 * 60_000);
  });

  it('in a conversation not on screen: new messages count as unread, read elsewhere they do not', () => {
    let s = joined();
    s = feed(s, ':alice!a@h JOIN #other', ':salon.local 366 alice #other :End');
    s = reduce(s, { type: 'select', key: '#other' });
    s = history(s, '#room', msg(40, 'a', 'bob', 'one'), msg(41, 'b', 'bob', 'two'));
    expect(s.buffers['#room'].unread).toBe(2);
    s = feed(s, `:salon.local MARKREAD #room timestamp=${iso(T0 + 40 * 60_000)}`); // read on another device
    expect(s.buffers['#room'].unread).toBe(1);
    s = reduce(s, { type: 'select', key: '#room' });
    expect(s.buffers['#room'].divider).toBe(T0 + 40 * 60_000);
    expect(s.buffers['#room'].unread).toBe(0);
  });

  it('live messages in the conversation on screen are read; while the page is hidden they are not', () => {
    let s = history(joined(), '#room', msg(10, 'h0', 'bob', 'x'));
    s = feed(s, msg(40, 'l1', 'bob', 'seen live'));
    expect(s.buffers['#room'].readUpTo).toBe(T0 + 40 * 60_000);
    s = reduce(s, { type: 'visibility', visible: false });
    s = feed(s, msg(41, 'l2', 'carol', 'while away'));
    expect(s.buffers['#room'].readUpTo).toBe(T0 + 40 * 60_000);
    s = reduce(s, { type: 'visibility', visible: true });
    expect(s.buffers['#room'].divider).toBe(T0 + 40 * 60_000);
    expect(s.buffers['#room'].readUpTo).toBe(T0 + 41 * 60_000);
  });
});

describe('reactions and replies', () => {
  it('a redacted message loses its text and reactions and stays marked as removed', () => {
    let s = history(joined(), '#room', msg(10, 'm1', 'bob', 'secret'), msg(11, 'm2', 'bob', 'kept'));
    s = feed(s, '@+draft/react=👍;+draft/reply=m1 :carol!u@h TAGMSG #room');
    s = feed(s, ':bob!u@h REDACT #room m1 :oops', ':bob!u@h REDACT #room nosuchid');
    const lines = s.buffers['#room'].lines;
    const m1 = lines.find((l) => l.msgid === 'm1');
    expect(m1?.redacted).toBe(true);
    expect(m1?.text).toBeUndefined();
    expect(m1?.reactions).toBeUndefined();
    expect(lines.find((l) => l.msgid === 'm2')?.text).toBe('kept');
    expect(JSON.stringify(s)).not.toContain('secret');
  });

  it('counts reactions per message and per person, from live TAGMSGs and from history', () => {
    let s = history(joined(), '#room', msg(10, 'm1', 'bob', 'hello'), '@time=x;+draft/react=👍;+draft/reply=m1 :carol!u@h TAGMSG #room');
    expect(s.buffers['#room'].lines.find((l) => l.msgid === 'm1')?.reactions).toEqual({ '👍': ['carol'] });
    s = feed(s, '@+draft/react=👍;+draft/reply=m1 :bob!u@h TAGMSG #room', '@+draft/react=🎉;+draft/reply=m1 :alice!a@h TAGMSG #room');
    s = feed(s, '@+draft/react=👍;+draft/reply=m1 :carol!u@h TAGMSG #room'); // again: counted once
    expect(s.buffers['#room'].lines.find((l) => l.msgid === 'm1')?.reactions).toEqual({ '👍': ['carol', 'bob'], '🎉': ['alice'] });
  });

  it('ignores reactions to unknown messages, without +draft/reply, or absurdly long', () => {
    let s = history(joined(), '#room', msg(10, 'm1', 'bob', 'hello'));
    const before = s.buffers['#room'];
    s = feed(s, '@+draft/react=👍;+draft/reply=nope :carol!u@h TAGMSG #room', '@+draft/react=👍 :carol!u@h TAGMSG #room', `@+draft/react=${'x'.repeat(65)};+draft/reply=m1 :carol!u@h TAGMSG #room`);
    expect(s.buffers['#room'].lines).toEqual(before.lines);
  });

  it('a reaction ends the sender’s typing, as any message does', () => {
    let s = history(joined(), '#room', msg(10, 'm1', 'bob', 'hello'));
    s = feed(s, '@+typing=active :carol!u@h TAGMSG #room');
    expect(Object.keys(s.typing['#room'])).toEqual(['carol']);
    s = feed(s, '@+draft/react=👍;+draft/reply=m1 :carol!u@h TAGMSG #room');
    expect(s.typing['#room']).toEqual({});
  });

  it('keeps what a message replies to, and applies a reaction without echo locally', () => {
    let s = history(joined(), '#room', msg(10, 'm1', 'bob', 'question?'));
    s = feed(s, `@time=${iso(T0 + 40 * 60_000)};msgid=m2;+draft/reply=m1 :carol!u@h PRIVMSG #room :answer`);
    expect(s.buffers['#room'].lines.find((l) => l.msgid === 'm2')?.replyTo).toBe('m1');
    s = reduce(s, { type: 'localReact', target: '#room', msgid: 'm1', emoji: '❤️' });
    expect(s.buffers['#room'].lines.find((l) => l.msgid === 'm1')?.reactions).toEqual({ '❤️': ['alice'] });
  });

  it('shows a multi-line message (assembled from its batch) as one line with its line breaks', () => {
    const c = new BatchCollector();
    const [b] = [
      `@time=${iso(T0 + 40 * 60_000)};msgid=ml :bob!u@h BATCH +1 draft/multiline #room`,
      '@batch=1 :bob!u@h PRIVMSG #room :line one',
      '@batch=1 :bob!u@h PRIVMSG #room :line two',
      ':bob!u@h BATCH -1',
    ].flatMap((l) => c.push(parse(l)!)) as Batch[];
    const [m] = flatten({ ...b, items: [b], type: 'x' });
    const s = reduce(joined(), { type: 'irc', msg: m, now: T0 });
    expect(texts(s)).toEqual(['line one\nline two']);
  });
});

describe('mergeByTime', () => {
  const l = (id: number, time: number) => ({ id, time, kind: 'message' as const });
  it('puts each replayed line after the last shown line not later than it', () => {
    const shown = [l(1, 10), l(2, 20), l(3, 30)];
    expect(mergeByTime(shown, [l(9, 25), l(8, 5), l(7, 20), l(6, 99)]).map((x) => x.id)).toEqual([8, 1, 2, 7, 9, 3, 6]);
  });
  it('is not pulled above a line stamped by a clock that runs ahead', () => {
    const shown = [l(1, 1000), l(2, 10), l(3, 1000)]; // 1 and 3: local clock far ahead
    expect(mergeByTime(shown, [l(4, 11), l(5, 12)]).map((x) => x.id)).toEqual([1, 2, 4, 5, 3]);
  });
});

describe('a room left and joined again in the same tab', () => {
  it('keeps what was read of it for the divider', () => {
    let s = history(joined(), '#room', msg(10, 'h0', 'bob', 'read before leaving'));
    s = feed(s, ':alice!a@h PART #room');
    expect(s.buffers['#room']).toBeUndefined();
    s = feed(s, ':alice!a@h JOIN #room');
    s = history(s, '#room', msg(10, 'h0', 'bob', 'read before leaving'), msg(45, 'h1', 'carol', 'new since'));
    const b = s.buffers['#room'];
    expect(b.divider).toBe(T0 + 10 * 60_000);
    const items = timeline(b.lines, b.divider).filter((i) => i.kind !== 'date');
    expect(items[items.findIndex((i) => i.kind === 'divider') + 1]).toMatchObject({ kind: 'line', line: { text: 'new since' } });
  });
});

describe('events in history (draft/event-playback)', () => {
  it('shows replayed joins, parts, nick and topic changes as lines, the live ones once', () => {
    let s = feed(registered(), `@time=${iso(T0 + 30 * 60_000)};msgid=j0 :alice!a@h JOIN #room`);
    s = history(
      s,
      '#room',
      `@time=${iso(T0 + 1 * 60_000)};msgid=e1 :bob!u@h JOIN #room`,
      msg(2, 'm1', 'bob', 'hi'),
      `@time=${iso(T0 + 3 * 60_000)};msgid=e2 :bob!u@h NICK bobby`,
      `@time=${iso(T0 + 4 * 60_000)};msgid=e3 :bobby!u@h TOPIC #room :old topic`,
      `@time=${iso(T0 + 5 * 60_000)};msgid=e4 :bobby!u@h PART #room :bye`,
      `@time=${iso(T0 + 30 * 60_000)};msgid=j0 :alice!a@h JOIN #room`, // the join that asked: already shown
    );
    const lines = s.buffers['#room'].lines;
    expect(lines.map((l) => [l.kind, l.nick, l.target ?? l.text ?? ''])).toEqual([
      ['join', 'bob', ''],
      ['message', 'bob', 'hi'],
      ['nick', 'bob', 'bobby'],
      ['topic', 'bobby', 'old topic'],
      ['part', 'bobby', 'bye'],
      ['join', 'alice', ''],
    ]);
    expect(lines[5].self).toBe(true);
    // The room's state is today's, not the replayed one.
    expect(s.buffers['#room'].topic).toBe('');
    expect(s.buffers['#room'].divider).toBe(0);
    const items = timeline(s.buffers['#room'].lines, s.buffers['#room'].divider).filter((i) => i.kind !== 'date');
    expect(items[items.findIndex((i) => i.kind === 'divider') + 1]).toMatchObject({ kind: 'line', line: { text: 'hi' } });
  });
});
