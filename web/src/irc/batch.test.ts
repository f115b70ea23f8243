import { describe, expect, it } from 'vitest';
import { parse, type IrcMessage } from './message';
import { BatchCollector, flatten, isBatch, multilineMessage, MAX_BATCH_ITEMS, type Batch } from './batch';

function feed(c: BatchCollector, ...lines: string[]): (IrcMessage | Batch)[] {
  return lines.flatMap((l) => c.push(parse(l)!));
}

describe('BatchCollector', () => {
  it('lets unbatched lines through at once and holds batched ones until the end', () => {
    const c = new BatchCollector();
    expect(feed(c, ':a!u@h PRIVMSG #r :hi')).toHaveLength(1);
    expect(feed(c, ':s BATCH +x chathistory #r', '@batch=x :a!u@h PRIVMSG #r :one', '@batch=x :b!u@h PRIVMSG #r :two')).toEqual([]);
    const [b] = feed(c, ':s BATCH -x');
    expect(isBatch(b)).toBe(true);
    const batch = b as Batch;
    expect(batch.type).toBe('chathistory');
    expect(batch.params).toEqual(['#r']);
    expect(batch.items.map((m) => (m as IrcMessage).params[1])).toEqual(['one', 'two']);
  });

  it('puts a nested batch inside its parent, and gives the parent only when it ends', () => {
    const c = new BatchCollector();
    const out = feed(
      c,
      ':s BATCH +h chathistory #r',
      '@batch=h;msgid=m1;time=2024-01-01T10:00:00.000Z :a!u@h BATCH +ml draft/multiline #r',
      '@batch=ml :a!u@h PRIVMSG #r :first',
      '@batch=ml :a!u@h PRIVMSG #r :second',
      ':a!u@h BATCH -ml',
      '@batch=h;msgid=m2 :b!u@h PRIVMSG #r :after',
    );
    expect(out).toEqual([]);
    const [h] = feed(c, ':s BATCH -h') as Batch[];
    expect(h.items).toHaveLength(2);
    expect(isBatch(h.items[0])).toBe(true);
    const messages = flatten(h);
    expect(messages.map((m) => m.params[1])).toEqual(['first\nsecond', 'after']);
    expect(messages[0].tags['msgid']).toBe('m1');
  });

  it('ignores the end of a batch it never saw and lets lines of an unknown batch through', () => {
    const c = new BatchCollector();
    expect(feed(c, ':s BATCH -nope')).toEqual([]);
    expect(feed(c, '@batch=nope :a!u@h PRIVMSG #r :orphan')).toHaveLength(1);
  });

  it('forgets open batches on reset (a new connection)', () => {
    const c = new BatchCollector();
    feed(c, ':s BATCH +x chathistory #r');
    c.reset();
    expect(feed(c, '@batch=x :a!u@h PRIVMSG #r :late')).toHaveLength(1);
  });

  it('gives up a batch that never ends past MAX_BATCH_ITEMS lines', () => {
    const c = new BatchCollector();
    feed(c, ':s BATCH +x chathistory #r');
    let out: (IrcMessage | Batch)[] = [];
    for (let i = 0; i <= MAX_BATCH_ITEMS && out.length === 0; i++) out = feed(c, `@batch=x :a!u@h PRIVMSG #r :${i}`);
    expect(out).toHaveLength(MAX_BATCH_ITEMS + 1);
    expect(feed(c, '@batch=x :a!u@h PRIVMSG #r :next')).toHaveLength(1);
  });
});

describe('multilineMessage', () => {
  it('joins lines with LF, concat lines with nothing, and takes the tags of the BATCH line', () => {
    const c = new BatchCollector();
    const [b] = feed(
      c,
      '@msgid=xyz;time=2024-01-01T10:00:00.000Z;+draft/reply=abc :n!u@h BATCH +1 draft/multiline #chan',
      '@batch=1 :n!u@h PRIVMSG #chan hello',
      '@batch=1 :n!u@h PRIVMSG #chan :how is ',
      '@batch=1;draft/multiline-concat :n!u@h PRIVMSG #chan :everyone?',
      '@batch=1 :n!u@h PRIVMSG #chan :',
      '@batch=1 :n!u@h PRIVMSG #chan :bye',
      ':n!u@h BATCH -1',
    ) as Batch[];
    const m = multilineMessage(b)!;
    expect(m.command).toBe('PRIVMSG');
    expect(m.params).toEqual(['#chan', 'hello\nhow is everyone?\n\nbye']);
    expect(m.tags).toEqual({ msgid: 'xyz', time: '2024-01-01T10:00:00.000Z', '+draft/reply': 'abc' });
    expect(m.source?.nick).toBe('n');
  });

  it('is null for a batch without messages', () => {
    const c = new BatchCollector();
    const [b] = feed(c, ':n!u@h BATCH +1 draft/multiline #chan', ':n!u@h BATCH -1') as Batch[];
    expect(multilineMessage(b)).toBeNull();
  });
});
