// One line of the message log: a message with its reply reference, reactions and actions
// (react, reply, report), or a system line (joins, kicks, errors…) in words.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { useApp } from './context';
import type { Line } from '../state/reducer';
import { describeError } from '../i18n';
import { excerpt, formatTime, isoTime, nickColour } from './format';
import { splitLinks } from './links';

/** The reactions offered on every message. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉'];

export interface MessageHandlers {
  /** The line with this msgid in the same conversation, if it is loaded. */
  find(msgid: string): Line | undefined;
  /** Replies and reactions are possible (connected, message-tags). */
  canReact: boolean;
  /** Own nick, to mark own reactions. */
  same(a: string, b: string): boolean;
  onReply(l: Line): void;
  onReact(l: Line, emoji: string): void;
  onJump(msgid: string): void;
  /** The server takes reports (and we are connected): others' messages can be reported. */
  canReport: boolean;
  /** Opens the report dialog about this message; focus goes back to `opener` afterwards. */
  onReport(l: Line, opener: HTMLElement): void;
  /** The user declared an age under 18: links are text until they ask to see them. */
  minor: boolean;
}

/**
 * One link inside a message. Adults get it as a link; a minor gets its address as text and a
 * "show link" button, and the link only once they pressed it.
 */
function MessageLink({ text, href, minor }: { text: string; href: string; minor: boolean }) {
  const { t } = useApp();
  const [shown, setShown] = useState(!minor);
  const link = useRef<HTMLAnchorElement>(null);
  const asked = useRef(false);
  useEffect(() => {
    if (shown && asked.current) link.current?.focus();
  }, [shown]);
  if (shown) {
    return (
      <a ref={link} href={href} rel="noopener noreferrer nofollow" target="_blank">
        {text}
      </a>
    );
  }
  return (
    <span class="hidden-link">
      <span class="link-text">{text}</span>{' '}
      <button
        type="button"
        class="link-button show-link"
        aria-label={t('link.showLabel', text)}
        onClick={() => {
          asked.current = true;
          setShown(true);
        }}
      >
        {t('link.show')}
      </button>
    </span>
  );
}

/** Message text with its links (see MessageLink). */
function MessageText({ text, minor }: { text: string; minor: boolean }) {
  const pieces = splitLinks(text);
  return (
    <>
      {pieces.map((p, i) => (p.kind === 'text' ? p.text : <MessageLink key={i} text={p.text} href={p.href} minor={minor} />))}
    </>
  );
}

/** What became of an own message that was not delivered, with the server's reason. */
function DeliveryNote({ l }: { l: Line }) {
  const { t, lang } = useApp();
  if (!l.delivery) return null;
  const reason = l.reason ? describeError(t, lang, l.reason.key, l.reason.args) : '';
  const text =
    l.delivery === 'refused'
      ? reason
        ? t('delivery.refused', reason)
        : t('delivery.notSent')
      : l.delivery === 'request'
        ? t('err.PRIVMSG_MESSAGE_REQUEST')
        : reason || t('err.PRIVMSG_HELD');
  return (
    <p class={`delivery delivery-${l.delivery}`} data-testid="delivery">
      <span aria-hidden="true">{l.delivery === 'refused' ? '⚠ ' : '⏳ '}</span>
      {text}
    </p>
  );
}

function ReactionPicker({ onPick, onClose }: { onPick(emoji: string): void; onClose(focusOpener: boolean): void }) {
  const { t } = useApp();
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    ref.current?.querySelector<HTMLElement>('button')?.focus();
  }, []);
  useEffect(() => {
    const outside = (e: Event) => {
      if (ref.current && !ref.current.contains(e.target as Node)) onClose(false);
    };
    document.addEventListener('pointerdown', outside);
    return () => document.removeEventListener('pointerdown', outside);
  }, []);
  const onKey = (e: KeyboardEvent) => {
    const all = [...(ref.current?.querySelectorAll<HTMLElement>('button') ?? [])];
    const i = all.indexOf(document.activeElement as HTMLElement);
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose(true);
    } else if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      all[(i + (e.key === 'ArrowRight' ? 1 : all.length - 1)) % all.length]?.focus();
    }
  };
  return (
    <div class="reaction-picker" role="group" aria-label={t('message.pickReaction')} ref={ref} onKeyDown={onKey} data-testid="reaction-picker">
      {QUICK_REACTIONS.map((emoji) => (
        <button type="button" class="emoji" aria-label={t('message.reactWith', emoji)} title={t('message.reactWith', emoji)} onClick={() => onPick(emoji)}>
          {emoji}
        </button>
      ))}
    </div>
  );
}

function Reactions({ l, me, h }: { l: Line; me: string; h: MessageHandlers }) {
  const { t } = useApp();
  const entries = Object.entries(l.reactions ?? {});
  if (entries.length === 0) return null;
  return (
    <div class="reactions" data-testid="reactions">
      {entries.map(([emoji, nicks]) => {
        const mine = nicks.some((n) => h.same(n, me));
        const names = nicks.map((n) => (h.same(n, me) ? t('reactions.you') : n)).join(', ');
        return (
          <button
            type="button"
            class={`reaction${mine ? ' mine' : ''}`}
            data-emoji={emoji}
            aria-pressed={mine}
            disabled={mine || !h.canReact}
            title={t('reactions.label', emoji, names)}
            aria-label={t('reactions.label', emoji, names)}
            onClick={() => h.onReact(l, emoji)}
          >
            <span aria-hidden="true">{emoji}</span> <span class="count" aria-hidden="true">{nicks.length}</span>
          </button>
        );
      })}
    </div>
  );
}

function ReplyRef({ msgid, h }: { msgid: string; h: MessageHandlers }) {
  const { t } = useApp();
  const original = h.find(msgid);
  if (!original) return <p class="reply-ref unknown">↪ {t('reply.inReplyToUnknown')}</p>;
  return (
    <button type="button" class="reply-ref" data-testid="reply-ref" onClick={() => h.onJump(msgid)}>
      <span aria-hidden="true">↪ </span>
      {t('reply.inReplyTo', original.nick ?? '', excerpt(original.text ?? ''))}
    </button>
  );
}

function Actions({ l, h, react, report }: { l: Line; h: MessageHandlers; react: boolean; report: boolean }) {
  const { t } = useApp();
  const [picking, setPicking] = useState(false);
  const opener = useRef<HTMLButtonElement>(null);
  const nick = l.nick ?? '';
  return (
    <span class="actions" role="group" aria-label={t('message.actions', nick)}>
      {react && (
        <>
          <button
            type="button"
            class="small quiet action-react"
            ref={opener}
            aria-label={t('message.reactTo', nick)}
            title={t('message.react')}
            aria-expanded={picking}
            onClick={() => setPicking(!picking)}
          >
            <span aria-hidden="true">☺</span>
          </button>
          <button type="button" class="small quiet action-reply" aria-label={t('message.replyTo', nick)} title={t('message.reply')} onClick={() => h.onReply(l)}>
            <span aria-hidden="true">↩</span>
          </button>
        </>
      )}
      {report && (
        <button
          type="button"
          class="small quiet action-report"
          aria-label={t('report.messageLabel', nick)}
          title={t('report.action')}
          aria-haspopup="dialog"
          onClick={(e) => h.onReport(l, e.currentTarget)}
        >
          <span aria-hidden="true">⚑</span>
        </button>
      )}
      {picking && (
        <ReactionPicker
          onPick={(emoji) => {
            setPicking(false);
            h.onReact(l, emoji);
            opener.current?.focus();
          }}
          onClose={(focusOpener) => {
            setPicking(false);
            if (focusOpener) opener.current?.focus();
          }}
        />
      )}
    </span>
  );
}

export function LineView({ l, me, room, h }: { l: Line; me: string; room: string; h: MessageHandlers }) {
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
  const text = (s: string | undefined) =>
    l.redacted ? (
      <em class="text redacted">{t('line.redacted')}</em>
    ) : (
      <span class={`text${s?.includes('\n') ? ' multi' : ''}`}>
        <MessageText text={s ?? ''} minor={h.minor} />
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
          {text(l.text)}
        </>
      );
      break;
    case 'action':
      body = (
        <>
          <span aria-hidden="true">* </span>
          {nick(l.nick)} {text(l.text)}
        </>
      );
      break;
    case 'notice':
      body = (
        <>
          <span class="notice-from">{t('line.notice', l.nick ?? '')}: </span>
          {text(l.text)}
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
    case 'decision':
      body = t('line.decision', decisionAction(t, l.target ?? ''), l.key ?? '', l.text ?? '');
      break;
  }
  if (l.self && (l.kind === 'message' || l.kind === 'action')) cls += ' own';
  if (l.nick && l.nick === me) cls += ' by-me';
  if (l.delivery) cls += ' undelivered';
  // Reactions, replies and reports point at the message by its msgid; a notice from someone
  // (one with a msgid, in a room or a private conversation) can be reported, not answered.
  const addressable = !!l.msgid && !l.redacted && !l.delivery;
  const interactive = addressable && h.canReact && (l.kind === 'message' || l.kind === 'action');
  const reportable = addressable && h.canReport && !l.self && !!l.nick && (l.kind === 'message' || l.kind === 'action' || l.kind === 'notice');
  return (
    <li class={cls} data-kind={l.kind} data-msgid={l.msgid} data-delivery={l.delivery} tabIndex={l.msgid ? -1 : undefined}>
      {l.replyTo && <ReplyRef msgid={l.replyTo} h={h} />}
      {time} <span class="body">{body}</span>
      {(interactive || reportable) && <Actions l={l} h={h} react={interactive} report={reportable} />}
      <Reactions l={l} me={me} h={h} />
      <DeliveryNote l={l} />
    </li>
  );
}

/** A decision's action in words ("Muted: you can read, not write"); an unknown one as sent. */
export function decisionAction(t: (key: string, ...args: (string | number)[]) => string, action: string): string {
  const key = `decision.action.${action}`;
  const words = t(key);
  return words === key ? action : words;
}

/** Where a decision applies, in words. */
export function decisionScope(t: (key: string, ...args: (string | number)[]) => string, scope: string): string {
  return scope === '*' ? t('decision.scopeServer') : t('decision.scopeRoom', scope);
}
