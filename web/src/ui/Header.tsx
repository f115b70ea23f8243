import { useApp, useChatState, useNow } from './context';
import type { ConnectionStatus } from '../state/reducer';
import { totalUnread } from '../state/reducer';

export function LanguageToggle() {
  const { t, lang, setLang } = useApp();
  const other = lang === 'fr' ? 'en' : 'fr';
  return (
    <button
      type="button"
      class="lang-toggle"
      lang={other}
      onClick={() => setLang(other)}
      aria-label={`${t('header.language')}: ${t('header.switchTo')}`}
    >
      {other.toUpperCase()}
    </button>
  );
}

/** Connection status in words; the countdown is visible, the live region only announces changes of state. */
export function ConnectionBadge({ status }: { status: ConnectionStatus }) {
  const { t, session } = useApp();
  const now = useNow(status.state === 'reconnecting');
  let visible: string;
  let announced: string;
  switch (status.state) {
    case 'reconnecting': {
      const secs = Math.ceil((status.at - now) / 1000);
      visible = secs > 0 ? t('status.reconnecting', secs) : t('status.reconnectingNow');
      announced = t('status.reconnectingNow');
      break;
    }
    default:
      visible = announced = t(`status.${status.state}`);
  }
  const canRetry = status.state === 'reconnecting' || status.state === 'offline';
  return (
    <div class={`conn conn-${status.state}`} data-status={status.state}>
      <span class="conn-dot" aria-hidden="true" />
      <span class="conn-text" aria-hidden="true" data-testid="connection-status">
        {visible}
      </span>
      <span class="sr-only" role="status">
        {t('status.label')}: {announced}
      </span>
      {canRetry && (
        <button type="button" class="small" onClick={() => session.retryNow()}>
          {t('status.retry')}
        </button>
      )}
    </div>
  );
}

export function MenuIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <path d="M3 5h14M3 10h14M3 15h14" stroke="currentColor" stroke-width="2" stroke-linecap="round" />
    </svg>
  );
}

export function PeopleIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="7" cy="7" r="3" fill="none" stroke="currentColor" stroke-width="1.8" />
      <path d="M1.5 17c0-3 2.5-5 5.5-5s5.5 2 5.5 5" fill="none" stroke="currentColor" stroke-width="1.8" />
      <circle cx="14" cy="6" r="2.4" fill="none" stroke="currentColor" stroke-width="1.6" />
      <path d="M14 10.5c2.6 0 4.5 1.8 4.5 4.5" fill="none" stroke="currentColor" stroke-width="1.6" />
    </svg>
  );
}

export function AccountIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
      <circle cx="10" cy="6.5" r="3.5" fill="none" stroke="currentColor" stroke-width="1.8" />
      <path d="M3 18c0-3.9 3.1-6.5 7-6.5s7 2.6 7 6.5" fill="none" stroke="currentColor" stroke-width="1.8" />
    </svg>
  );
}

export function Header(props: {
  wide: boolean;
  drawer: 'nav' | 'members' | null;
  onToggle(which: 'nav' | 'members'): void;
  showMembersButton: boolean;
  memberCount: number;
  onChangeNick(): void;
  onAccount(): void;
}) {
  const { t, session } = useApp();
  const state = useChatState();
  const unread = totalUnread(state);
  // Message requests wait in the nav too: on the phone the menu button is where they show.
  const requests = Object.keys(state.requests).length;
  return (
    <header class="topbar">
      <button
        type="button"
        class="icon-button drawer-toggle"
        id="toggle-nav"
        aria-expanded={props.drawer === 'nav'}
        aria-controls="nav-panel"
        onClick={() => props.onToggle('nav')}
      >
        <MenuIcon />
        <span class="sr-only">{t('header.rooms')}</span>
        {unread + requests > 0 && (
          <span class="badge">
            <span aria-hidden="true">{unread + requests}</span>
            <span class="sr-only">{[unread > 0 ? t('nav.unread', unread) : '', requests === 1 ? t('nav.requests1') : requests > 1 ? t('nav.requests', requests) : ''].filter(Boolean).join(', ')}</span>
          </span>
        )}
      </button>
      <span class="brand-small">Salon</span>
      <ConnectionBadge status={state.status} />
      <div class="topbar-end">
        <button
          type="button"
          class="nick-button"
          onClick={props.onChangeNick}
          title={t('header.changeNick')}
          aria-label={`${t('header.you', state.nick)}. ${t('header.changeNick')}`}
          data-testid="own-nick"
        >
          {state.nick}
        </button>
        <button
          type="button"
          class={`icon-button account-button${state.account ? ' logged-in' : ''}`}
          onClick={props.onAccount}
          aria-label={state.account ? t('header.accountOf', state.account) : t('header.accountGuest')}
          data-testid="account-button"
          data-account={state.account ?? ''}
        >
          <AccountIcon />
          {state.account && <span class="account-check" aria-hidden="true">✓</span>}
          {props.wide && (
            <span class="account-label" aria-hidden="true">
              {state.account ?? t('header.account')}
            </span>
          )}
        </button>
        {props.wide && <LanguageToggle />}
        {props.wide && (
          <button type="button" class="small quiet" onClick={() => session.quit('Bye')}>
            {t('header.quit')}
          </button>
        )}
        {props.showMembersButton && (
          <button
            type="button"
            class="icon-button drawer-toggle"
            id="toggle-members"
            aria-expanded={props.drawer === 'members'}
            aria-controls="members-panel"
            onClick={() => props.onToggle('members')}
          >
            <PeopleIcon />
            <span class="sr-only">{t('header.members')}</span> {props.memberCount}
          </button>
        )}
      </div>
    </header>
  );
}
