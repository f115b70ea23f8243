// The message box: a text area that grows with its lines (Enter sends, Shift+Enter starts a
// new line), /commands, the message being answered quoted above it, the byte counter, and
// typing notifications for the others.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useApp, useChatState, useNow } from './context';
import type { Buffer, Line } from '../state/reducer';
import { keyOf, muteFor } from '../state/reducer';
import { untilInWords } from '../i18n';
import { excerpt, MAX_MESSAGE_BYTES } from './format';
import { line as ircLine, text as textLine, utf8Length } from '../irc/message';
import { composerLines, composerMaxBytes } from '../irc/multiline';
import { messageError, nickError } from '../state/validate';

/** Lines the box grows to before it scrolls. */
const MAX_ROWS = 8;

export function Composer({ buffer, replyTo, onCancelReply }: { buffer: Buffer; replyTo: Line | null; onCancelReply(): void }) {
  const { t, lang, store, session } = useApp();
  const state = useChatState();
  const bufferKey = keyOf(state, buffer.name);
  // Muted by a decision: the box is closed until the end (the clock ticks to reopen it).
  const now = useNow(Object.keys(state.mutes).length > 0);
  const mutedUntil = muteFor(state, bufferKey, now);
  const muted = mutedUntil !== null;
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const limits = session.multilineLimits();
  const max = composerMaxBytes(limits, MAX_MESSAGE_BYTES);
  // Without multiline every line is its own message: the counter is about the longest one.
  const bytes = limits ? utf8Length(composerLines(text).join('\n')) : composerLines(text).reduce((m, l) => Math.max(m, utf8Length(l)), 0);

  useEffect(() => {
    // Focus the input on desktop; on a phone that would pop the keyboard up at every switch.
    if (window.matchMedia('(min-width: 900px)').matches) input.current?.focus();
    setError(null);
    const name = buffer.name;
    return () => session.typing.stop(name); // typing here is over when the user goes elsewhere
  }, [buffer.name]);
  useEffect(() => {
    if (replyTo) input.current?.focus();
  }, [replyTo]);
  useLayoutEffect(() => {
    // Grow with the text, up to MAX_ROWS lines.
    const el = input.current;
    if (!el) return;
    el.style.height = 'auto';
    const css = getComputedStyle(el);
    const lineHeight = Number.parseFloat(css.lineHeight) || 20;
    const padding = Number.parseFloat(css.paddingTop) + Number.parseFloat(css.paddingBottom);
    const border = Number.parseFloat(css.borderTopWidth) + Number.parseFloat(css.borderBottomWidth);
    el.style.height = `${Math.min(el.scrollHeight, lineHeight * MAX_ROWS + padding) + border}px`;
  }, [text]);

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

  const clear = () => {
    setText('');
    setError(null);
    onCancelReply();
  };

  const submit = (e?: Event) => {
    e?.preventDefault();
    // The box itself, not the state: Enter can come before the last input has re-rendered.
    let value = input.current?.value ?? text;
    if (value.startsWith('/') && !value.startsWith('//')) {
      if (value.trim().includes('\n')) {
        fail('composer.commandOneLine');
        return;
      }
      if (command(value.trim())) {
        session.typing.stop(buffer.name);
        clear();
      }
      return;
    }
    if (value.startsWith('//')) value = value.slice(1);
    if (muted) return;
    if (!session.connected) {
      fail(composerLines(value).length === 0 ? 'composer.empty' : 'composer.offline');
      return;
    }
    if (buffer.kind === 'room' && !buffer.joined) {
      fail('composer.notJoined');
      return;
    }
    let err;
    try {
      err = session.sendText(buffer.name, value, replyTo?.msgid);
    } catch {
      err = { key: 'composer.empty', args: [] }; // a character IRC cannot carry (NUL)
    }
    if (err) {
      fail(err.key, ...err.args);
      return;
    }
    clear();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    } else if (e.key === 'Escape' && replyTo) {
      e.preventDefault();
      onCancelReply();
    }
  };

  const near = bytes > max * 0.75;
  const describedBy = ['composer-hint', muted ? 'composer-muted' : '', error ? 'composer-error' : '', near ? 'composer-bytes' : ''].filter(Boolean).join(' ');
  return (
    <form class="composer" onSubmit={submit} noValidate>
      {replyTo && (
        <div class="replying" data-testid="replying">
          <span class="replying-text">
            <span aria-hidden="true">↩ </span>
            {t('reply.replyingTo', replyTo.nick ?? '')} <q>{excerpt(replyTo.text ?? '')}</q>
          </span>
          <button type="button" class="small quiet" aria-label={t('reply.cancel')} title={t('reply.cancel')} onClick={onCancelReply}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
      <label for="composer-input" class="sr-only">
        {t('composer.label', buffer.name)}
      </label>
      <p id="composer-hint" class="sr-only">
        {t('composer.newLineHint')}
      </p>
      {muted && (
        <p id="composer-muted" class="muted-note" role="status" data-testid="muted">
          {mutedUntil ? t('composer.muted', untilInWords(t, lang, mutedUntil, now)) : t('composer.mutedNoEnd')}
        </p>
      )}
      <div class="composer-row">
        <textarea
          disabled={muted}
          id="composer-input"
          ref={input}
          value={text}
          rows={1}
          autocomplete="off"
          enterkeyhint="send"
          placeholder={t('composer.placeholder', buffer.name)}
          onKeyDown={onKeyDown}
          onInput={(e) => {
            const value = e.currentTarget.value;
            setText(value);
            if (error) setError(null);
            session.typing.input(buffer.name, value);
          }}
          aria-invalid={!!error}
          aria-describedby={describedBy}
        />
        <button type="submit" class="primary" disabled={muted}>
          {t('composer.send')}
        </button>
      </div>
      {near && (
        <p id="composer-bytes" class={`bytes${bytes > max ? ' over' : ''}`}>
          {t('composer.bytes', bytes, max)}
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
