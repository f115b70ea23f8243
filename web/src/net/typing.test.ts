import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TYPING_PAUSE_MS, TYPING_THROTTLE_MS, TypingNotifier } from './typing';

let sent: string[];
let typing: TypingNotifier;

beforeEach(() => {
  vi.useFakeTimers();
  sent = [];
  typing = new TypingNotifier((target, status) => sent.push(`${target} ${status}`), () => Date.now());
});
afterEach(() => vi.useRealTimers());

describe('TypingNotifier', () => {
  it('sends active at the first key, then again at most every 3 s while typing', () => {
    typing.input('#r', 'h');
    expect(sent).toEqual(['#r active']);
    for (let i = 0; i < 10; i++) {
      vi.advanceTimersByTime(500);
      typing.input('#r', 'hello'.slice(0, (i % 5) + 1));
    }
    // 5 s of typing: the first at 0, another once 3 s had passed.
    expect(sent).toEqual(['#r active', '#r active']);
  });

  it('sends paused once when typing stops with text left', () => {
    typing.input('#r', 'hello');
    vi.advanceTimersByTime(TYPING_PAUSE_MS);
    expect(sent).toEqual(['#r active', '#r paused']);
    vi.advanceTimersByTime(60_000);
    expect(sent).toEqual(['#r active', '#r paused']);
  });

  it('sends done when the box is emptied, no sooner than 3 s after the last notification', () => {
    typing.input('#r', 'hello');
    vi.advanceTimersByTime(1000);
    typing.input('#r', '');
    expect(sent).toEqual(['#r active']);
    vi.advanceTimersByTime(TYPING_THROTTLE_MS - 1000);
    expect(sent).toEqual(['#r active', '#r done']);
  });

  it('sends done after the message is sent; typing again meanwhile replaces it', () => {
    typing.input('#r', 'hello');
    typing.stop('#r'); // sent
    vi.advanceTimersByTime(TYPING_THROTTLE_MS);
    expect(sent).toEqual(['#r active', '#r done']);
    typing.input('#r', 'n');
    vi.advanceTimersByTime(1000);
    typing.stop('#r');
    vi.advanceTimersByTime(1000);
    typing.input('#r', 'ne'); // typing again before done went out: done is dropped
    vi.advanceTimersByTime(TYPING_THROTTLE_MS);
    expect(sent).toEqual(['#r active', '#r done', '#r active']);
  });

  it('sends nothing for a /command or when nothing was typed, and nothing after reset', () => {
    typing.input('#r', '/join #x');
    typing.stop('#r');
    typing.stop('#other');
    expect(sent).toEqual([]);
    typing.input('#r', '//not a command');
    expect(sent).toEqual(['#r //not a command'.replace('//not a command', 'active')]);
    typing.stop('#r');
    typing.reset();
    vi.advanceTimersByTime(10_000);
    expect(sent).toEqual(['#r active']);
  });

  it('throttles each target on its own', () => {
    typing.input('#a', 'x');
    typing.input('#b', 'y');
    expect(sent).toEqual(['#a active', '#b active']);
  });
});
