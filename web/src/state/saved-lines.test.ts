import { describe, expect, it } from 'vitest';
import { parse } from '../irc/message';
import { initialState, reduce, type ChatState } from './reducer';
import { linesFromState, parseSavedLines, SAVED_LINES_PER_BUFFER } from './saved-lines';

const T0 = Date.UTC(2024, 0, 1, 12);
const feed = (s: ChatState, ...lines: string[]) => lines.reduce((x, l) => reduce(x, { type: 'irc', msg: parse(l)!, now: T0 }), s);

function session(): ChatState {
  let s = reduce(initialState(), { type: 'login', nick: 'alice', profile: null });
  s = feed(s, ':salon.local 001 alice :hi', ':alice!a@h JOIN #room', ':salon.local 366 alice #room :End');
  for (let i = 0; i < SAVED_LINES_PER_BUFFER + 5; i++) {
    s = feed(s, `@time=${new Date(T0 + i * 1000).toISOString()};msgid=m${i} :bob!u@h PRIVMSG #room :n${i}`);
  }
  return feed(s, '@+draft/react=👍;+draft/reply=m104 :carol!u@h TAGMSG #room');
}

describe('saved lines', () => {
  it('keeps the last messages of each conversation and how far it was read, and reads them back', () => {
    const s = session();
    const saved = parseSavedLines(JSON.stringify(linesFromState(s)))!;
    const room = saved.buffers['#room'];
    expect(room.lines).toHaveLength(SAVED_LINES_PER_BUFFER);
    expect(room.lines.every((l) => l.kind === 'message')).toBe(true); // the join line is not kept
    expect(room.lines[room.lines.length - 1]).toEqual({ time: T0 + 104_000, kind: 'message', nick: 'bob', text: 'n104', msgid: 'm104', reactions: { '👍': ['carol'] } });
    expect(room.read).toBe(T0 + 104_000);
  });

  it('gives a reloaded tab its messages back, with fresh ids', () => {
    const s = session();
    const saved = parseSavedLines(JSON.stringify(linesFromState(s)));
    const r = reduce(initialState(), {
      type: 'resume',
      saved: { v: 1, nick: 'alice', profile: null, rooms: ['#room'], privates: [], active: '#room', credentials: null },
      lines: saved,
    });
    const b = r.buffers['#room'];
    expect(b.lines.map((l) => l.text)).toEqual(saved!.buffers['#room'].lines.map((l) => l.text));
    expect(new Set(b.lines.map((l) => l.id)).size).toBe(b.lines.length);
    expect(b.readUpTo).toBe(T0 + 104_000);
  });

  it('reads nothing from malformed records and skips malformed lines', () => {
    expect(parseSavedLines(null)).toBeNull();
    expect(parseSavedLines('{')).toBeNull();
    expect(parseSavedLines('{"v":2,"buffers":{}}')).toBeNull();
    const r = parseSavedLines(JSON.stringify({ v: 1, buffers: { '#r': { read: 5, lines: [{ time: 1, kind: 'message', text: 'ok' }, { time: 'x', kind: 'message' }, { time: 2, kind: 'error' }] }, '#bad': { lines: [] } } }));
    expect(r).toEqual({ v: 1, buffers: { '#r': { read: 5, lines: [{ time: 1, kind: 'message', text: 'ok' }] } } });
  });
});
