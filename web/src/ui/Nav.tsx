import { useApp, useChatState } from './context';
import type { Buffer } from '../state/reducer';
import { line } from '../irc/message';
import { LanguageToggle } from './Header';

export function Nav({ onPicked, footer }: { onPicked(): void; footer: boolean }) {
  const { t, store, session } = useApp();
  const state = useChatState();
  const rooms = state.order.filter((k) => state.buffers[k]?.kind === 'room');
  const privates = state.order.filter((k) => state.buffers[k]?.kind === 'private');
  const requests = Object.values(state.requests).sort((a, b) => a.time - b.time);

  const select = (key: string | null) => {
    store.dispatch({ type: 'select', key });
    onPicked();
  };

  const close = (key: string, b: Buffer) => {
    if (b.kind === 'room' && b.joined) session.send(line('PART', b.name));
    // The server's PART closes it; close now too if not joined (or disconnected).
    if (b.kind !== 'room' || !b.joined || !session.connected) store.dispatch({ type: 'close', key });
  };

  const item = (key: string) => {
    const b = state.buffers[key];
    const current = state.active === key;
    return (
      <li key={key} class={`nav-item${current ? ' current' : ''}${b.unread ? ' has-unread' : ''}`}>
        <button
          type="button"
          class="nav-link"
          aria-current={current ? 'page' : undefined}
          onClick={() => select(key)}
          data-buffer={b.name}
        >
          <span class="nav-name">{b.name}</span>
          {b.kind === 'room' && !b.joined && <span class="nav-off" aria-hidden="true">⋯</span>}
          {b.unread > 0 && (
            <span class="badge" data-testid="unread">
              <span aria-hidden="true">{b.unread}</span>
              <span class="sr-only">{t('nav.unread', b.unread)}</span>
            </span>
          )}
        </button>
        <button
          type="button"
          class="nav-close"
          aria-label={b.kind === 'room' ? `${t('room.leave')} ${b.name}` : t('nav.close', b.name)}
          title={b.kind === 'room' ? t('room.leave') : t('room.closePrivate')}
          onClick={() => close(key, b)}
        >
          ×
        </button>
      </li>
    );
  };

  return (
    <div class="nav">
      <button
        type="button"
        class={`nav-catalogue${state.active === null ? ' current' : ''}`}
        aria-current={state.active === null ? 'page' : undefined}
        onClick={() => select(null)}
      >
        {t('nav.catalogue')}
      </button>
      <h2 class="nav-heading" id="nav-rooms">
        {t('nav.rooms')}
      </h2>
      {rooms.length ? <ul aria-labelledby="nav-rooms">{rooms.map(item)}</ul> : <p class="nav-none">{t('nav.none')}</p>}
      <h2 class="nav-heading" id="nav-private">
        {t('nav.private')}
      </h2>
      {requests.length > 0 && (
        <section class="requests" aria-labelledby="nav-requests" data-testid="requests">
          <h3 class="nav-subheading" id="nav-requests">
            {t('request.heading')}
          </h3>
          <p class="hint">{t('request.hint')}</p>
          <ul>
            {requests.map((r) => (
              <li key={r.nick} class="request" data-nick={r.nick}>
                <span class="request-text">{t('request.wants', r.nick)}</span>
                <span class="request-actions">
                  <button
                    type="button"
                    class="small primary"
                    aria-label={t('request.acceptLabel', r.nick)}
                    disabled={!session.connected}
                    onClick={() => {
                      if (session.answerRequest(r.nick, true)) onPicked();
                    }}
                  >
                    {t('request.accept')}
                  </button>
                  <button type="button" class="small quiet" aria-label={t('request.ignoreLabel', r.nick)} onClick={() => session.answerRequest(r.nick, false)}>
                    {t('request.ignore')}
                  </button>
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
      {privates.length ? (
        <ul aria-labelledby="nav-private" data-testid="private-tabs">
          {privates.map(item)}
        </ul>
      ) : (
        requests.length === 0 && <p class="nav-none">{t('nav.none')}</p>
      )}
      {footer && (
        <div class="nav-footer">
          <LanguageToggle />
          <button type="button" class="small" onClick={() => session.quit('Bye')}>
            {t('header.quit')}
          </button>
        </div>
      )}
    </div>
  );
}
