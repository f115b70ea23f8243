// The moderation console (/console): the header (who is logged in, language, logout), then
// the screen the state says: checking the session, the login form, the refusal for an
// account that is neither moderator nor administrator, or the queue with the report open.
import { useEffect } from 'preact/hooks';
import { useConsole, useConsoleState } from './context';
import { LoginScreen } from './LoginScreen';
import { Queue } from './Queue';
import { describeConsoleError } from '../../console/format';

function ConsoleLanguageToggle() {
  const { t, lang, setLang } = useConsole();
  const other = lang === 'fr' ? 'en' : 'fr';
  return (
    <button type="button" class="lang-toggle" lang={other} onClick={() => setLang(other)} aria-label={`${t('header.language')}: ${t('header.switchTo')}`}>
      {other.toUpperCase()}
    </button>
  );
}

function LogoutButton() {
  const { t, client } = useConsole();
  const state = useConsoleState();
  return (
    <button type="button" class="small" onClick={() => client.logout()} disabled={state.loggingOut} data-testid="console-logout">
      {state.loggingOut ? t('console.loggingOut') : t('console.logout')}
    </button>
  );
}

function Refused() {
  const { t } = useConsole();
  const state = useConsoleState();
  useEffect(() => document.getElementById('refused-title')?.focus(), []);
  return (
    <main id="main" class="console-card" aria-labelledby="refused-title">
      <h2 id="refused-title" tabIndex={-1}>
        {t('console.refused.title')}
      </h2>
      <p role="alert" data-testid="console-refused">
        {t('console.refused.text', state.session?.account ?? '')}
      </p>
      <div class="console-actions">
        <LogoutButton />
        <a href="/">{t('console.backToChat')}</a>
      </div>
    </main>
  );
}

export function ConsoleApp() {
  const { t } = useConsole();
  const state = useConsoleState();
  const session = state.session;
  return (
    <div class={`console console-${state.screen}`} data-screen={state.screen}>
      <header class="console-top">
        <a class="brand-small console-brand" href="/">
          Salon
        </a>
        <h1 class="console-title">{t('console.title')}</h1>
        <div class="console-top-end">
          {session && (
            <span class="console-who" data-testid="console-who">
              {t('console.loggedInAs', session.account)}
              {session.role !== 'none' && <span class="console-role"> ({t(`console.role.${session.role}`)})</span>}
            </span>
          )}
          <ConsoleLanguageToggle />
          {state.screen === 'console' && <LogoutButton />}
        </div>
      </header>
      {state.logoutError && (
        <div class="form-error console-banner" role="alert">
          {describeConsoleError(t, state.logoutError)}
        </div>
      )}
      {state.screen === 'checking' && (
        <main id="main" class="console-card">
          <p role="status">{t('console.checking')}</p>
        </main>
      )}
      {state.screen === 'login' && <LoginScreen />}
      {state.screen === 'refused' && <Refused />}
      {state.screen === 'console' && <Queue />}
    </div>
  );
}
