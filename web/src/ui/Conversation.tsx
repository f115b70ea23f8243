// A conversation: its header (name, topic, leave; in a private one, report the person), the
// message log with date separators and the "new messages" divider, who is typing, and the composer.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useApp, useChatState, useNow, useOpenReport } from './context';
import type { Line } from '../state/reducer';
import { keyOf } from '../state/reducer';
import { findByMsgid } from '../state/history';
import { timeline } from '../state/timeline';
import { formatDay, nickColour } from './format';
import { line as ircLine } from '../irc/message';
import { ProfileBadges } from './Members';
import { LineView, type MessageHandlers } from './Message';
import { Composer } from './Composer';
import { isMinor } from './links';

/** Who is typing here (IRCv3 +typing notifications from the others). */
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
  return (
    <p class="typing" data-testid="typing">
      {t(who.length === 1 ? 'typing.one' : 'typing.several', who.join(', '))}
    </p>
  );
}

export function Conversation({ bufferKey }: { bufferKey: string }) {
  const { t, lang, store, session } = useApp();
  const state = useChatState();
  const b = state.buffers[bufferKey];
  const log = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  /** The divider this conversation was last scrolled to (once per divider). */
  const shownDivider = useRef<string>('');
  const [replyTo, setReplyTo] = useState<Line | null>(null);
  const openReport = useOpenReport();
  const items = useMemo(() => (b ? timeline(b.lines, b.divider) : []), [b?.lines, b?.divider]);

  useLayoutEffect(() => {
    const el = log.current;
    if (!el) return;
    // Arriving with unread messages: show the divider near the top if they do not all fit.
    const mark = `${bufferKey} ${b?.divider}`;
    const divider = el.querySelector<HTMLElement>('.new-divider');
    if (divider && shownDivider.current !== mark) {
      shownDivider.current = mark;
      const above = divider.getBoundingClientRect().top - el.getBoundingClientRect().top;
      if (el.scrollHeight > el.clientHeight && (above < 0 || above > el.clientHeight)) {
        el.scrollTop += above - 8;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        return;
      }
    }
    if (stick.current) el.scrollTop = el.scrollHeight;
  }, [items, bufferKey]);
  useEffect(() => {
    stick.current = true;
    setReplyTo(null);
  }, [bufferKey]);

  if (!b) return null;
  const onScroll = () => {
    const el = log.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
  };
  const profile = b.kind === 'private' ? state.profiles[keyOf(state, b.name)] : undefined;
  const handlers: MessageHandlers = {
    find: (msgid) => {
      const i = findByMsgid(b.lines, msgid);
      return i < 0 ? undefined : b.lines[i];
    },
    canReact: session.canReact,
    same: (x, y) => keyOf(state, x) === keyOf(state, y),
    onReply: (l) => setReplyTo(l),
    onReact: (l, emoji) => {
      if (l.msgid) session.react(b.name, l.msgid, emoji);
    },
    onJump: (msgid) => {
      const el = log.current?.querySelector<HTMLElement>(`li[data-msgid="${CSS.escape(msgid)}"]`);
      if (!el) return;
      el.scrollIntoView({ block: 'center' });
      el.focus({ preventScroll: true });
      el.classList.remove('flash');
      void el.offsetWidth; // restart the highlight animation
      el.classList.add('flash');
    },
    minor: isMinor(state.profile),
    canReport: session.canReport,
    onReport: (l, opener) => {
      if (!l.msgid || !l.nick) return;
      // A room's message is found in the room; a private one in the conversation with the other
      // person, by their nick now (the conversation follows their nick changes).
      const target = b.name;
      openReport({ kind: 'message', target, msgid: l.msgid, nick: l.nick, text: l.text ?? '', action: l.kind === 'action' }, opener);
    },
  };
  const now = Date.now();
  const words = { today: t('date.today'), yesterday: t('date.yesterday') };

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
          {b.kind === 'private' && session.canReport && (
            <button
              type="button"
              class="small quiet report-member"
              aria-label={t('report.memberLabel', b.name)}
              aria-haspopup="dialog"
              data-testid="report-member"
              onClick={(e) => openReport({ kind: 'member', target: b.name }, e.currentTarget)}
            >
              <span aria-hidden="true">⚑ </span>
              {t('report.action')}
            </button>
          )}
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
          {items.map((item) =>
            item.kind === 'line' ? (
              <LineView key={item.line.id} l={item.line} me={state.nick} room={b.name} h={handlers} />
            ) : item.kind === 'date' ? (
              <li key={`d${item.day}`} class="date-sep" data-testid="date-sep">
                <span>{formatDay(item.day, now, lang, words)}</span>
              </li>
            ) : (
              <li key="divider" class="new-divider" data-testid="new-divider">
                <span>{t('log.newMessages')}</span>
              </li>
            ),
          )}
        </ol>
      </div>
      <Typing bufferKey={bufferKey} />
      {b.kind === 'private' && b.cannotMessage && (
        <p class="cannot-message" role="status" data-testid="cannot-message">
          {t('private.cannotMessage')}
        </p>
      )}
      <Composer buffer={b} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} />
    </section>
  );
}
