import { describe, expect, it } from 'vitest';
import { escapeTagValue, line, text, parse, parseSource, serialize, SerializeError, unescapeTagValue, utf8Length } from './message';
import { equal, lower } from './casemap';

describe('parse', () => {
  it('parses a command with middle and trailing parameters', () => {
    expect(parse('PRIVMSG #room :hello world')).toEqual({
      tags: {},
      command: 'PRIVMSG',
      params: ['#room', 'hello world'],
    });
  });

  it('parses a user source', () => {
    const m = parse(':alice!al@1a2b.salon JOIN #friendship')!;
    expect(m.source).toEqual({ raw: 'alice!al@1a2b.salon', nick: 'alice', user: 'al', host: '1a2b.salon' });
    expect(m.command).toBe('JOIN');
    expect(m.params).toEqual(['#friendship']);
  });

  it('parses a server source and numerics', () => {
    const m = parse(':salon.local 001 bob :Welcome to Salon, bob')!;
    expect(m.source?.nick).toBe('salon.local');
    expect(m.source?.user).toBeUndefined();
    expect(m.command).toBe('001');
    expect(m.params).toEqual(['bob', 'Welcome to Salon, bob']);
  });

  it('parses tags with escapes and valueless tags', () => {
    const m = parse('@time=2024-01-02T03:04:05.678Z;msgid=ab\\:c\\sd\\\\e;+flag :a!b@c PRIVMSG #x :hi')!;
    expect(m.tags).toEqual({ time: '2024-01-02T03:04:05.678Z', msgid: 'ab;c d\\e', '+flag': '' });
    expect(m.params).toEqual(['#x', 'hi']);
  });

  it('keeps an empty trailing parameter and colons inside it', () => {
    expect(parse('TOPIC #room :')!.params).toEqual(['#room', '']);
    expect(parse('PRIVMSG #room ::-) a:b')!.params).toEqual(['#room', ':-) a:b']);
  });

  it('tolerates repeated spaces and a trailing CRLF', () => {
    expect(parse(':s  353   me = #r :@a +b c\r\n')!.params).toEqual(['me', '=', '#r', '@a +b c']);
  });

  it('upper-cases the command', () => {
    expect(parse('ping :token')!.command).toBe('PING');
  });

  it('returns null for lines without a valid command', () => {
    expect(parse('')).toBeNull();
    expect(parse('@a=b')).toBeNull();
    expect(parse(':source.only')).toBeNull();
    expect(parse('12 x')).toBeNull();
    expect(parse('PRIV-MSG x')).toBeNull();
  });

  it('parses CAP LS continuation lines', () => {
    const m = parse(':salon.local CAP * LS * :message-tags server-time sasl=PLAIN,EXTERNAL')!;
    expect(m.params).toEqual(['*', 'LS', '*', 'message-tags server-time sasl=PLAIN,EXTERNAL']);
  });

  it('parses the PROFILE message', () => {
    const m = parse(':salon.local PROFILE alice 25 f :Paris 11e')!;
    expect(m.params).toEqual(['alice', '25', 'f', 'Paris 11e']);
  });

  it('keeps UTF-8 text intact', () => {
    expect(parse('PRIVMSG #r :Ça va ? 🎉')!.params[1]).toBe('Ça va ? 🎉');
  });
});

describe('parseSource', () => {
  it('handles nick only, nick@host and nick!user', () => {
    expect(parseSource('bob')).toEqual({ raw: 'bob', nick: 'bob' });
    expect(parseSource('bob@h')).toEqual({ raw: 'bob@h', nick: 'bob', host: 'h' });
    expect(parseSource('bob!u')).toEqual({ raw: 'bob!u', nick: 'bob', user: 'u' });
  });
});

describe('tag escaping', () => {
  it('round-trips every special character', () => {
    const raw = 'a;b c\\d\re\nf';
    expect(unescapeTagValue(escapeTagValue(raw))).toBe(raw);
    expect(escapeTagValue(raw)).toBe('a\\:b\\sc\\\\d\\re\\nf');
  });
  it('drops a lone trailing backslash and keeps unknown escapes as the character', () => {
    expect(unescapeTagValue('abc\\')).toBe('abc');
    expect(unescapeTagValue('a\\bc')).toBe('abc');
  });
});

describe('serialize', () => {
  it('adds a colon to the last parameter only when needed', () => {
    expect(line('JOIN', '#room')).toBe('JOIN #room');
    expect(line('PRIVMSG', '#room', 'hello world')).toBe('PRIVMSG #room :hello world');
    expect(line('PRIVMSG', '#room', ':)')).toBe('PRIVMSG #room ::)');
    expect(line('PROFILE', 'SET', '25', 'f', '')).toBe('PROFILE SET 25 f :');
    expect(line('CAP', 'LS', '302')).toBe('CAP LS 302');
  });

  it('can always send free text as trailing', () => {
    expect(text('PRIVMSG', '#room', 'hi')).toBe('PRIVMSG #room :hi');
    expect(text('USER', 'bob', '0', '*', 'bob')).toBe('USER bob 0 * :bob');
  });

  it('serializes tags and source', () => {
    expect(serialize({ tags: { '+typing': 'active', a: '' }, command: 'TAGMSG', params: ['#r'] })).toBe(
      '@+typing=active;a TAGMSG #r',
    );
    expect(serialize({ source: 'a!b@c', command: 'privmsg', params: ['#r', 'x y'] })).toBe(':a!b@c PRIVMSG #r :x y');
  });

  it('refuses line breaks, NUL and malformed middle parameters', () => {
    expect(() => line('PRIVMSG', '#room', 'a\r\nQUIT')).toThrow(SerializeError);
    expect(() => line('PRIVMSG', '#room', 'a\0b')).toThrow(SerializeError);
    expect(() => line('PRIVMSG', 'two words', 'x')).toThrow(SerializeError);
    expect(() => line('PRIVMSG', '', 'x')).toThrow(SerializeError);
    expect(() => line('PRIVMSG', ':x', 'x')).toThrow(SerializeError);
    expect(() => line('BAD CMD')).toThrow(SerializeError);
  });

  it('round-trips through parse', () => {
    const cases = [
      ['PRIVMSG', '#a', 'with : colon and  spaces'],
      ['USER', 'bob', '0', '*', 'bob'],
      ['PONG', 'salon.local'],
      ['TOPIC', '#a', ''],
    ];
    for (const [cmd, ...params] of cases) {
      expect(parse(line(cmd, ...params))).toEqual({ tags: {}, command: cmd, params });
    }
  });
});

describe('utf8Length', () => {
  it('counts bytes, not characters', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('🎉')).toBe(4);
  });
});

describe('casemapping', () => {
  it('maps rfc1459 specials', () => {
    expect(lower('Bob[Away]\\~')).toBe('bob{away}|^');
    expect(equal('NICK[1]', 'nick{1}')).toBe(true);
    expect(lower('A[', 'ascii')).toBe('a[');
  });
});
