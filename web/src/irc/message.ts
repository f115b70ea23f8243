// IRC line parser and serializer (modern IRC client protocol + IRCv3 message-tags).
//
// Written here rather than taken from npm: irc-framework and friends are Node-oriented
// (sockets, EventEmitter, Buffer) and far larger than the ~150 lines a browser client needs.
// Over the IRCv3 WebSocket transport one text frame is one line, without CR/LF.

export interface Source {
  /** The whole prefix as sent, without the leading ':'. */
  raw: string;
  /** Nick for user sources, server name for server sources. */
  nick: string;
  user?: string;
  host?: string;
}

export interface IrcMessage {
  tags: Record<string, string>;
  source?: Source;
  /** Upper-cased command or 3-digit numeric. */
  command: string;
  params: string[];
}

export function parseSource(raw: string): Source {
  const bang = raw.indexOf('!');
  const at = raw.indexOf('@', bang < 0 ? 0 : bang);
  if (bang < 0 && at < 0) return { raw, nick: raw };
  if (bang < 0) return { raw, nick: raw.slice(0, at), host: raw.slice(at + 1) };
  if (at < 0) return { raw, nick: raw.slice(0, bang), user: raw.slice(bang + 1) };
  return { raw, nick: raw.slice(0, bang), user: raw.slice(bang + 1, at), host: raw.slice(at + 1) };
}

const TAG_UNESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

export function unescapeTagValue(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    i++;
    if (i >= value.length) break; // a lone trailing backslash is dropped
    const next = value[i];
    out += TAG_UNESCAPES[next] ?? next;
  }
  return out;
}

export function escapeTagValue(value: string): string {
  return value.replace(/[\\; \r\n]/g, (c) =>
    c === '\\' ? '\\\\' : c === ';' ? '\\:' : c === ' ' ? '\\s' : c === '\r' ? '\\r' : '\\n',
  );
}

/**
 * Parses one line. Returns null for lines that carry no command (blank, tags or source only,
 * or a malformed command), which a client ignores.
 */
export function parse(input: string): IrcMessage | null {
  let line = input.replace(/[\r\n]+$/, '');
  let pos = 0;
  const tags: Record<string, string> = {};

  const skipSpaces = () => {
    while (line[pos] === ' ') pos++;
  };
  const word = (): string => {
    const end = line.indexOf(' ', pos);
    const w = end < 0 ? line.slice(pos) : line.slice(pos, end);
    pos = end < 0 ? line.length : end;
    return w;
  };

  if (line[0] === '@') {
    pos = 1;
    const raw = word();
    for (const item of raw.split(';')) {
      if (!item) continue;
      const eq = item.indexOf('=');
      if (eq < 0) tags[item] = '';
      else tags[item.slice(0, eq)] = unescapeTagValue(item.slice(eq + 1));
    }
    skipSpaces();
  }

  let source: Source | undefined;
  if (line[pos] === ':') {
    pos++;
    const raw = word();
    if (raw) source = parseSource(raw);
    skipSpaces();
  }

  const command = word().toUpperCase();
  if (!/^([A-Z]+|[0-9]{3})$/.test(command)) return null;

  const params: string[] = [];
  for (;;) {
    skipSpaces();
    if (pos >= line.length) break;
    if (line[pos] === ':') {
      params.push(line.slice(pos + 1));
      break;
    }
    params.push(word());
  }
  line = '';
  const msg: IrcMessage = { tags, command, params };
  if (source) msg.source = source;
  return msg;
}

export class SerializeError extends Error {}

/**
 * Builds one line (without CR/LF). The last parameter is sent as a trailing parameter
 * (prefixed with ':') when it needs it: empty, containing a space, or starting with ':'.
 * Throws SerializeError for parameters that cannot be sent: CR, LF or NUL anywhere, or a
 * middle parameter that is empty, contains a space or starts with ':'.
 */
export function serialize(msg: {
  tags?: Record<string, string>;
  source?: string;
  command: string;
  params?: string[];
  /** Always send the last parameter as trailing (":text"), as is customary for free text. */
  trailing?: boolean;
}): string {
  const parts: string[] = [];
  const tagEntries = Object.entries(msg.tags ?? {});
  if (tagEntries.length > 0) {
    parts.push(
      '@' + tagEntries.map(([k, v]) => (v === '' ? k : `${k}=${escapeTagValue(v)}`)).join(';'),
    );
  }
  if (msg.source) parts.push(':' + msg.source);
  if (!/^([A-Za-z]+|[0-9]{3})$/.test(msg.command)) {
    throw new SerializeError(`invalid command: ${JSON.stringify(msg.command)}`);
  }
  parts.push(msg.command.toUpperCase());
  const params = msg.params ?? [];
  params.forEach((p, i) => {
    if (/[\r\n\0]/.test(p)) throw new SerializeError('parameter contains CR, LF or NUL');
    const last = i === params.length - 1;
    if (last && (msg.trailing || p === '' || p.includes(' ') || p.startsWith(':'))) {
      parts.push(':' + p);
    } else if (!last && (p === '' || p.includes(' ') || p.startsWith(':'))) {
      throw new SerializeError(`middle parameter ${i} cannot be sent: ${JSON.stringify(p)}`);
    } else {
      parts.push(p);
    }
  });
  return parts.join(' ');
}

/** Shorthand: line('PRIVMSG', '#room', 'hello world') → "PRIVMSG #room :hello world". */
export function line(command: string, ...params: string[]): string {
  return serialize({ command, params });
}

/** Like line(), with the last parameter always trailing: text('PRIVMSG', '#r', 'hi') → "PRIVMSG #r :hi". */
export function text(command: string, ...params: string[]): string {
  return serialize({ command, params, trailing: true });
}

const encoder = new TextEncoder();
export function utf8Length(s: string): number {
  return encoder.encode(s).length;
}
