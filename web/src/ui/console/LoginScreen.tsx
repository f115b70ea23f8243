// The console's login form: account and password, sent to POST /api/session. Empty fields
// are caught before sending; the server's refusals (wrong credentials, lockout with its wait,
// unverified e-mail, bad field) are shown in words under the form, and the field at fault
// gets the focus. Shown again with a notice after a logout or when the session has ended.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useConsole, useConsoleState } from './context';
import { describeConsoleError } from '../../console/format';

export function LoginScreen() {
  const { t, client } = useConsole();
  const state = useConsoleState();
  const [account, setAccount] = useState('');
  const [password, setPassword] = useState('');
  const [missing, setMissing] = useState<{ account?: boolean; password?: boolean }>({});
  const accountRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const error = state.login.error;
  const serverField = error?.field === 'password' ? 'password' : error?.field === 'account' ? 'account' : null;

  useEffect(() => accountRef.current?.focus(), []);
  useEffect(() => {
    // A refusal: the password is typed again (or the field the server named is fixed).
    if (!error) return;
    if (serverField === 'account') accountRef.current?.focus();
    else passwordRef.current?.select();
  }, [error]);

  const submit = (e: Event) => {
    e.preventDefault();
    const m = { account: account.trim() === '', password: password === '' };
    setMissing(m);
    if (m.account) return accountRef.current?.focus();
    if (m.password) return passwordRef.current?.focus();
    void client.login(account.trim(), password);
  };

  const notice = state.notice === 'expired' ? t('console.expired') : state.notice === 'loggedOut' ? t('console.loggedOut') : null;
  const errorText = error ? describeConsoleError(t, error) : null;
  return (
    <main id="main" class="console-card" aria-labelledby="login-title">
      <h2 id="login-title">{t('console.login.title')}</h2>
      <p class="hint">{t('console.login.hint')}</p>
      {notice && (
        <p class={`console-notice${state.notice === 'expired' ? ' warn' : ''}`} role="status" data-testid="console-notice">
          {notice}
        </p>
      )}
      <form onSubmit={submit} noValidate data-testid="console-login">
        <div class="field">
          <label for="console-account">{t('console.login.account')}</label>
          <input
            id="console-account"
            ref={accountRef}
            name="username"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            value={account}
            onInput={(e) => setAccount(e.currentTarget.value)}
            aria-invalid={missing.account || serverField === 'account'}
            aria-describedby={missing.account ? 'console-account-error' : undefined}
          />
          {missing.account && (
            <div class="field-error" id="console-account-error" role="alert">
              {t('console.login.noAccount')}
            </div>
          )}
        </div>
        <div class="field">
          <label for="console-password">{t('console.login.password')}</label>
          <input
            id="console-password"
            ref={passwordRef}
            type="password"
            name="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-invalid={missing.password || serverField === 'password'}
            aria-describedby={[missing.password ? 'console-password-error' : '', errorText ? 'console-login-error' : ''].filter(Boolean).join(' ') || undefined}
          />
          {missing.password && (
            <div class="field-error" id="console-password-error" role="alert">
              {t('console.login.noPassword')}
            </div>
          )}
        </div>
        {errorText && (
          <div class="form-error" id="console-login-error" role="alert" data-testid="console-login-error" data-status={error?.status}>
            {errorText}
          </div>
        )}
        <button type="submit" class="primary" disabled={state.login.busy}>
          {state.login.busy ? t('console.login.busy') : t('console.login.submit')}
        </button>
      </form>
      <p class="console-foot">
        <a href="/">{t('console.backToChat')}</a>
      </p>
    </main>
  );
}
