import { describe, expect, it } from 'vitest';
import { utf8Length } from './message';
import {
  batchLines,
  composerLines,
  MAX_BATCHES,
  MAX_PLAIN_LINES,
  parseMultilineCap,
  partsText,
  planBatches,
  planComposer,
  splitLine,
} from './multiline';

describe('parseMultilineCap', () => {
  it('reads max-bytes and max-lines and ignores unknown keys', () => {
    expect(parseMultilineCap('max-bytes=4096,max-lines=24')).toEqual({ maxBytes: 4096, maxLines: 24 });
    expect(parseMultilineCap('future=1,max-bytes=100')).toEqual({ maxBytes: 100, maxLines: 0 });
  });
  it('is null without a usable max-bytes (it is required)', () => {
    expect(parseMultilineCap(undefined)).toBeNull();
    expect(parseMultilineCap('')).toBeNull();
    expect(parseMultilineCap('max-lines=5')).toBeNull();
    expect(parseMultilineCap('max-bytes=lots')).toBeNull();
  });
});

describe('splitLine', () => {
  it('cuts between words, the space staying at the end of a piece', () => {
    expect(splitLine('hello world again', 12)).toEqual(['hello world ', 'again']);
    expect(splitLine('short', 12)).toEqual(['short']);
  });
  it('cuts inside a word that is longer than a piece, never inside a character', () => {
    const pieces = splitLine('é'.repeat(7), 5); // 14 bytes
    expect(pieces).toEqual(['éé', 'éé', 'éé', 'é']);
    expect(pieces.every((p) => utf8Length(p) <= 5)).toBe(true);
    expect(splitLine('😀😀', 5)).toEqual(['😀', '😀']);
  });
  it('keeps every character: the pieces join back to the line', () => {
    const line = 'Lorem ipsum dolor sit amet, consectetur adipiscing élit, sed do eiusmod tempor';
    expect(splitLine(line, 17).join('')).toBe(line);
  });
});

describe('composerLines', () => {
  it('drops blank lines at both ends, keeps those inside, normalises CRLF', () => {
    expect(composerLines('\n  \nfirst\r\n\nsecond\n\n')).toEqual(['first', '', 'second']);
    expect(composerLines(' \n ')).toEqual([]);
  });
});

describe('planBatches', () => {
  it('puts everything in one batch when it fits, with concat for cut lines', () => {
    const batches = planBatches(['one', 'two words'], { maxBytes: 100, maxLines: 10 }, 6);
    expect(batches).toEqual([
      [
        { text: 'one', concat: false },
        { text: 'two ', concat: false },
        { text: 'words', concat: true },
      ],
    ]);
    expect(partsText(batches[0])).toBe('one\ntwo words');
  });
  it('counts a line feed between lines towards max-bytes and starts a new batch past it', () => {
    // "aaaa\nbbbb" is 9 bytes: fits in 9, not in 8.
    expect(planBatches(['aaaa', 'bbbb'], { maxBytes: 9, maxLines: 0 }, 400)).toHaveLength(1);
    expect(planBatches(['aaaa', 'bbbb'], { maxBytes: 8, maxLines: 0 }, 400)).toEqual([[{ text: 'aaaa', concat: false }], [{ text: 'bbbb', concat: false }]]);
  });
  it('starts a new batch past max-lines', () => {
    const batches = planBatches(['1', '2', '3', '4', '5'], { maxBytes: 1000, maxLines: 2 }, 400);
    expect(batches.map((b) => b.map((p) => p.text))).toEqual([['1', '2'], ['3', '4'], ['5']]);
  });
  it('never begins or ends a batch with a blank line', () => {
    const batches = planBatches(['a', '', 'b', '', 'c'], { maxBytes: 1000, maxLines: 2 }, 400);
    for (const b of batches) {
      expect(b[0].text).not.toBe('');
      expect(b[b.length - 1].text).not.toBe('');
    }
    expect(batches.flat().map((p) => p.text).filter(Boolean)).toEqual(['a', 'b', 'c']);
  });
  it('keeps every batch within max-bytes', () => {
    const lines = Array.from({ length: 30 }, (_, i) => `line ${i} `.repeat(20));
    const limits = { maxBytes: 1000, maxLines: 8 };
    for (const b of planBatches(lines, limits, 400)) {
      expect(utf8Length(partsText(b))).toBeLessThanOrEqual(limits.maxBytes);
      expect(b.length).toBeLessThanOrEqual(limits.maxLines);
      expect(b[0].concat).toBe(false);
    }
  });
});

describe('planComposer', () => {
  const limits = { maxBytes: 4096, maxLines: 24 };
  it('sends a single short line as it is, with or without multiline', () => {
    expect(planComposer('hello', null, 400)).toEqual({ kind: 'lines', lines: ['hello'] });
    expect(planComposer('hello', limits, 400)).toEqual({ kind: 'lines', lines: ['hello'] });
  });
  it('without multiline: one line each, blank ones skipped, each within the line limit', () => {
    expect(planComposer('a\n\nb', null, 400)).toEqual({ kind: 'lines', lines: ['a', 'b'] });
    expect(planComposer('x'.repeat(401), null, 400)).toEqual({ kind: 'error', key: 'composer.tooLong', args: [401, 400] });
    const many = Array.from({ length: MAX_PLAIN_LINES + 1 }, (_, i) => `l${i}`).join('\n');
    expect(planComposer(many, null, 400)).toMatchObject({ kind: 'error', key: 'composer.tooManyLines' });
  });
  it('with multiline: several lines or a long one in batches', () => {
    expect(planComposer('a\nb', limits, 400)).toEqual({ kind: 'batches', batches: [[{ text: 'a', concat: false }, { text: 'b', concat: false }]] });
    const long = planComposer('y'.repeat(500), limits, 400);
    expect(long).toEqual({ kind: 'batches', batches: [[{ text: 'y'.repeat(400), concat: false }, { text: 'y'.repeat(100), concat: true }]] });
  });
  it('refuses more than MAX_BATCHES batches’ worth of bytes or lines, and empty text', () => {
    const max = MAX_BATCHES * 4096;
    expect(planComposer('é'.repeat(max / 2 + 1), limits, 400)).toEqual({ kind: 'error', key: 'composer.tooLong', args: [max + 2, max] });
    expect(planComposer('é'.repeat(max / 2), limits, 400)).toMatchObject({ kind: 'batches' });
    const many = Array.from({ length: MAX_BATCHES * 24 + 1 }, () => 'z').join('\n');
    expect(planComposer(many, limits, 400)).toEqual({ kind: 'error', key: 'composer.tooManyLines', args: [MAX_BATCHES * 24 + 1, MAX_BATCHES * 24] });
    expect(planComposer(' \n\n ', limits, 400)).toEqual({ kind: 'error', key: 'composer.empty', args: [] });
  });
});

describe('batchLines', () => {
  it('writes BATCH with the client tags, the lines tagged batch= (and concat), and the end', () => {
    const lines = batchLines('ml1', 'PRIVMSG', '#r', [
      { text: 'hello', concat: false },
      { text: '', concat: false },
      { text: 'how is ', concat: false },
      { text: 'everyone?', concat: true },
    ], { '+draft/reply': 'abc' });
    expect(lines).toEqual([
      '@+draft/reply=abc BATCH +ml1 draft/multiline #r',
      '@batch=ml1 PRIVMSG #r :hello',
      '@batch=ml1 PRIVMSG #r :',
      '@batch=ml1 PRIVMSG #r :how is ',
      '@batch=ml1;draft/multiline-concat PRIVMSG #r :everyone?',
      'BATCH -ml1',
    ]);
  });
});
