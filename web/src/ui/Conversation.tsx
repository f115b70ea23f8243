import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useApp, useChatState, useNow } from './context';
import type { Buffer, Line } from '../state/reducer';
import { keyOf } from '../state/reducer';
import { describeError } from '../i18n';
import { formatTime, isoTime, nickColour, MAX_MESSAGE_BYTES } from './format';
import { line as ircLine, text as textLine, utf8Length } from '../irc/message';
import { messageError, nickError } from '../state/validate';
import { ProfileBadges } from './Members';

function LineView({ l, me, room }: { l: Line; me: string; room: string }) {
  const { t, lang } = useApp();
  const time = (
    <time class="time" dateTime={isoTime(l.time)}>
      {formatTime(l.time, lang)}
    </time>
  );
  const nick = (n: string | undefined) => (
    <span class="nick" style={{ color: nickColour(n ?? '') }}>
      {n}
    </span>
  );
  const reason = l.text ? ` ${t('line.reason', l.text)}` : '';
  let body: preact.ComponentChildren;
  let cls = `line line-${l.kind}`;
  switch (l.kind) {
    case 'message':
      body = (
        <>
          {nick(l.nick)}
          {l.self && <span class="sr-only"> {t('line.you')}</span>}
          <span class="sep" aria-hidden="true">
            :{' '}
          </span>
          <span class="text">{l.text}</span>
        </>
      );
      break;
    case 'action':
      body = (
        <>
          <span aria-hidden="true">* </span>
          {nick(l.nick)} <span class="text">{l.text}</span>
        </>
      );
      break;
    case 'notice':
      body = (
        <>
          <span class="notice-from">{t('line.notice', l.nick ?? '')}: </span>
          <span class="text">{l.text}</span>
        </>
      );
      break;
    case 'join':
      body = l.self ? t('line.selfJoin', room) : t('line.join', l.nick ?? '');
      break;
    case 'part':
      body = t('line.part', l.nick ?? '') + reason;
      break;
    case 'quit':
      body = t('line.quit', l.nick ?? '') + reason;
      break;
    case 'kick':
      body = (l.self ? t('line.selfKick', l.nick ?? '') : t('line.kick', l.target ?? '', l.nick ?? '')) + reason;
      break;
    case 'nick':
      body = l.self ? t('line.selfNick', l.target ?? '') : t('line.nick', l.nick ?? '', l.target ?? '');
      break;
    case 'topic':
      body = l.text ? t('line.topic', l.nick ?? '', l.text) : t('line.topicCleared', l.nick ?? '');
      break;
    case 'mode':
      body = t('line.mode', l.nick ?? '', l.target ?? '');
      break;
    case 'error':
      body = describeError(t, lang, l.key ?? '', l.args ?? []);
      break;
    case 'info':
      body = l.key?.startsWith('line.') ? t(l.key, ...(l.args ?? [])) : describeError(t, lang, l.key ?? '', l.args ?? []);
      break;
  }
  if (l.self && (l.kind === 'message' || l.kind === 'action')) cls += ' own';
  if (l.nick && l.nick === me) cls += ' by-me';
  return (
    <li class={cls} data-kind={l.kind}>
      {time} <span class="body">{body}</span>
    </li>
  );
}

function Composer({ buffer }: { buffer: Buffer }) {
  const { t, store, session } = useApp();
  const state = useChatState();
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const bytes = utf8Length(text);

  useEffect(() => {
    // Focus the input on desktop; on a phone that would pop the keyboard up at every switch.
    if (window.matchMedia('(min-width: 900px)').matches) input.current?.focus();
    setError(null);
  }, [buffer.name]);

  const fail = (key: string, ...args: (string | number)[]) => {
    setError(t(key, ...args));
    return false;
  };

  /** Runs a /command. Returns true when the input can be cleared. */
  const command = (raw: string): boolean => {
    const [cmd, ...rest] = raw.slice(1).split(' ');
    const arg = rest.join(' ').trim();
    const name = cmd.toLowerCase();
    const needConn = () => (session.connected ? true : fail('composer.offline'));
    switch (name) {
      case 'join':
      case 'j': {
        if (!arg) return fail('composer.usage', '/join #room');
        if (!needConn()) return false;
        const [room, key] = arg.split(' ');
        session.send(key ? ircLine('JOIN', room.startsWith('#') ? room : '#' + room, key) : ircLine('JOIN', room.startsWith('#') ? room : '#' + room));
        return true;
      }
      case 'part':
      case 'leave':
        if (buffer.kind !== 'room') {
          store.dispatch({ type: 'close', key: keyOf(state, buffer.name) });
          return true;
        }
        if (!needConn()) return false;
        session.send(arg ? textLine('PART', buffer.name, arg) : ircLine('PART', buffer.name));
        return true;
      case 'nick': {
        if (!arg) return fail('composer.usage', '/nick name');
        const e = nickError(arg, state.isupport.nicklen);
        if (e) return fail(e.key, ...e.args);
        if (!needConn()) return false;
        session.send(ircLine('NICK', arg));
        return true;
      }
      case 'msg':
      case 'query': {
        const [who, ...words] = rest;
        const body = words.join(' ');
        if (!who) return fail('composer.usage', `/${name} name${name === 'msg' ? ' text' : ''}`);
        if (who.startsWith('#')) {
          if (!body) return fail('composer.usage', '/msg name text');
        } else store.dispatch({ type: 'openPrivate', nick: who });
        if (!body) return true;
        const e = messageError(body);
        if (e) return fail(e.key, ...e.args);
        if (!needConn()) return false;
        session.say(who, body);
        return true;
      }
      case 'me': {
        const e = messageError(arg, MAX_MESSAGE_BYTES - 9);
        if (e) return fail(e.key, ...e.args);
        if (!needConn()) return false;
        session.say(buffer.name, arg, true);
        return true;
      }
      case 'topic':
        if (buffer.kind !== 'room') return fail('composer.usage', '/topic text');
        if (!needConn()) return false;
        session.send(arg ? textLine('TOPIC', buffer.name, arg) : ircLine('TOPIC', buffer.name));
        return true;
      case 'ignore':
      case 'unignore':
        if (!arg) return fail('composer.usage', `/${name} name`);
        store.dispatch({ type: 'ignore', nick: arg, on: name === 'ignore' });
        store.dispatch({ type: 'localInfo', key: name === 'ignore' ? 'line.ignored' : 'line.unignored', args: [arg], now: Date.now() });
        return true;
      case 'quit':
        session.quit(arg);
        return true;
      default:
        return fail('composer.unknownCommand', cmd);
    }
  };

  const submit = (e: Event) => {
    e.preventDefault();
    let value = text;
    if (value.startsWith('/') && !value.startsWith('//')) {
      if (command(value.trim())) {
        setText('');
        setError(null);
      }
      return;
    }
    if (value.startsWith('//')) value = value.slice(1);
    const err = messageError(value);
    if (err) {
      fail(err.key, ...err.args);
      return;
    }
    if (!session.connected) {
      fail('composer.offline');
      return;
    }
    if (buffer.kind === 'room' && !buffer.joined) {
      fail('composer.notJoined');
      return;
    }
    try {
      session.say(buffer.name, value);
    } catch {
      fail('composer.empty');
      return;
    }
    setText('');
    setError(null);
  };

  const near = bytes > MAX_MESSAGE_BYTES * 0.75;
  return (
    <form class="composer" onSubmit={submit} noValidate>
      <label for="composer-input" class="sr-only">
        {t('composer.label', buffer.name)}
      </label>
      <div class="composer-row">
        <input
          id="composer-input"
          ref={input}
          value={text}
          autocomplete="off"
          enterKeyHint="send"
          placeholder={t('composer.placeholder', buffer.name)}
          onInput={(e) => {
            setText(e.currentTarget.value);
            if (error) setError(null);
          }}
          aria-invalid={!!error}
          aria-describedby={[error ? 'composer-error' : '', near ? 'composer-bytes' : ''].filter(Boolean).join(' ') || undefined}
        />
        <button type="submit" class="primary">
          {t('composer.send')}
        </button>
      </div>
      {near && (
        <p id="composer-bytes" class={`bytes${bytes > MAX_MESSAGE_BYTES ? ' over' : ''}`}>
          {t('composer.bytes', bytes, MAX_MESSAGE_BYTES)}
        </p>
      )}
      {error && (
        <p id="composer-error" class="field-error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

/** Typing indicator hook: shows only real +typing notifications (the server has none yet). */
const TYPING_EXPIRY_MS = 6000; // IRCv3 typing: "active" lapses after 6 s without news

function Typing({ bufferKey }: { bufferKey: string }) {
  const { t } = useApp();
  const state = useChatState();
  const entries = state.typing[bufferKey] ?? {};
  const now = useNow(Object.keys(entries).length > 0);
  const who = Object.entries(entries)
    .filter(([, at]) => now - at < TYPING_EXPIRY_MS)
    .map(([n]) => state.buffers[bufferKey]?.members[n]?.nick ?? n);
  if (who.length === 0) return null;
  return <p class="typing">{t('typing.one', who.join(', '))}</p>;
}

export function Conversation({ bufferKey }: { bufferKey: string }) {
  const { t, store, session } = useApp();
  const state = useChatState();
  const b = state.buffers[bufferKey];
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  useLayoutEffect(() => {
    const el = log.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [b?.lines.length, bufferKey]);
  useEffect(() => {
    stick.current = true;
  }, [bufferKey]);

  if (!b) return null;
  const onScroll = () => {
    const el = log.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };
  const profile = b.kind === 'private' ? state.profiles[keyOf(state, b.name)] : undefined;

  return (
    <section class="conversation" aria-labelledby="conv-title" data-buffer={b.name}>
      <header class="conv-header">
        <div class="conv-title-row">
          <h1 id="conv-title">
            {b.kind === 'private' ? (
              <>
                <span class="sr-only">{t('room.private', b.name)}</span>
                <span aria-hidden="true" style={{ color: nickColour(b.name) }}>
                  {b.name}
                </span>
              </>
            ) : (
              b.name
            )}
          </h1>
          {profile && <ProfileBadges profile={profile} />}
          <button
            type="button"
            class="small quiet"
            onClick={() => {
              if (b.kind === 'room' && b.joined && session.connected) session.send(ircLine('PART', b.name));
              else store.dispatch({ type: 'close', key: bufferKey });
            }}
          >
            {b.kind === 'room' ? t('room.leave') : t('room.closePrivate')}
          </button>
        </div>
        {b.kind === 'room' && (
          <p class="topic" data-testid="topic" title={b.topicSetBy ? t('room.topicBy', b.topicSetBy) : undefined}>
            {b.topic || <span class="muted">{t('room.noTopic')}</span>}
          </p>
        )}
        {b.kind === 'room' && !b.joined && <p class="muted small-text">{t('room.notJoined')}</p>}
      </header>
      <div class="log" ref={log} onScroll={onScroll} role="log" aria-live="polite" aria-label={t('room.log', b.name)} tabIndex={0}>
        <ol>
          {b.lines.map((l) => (
            <LineView key={l.id} l={l} me={state.nick} room={b.name} />
          ))}
        </ol>
      </div>
      <Typing bufferKey={bufferKey} />
      <Composer buffer={b} />
    </section>
  );
}
