// The account panel (a modal <dialog>: focus trap and Escape for free): register the current
// pseudonym, log in, and once logged in change the password, download the account's data,
// delete the account, log out. Each form shows the server's answer in words beside it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useChatState } from './context';
import { confirmError, existingPasswordError, newPasswordError, type FieldError } from '../state/validate';
import { exportFileName } from '../state/account';
import { keyOf } from '../state/reducer';
import { line } from '../irc/message';
import { describeAccountError } from '../i18n';
import type { OpResult } from '../net/account';

/** Which form gets the focus when the panel opens. */
export type AccountFocus = 'default' | 'login';

type Message = { ok: boolean; text: string } | null;

/** One form's round trip to the server: busy while waiting, then its error (or null). */
function useOperation() {
  const { t } = useApp();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);
  const run = async (op: () => Promise<OpResult>, onOk: (r: OpResult & { ok: true }) => void) => {
    setBusy(true);
    setError(null);
    const r = await op();
    // The form may be gone (logging in swaps the guest forms for the account ones); the
    // panel-level message still wants the result.
    if (alive.current) {
      setBusy(false);
      if (!r.ok) setError(describeAccountError(t, r.error));
    }
    if (r.ok) onOk(r);
  };
  return { busy, error, setError, run };
}

function PasswordField(props: {
  id: string;
  label: string;
  value: string;
  onInput(v: string): void;
  error?: FieldError | null;
  hint?: string;
  autocomplete: 'new-password' | 'current-password';
}) {
  const { t } = useApp();
  const described = [props.hint ? `${props.id}-hint` : '', props.error ? `${props.id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type="password"
        autocomplete={props.autocomplete}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        aria-invalid={!!props.error}
        aria-describedby={described || undefined}
      />
      {props.hint && (
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <div class="field-error" id={`${props.id}-error`} role="alert">
          {t(props.error.key, ...props.error.args)}
        </div>
      )}
    </div>
  );
}

/** The error of a whole form (the server's refusal). */
function FormError({ id, text }: { id: string; text: string | null }) {
  if (!text) return null;
  return (
    <div class="form-error" id={id} role="alert">
      {text}
    </div>
  );
}

function RegisterForm({ onDone }: { onDone(m: Message): void }) {
  const { t, session } = useApp();
  const state = useChatState();
  const op = useOperation();
  const [pw, setPw] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ pw?: FieldError | null; confirm?: FieldError | null }>({});
  const submit = (e: Event) => {
    e.preventDefault();
    const pe = newPasswordError(pw, state.nick);
    const ce = pe ? null : confirmError(pw, confirm);
    setErrors({ pw: pe, confirm: ce });
    if (pe || ce) {
      document.getElementById(pe ? 'register-password' : 'register-confirm')?.focus();
      return;
    }
    op.run(
      () => session.registerAccount(pw),
      (r) => onDone({ ok: true, text: t('settings.registered', r.account ?? state.nick) }),
    );
  };
  return (
    <section class="settings-section" aria-labelledby="register-title">
      <h3 id="register-title">{t('settings.registerTitle')}</h3>
      <p class="hint">{t('settings.registerHint', state.nick)}</p>
      <form onSubmit={submit} noValidate data-testid="register-form">
        <PasswordField
          id="register-password"
          label={t('settings.password')}
          value={pw}
          onInput={setPw}
          error={errors.pw}
          hint={t('settings.passwordHint')}
          autocomplete="new-password"
        />
        <PasswordField id="register-confirm" label={t('settings.passwordConfirm')} value={confirm} onInput={setConfirm} error={errors.confirm} autocomplete="new-password" />
        <FormError id="register-error" text={op.error} />
        <button type="submit" class="primary" disabled={op.busy} aria-busy={op.busy}>
          {op.busy ? t('settings.working') : t('settings.registerSubmit')}
        </button>
      </form>
    </section>
  );
}

function LoginForm({ onDone }: { onDone(m: Message): void }) {
  const { t, session, store } = useApp();
  const state = useChatState();
  const op = useOperation();
  const suggested = state.renamed?.from ?? state.nickProtection?.nick ?? state.nick;
  const [account, setAccount] = useState(suggested);
  const [pw, setPw] = useState('');
  const [errors, setErrors] = useState<{ account?: FieldError | null; pw?: FieldError | null }>({});
  const submit = (e: Event) => {
    e.preventDefault();
    const name = account.trim();
    const ae = name ? null : { key: 'account.err.needNick', args: [] };
    const pe = existingPasswordError(pw);
    setErrors({ account: ae, pw: pe });
    if (ae || pe) return;
    op.run(
      () => session.login(name, pw),
      (r) => {
        const s = store.getState();
        // Renamed away from the account's nick while logging in: take it back.
        if (s.renamed && keyOf(s, s.renamed.from) === keyOf(s, name) && keyOf(s, s.nick) !== keyOf(s, name)) {
          session.send(line('NICK', name));
        }
        store.dispatch({ type: 'dismissProtection' });
        onDone({ ok: true, text: t('settings.loggedInOk', r.account ?? name) });
      },
    );
  };
  return (
    <section class="settings-section" aria-labelledby="login-title">
      <h3 id="login-title">{t('settings.loginTitle')}</h3>
      <form onSubmit={submit} noValidate data-testid="login-form">
        <div class="field">
          <label for="login-account">{t('settings.account')}</label>
          <input
            id="login-account"
            autocomplete="username"
            autocapitalize="off"
            spellcheck={false}
            value={account}
            onInput={(e) => setAccount(e.currentTarget.value)}
            aria-invalid={!!errors.account}
            aria-describedby={errors.account ? 'login-account-error' : undefined}
          />
          {errors.account && (
            <div class="field-error" id="login-account-error" role="alert">
              {t(errors.account.key)}
            </div>
          )}
        </div>
        <PasswordField id="login-password" label={t('settings.password')} value={pw} onInput={setPw} error={errors.pw} autocomplete="current-password" />
        <FormError id="login-error" text={op.error} />
        <button type="submit" class="primary" disabled={op.busy} aria-busy={op.busy}>
          {op.busy ? t('settings.working') : t('settings.loginSubmit')}
        </button>
      </form>
    </section>
  );
}

function PasswordForm({ onDone }: { onDone(m: Message): void }) {
  const { t, session } = useApp();
  const state = useChatState();
  const op = useOperation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<{ current?: FieldError | null; next?: FieldError | null; confirm?: FieldError | null }>({});
  const submit = (e: Event) => {
    e.preventDefault();
    const cu = existingPasswordError(current, true);
    const ne = newPasswordError(next, state.account ?? '');
    const co = ne ? null : confirmError(next, confirm);
    setErrors({ current: cu, next: ne, confirm: co });
    if (cu || ne || co) return;
    op.run(
      () => session.changePassword(current, next),
      () => {
        setCurrent('');
        setNext('');
        setConfirm('');
        onDone({ ok: true, text: t('settings.passwordChanged') });
      },
    );
  };
  return (
    <section class="settings-section" aria-labelledby="password-title">
      <h3 id="password-title">{t('settings.passwordTitle')}</h3>
      <form onSubmit={submit} noValidate data-testid="password-form">
        <PasswordField id="password-current" label={t('settings.currentPassword')} value={current} onInput={setCurrent} error={errors.current} autocomplete="current-password" />
        <PasswordField
          id="password-new"
          label={t('settings.newPassword')}
          value={next}
          onInput={setNext}
          error={errors.next}
          hint={t('settings.passwordHint')}
          autocomplete="new-password"
        />
        <PasswordField id="password-confirm" label={t('settings.newPasswordConfirm')} value={confirm} onInput={setConfirm} error={errors.confirm} autocomplete="new-password" />
        <FormError id="password-error" text={op.error} />
        <button type="submit" class="primary" disabled={op.busy} aria-busy={op.busy}>
          {op.busy ? t('settings.working') : t('settings.passwordSubmit')}
        </button>
      </form>
    </section>
  );
}

/** Hands a document to the browser as a file download. */
function download(name: string, content: string, type: string) {
  const url = URL.createObjectURL(new Blob([content], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function ExportSection({ onDone }: { onDone(m: Message): void }) {
  const { t, session } = useApp();
  const state = useChatState();
  const op = useOperation();
  const start = () =>
    op.run(
      () => session.exportAccount(),
      (r) => {
        const name = exportFileName(state.account ?? state.nick, new Date());
        download(name, r.json ?? '', 'application/json');
        onDone({ ok: true, text: t('settings.exported', name) });
      },
    );
  return (
    <section class="settings-section" aria-labelledby="export-title">
      <h3 id="export-title">{t('settings.exportTitle')}</h3>
      <p class="hint">{t('settings.exportHint')}</p>
      <FormError id="export-error" text={op.error} />
      <button type="button" onClick={start} disabled={op.busy} aria-busy={op.busy} data-testid="export-button">
        {op.busy ? t('settings.working') : t('settings.exportSubmit')}
      </button>
    </section>
  );
}

function DeleteSection({ onDone }: { onDone(m: Message): void }) {
  const { t, session } = useApp();
  const state = useChatState();
  const op = useOperation();
  const [pw, setPw] = useState('');
  const [pwError, setPwError] = useState<FieldError | null>(null);
  const [confirming, setConfirming] = useState(false);
  const keep = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) keep.current?.focus();
  }, [confirming]);
  const ask = (e: Event) => {
    e.preventDefault();
    const pe = existingPasswordError(pw);
    setPwError(pe);
    if (!pe) setConfirming(true);
  };
  const cancel = () => {
    setConfirming(false);
    requestAnimationFrame(() => document.getElementById('delete-ask')?.focus());
  };
  const yes = () =>
    op.run(
      () => session.deleteAccount(pw),
      () => onDone({ ok: true, text: t('settings.deleted') }),
    );
  return (
    <section class="settings-section danger" aria-labelledby="delete-title">
      <h3 id="delete-title">{t('settings.deleteTitle')}</h3>
      <p class="hint">{t('settings.deleteHint')}</p>
      <form onSubmit={ask} noValidate data-testid="delete-form">
        <PasswordField id="delete-password" label={t('settings.password')} value={pw} onInput={setPw} error={pwError} autocomplete="current-password" />
        <FormError id="delete-error" text={op.error} />
        {confirming ? (
          <div class="confirm" role="group" aria-labelledby="delete-confirm-text">
            <p id="delete-confirm-text">{t('settings.deleteConfirm', state.account ?? '')}</p>
            <div class="dialog-actions">
              <button type="button" ref={keep} onClick={cancel}>
                {t('settings.deleteNo')}
              </button>
              <button type="button" class="danger-button" onClick={yes} disabled={op.busy} aria-busy={op.busy} data-testid="delete-yes">
                {op.busy ? t('settings.working') : t('settings.deleteYes')}
              </button>
            </div>
          </div>
        ) : (
          <button type="submit" id="delete-ask" class="danger-button">
            {t('settings.deleteSubmit')}
          </button>
        )}
      </form>
    </section>
  );
}

export function AccountDialog({ onClose, focus }: { onClose(): void; focus: AccountFocus }) {
  const { t, session } = useApp();
  const state = useChatState();
  const ref = useRef<HTMLDialogElement>(null);
  const [message, setMessage] = useState<Message>(null);

  useEffect(() => {
    ref.current?.showModal();
    // showModal focuses the first control (the close button); from the nick protection banner
    // the password is what the user came for.
    if (focus === 'login') document.getElementById('login-password')?.focus();
  }, []);

  return (
    <dialog ref={ref} class="dialog settings" aria-labelledby="settings-title" onClose={onClose} onCancel={onClose} data-testid="account-dialog">
      <div class="settings-head">
        <h2 id="settings-title">{t('settings.title')}</h2>
        <button type="button" class="quiet small" onClick={onClose} aria-label={t('settings.close')}>
          ×
        </button>
      </div>
      <p class="settings-state" data-testid="account-state">
        {state.account ? (
          <>
            {t('settings.loggedIn')} <strong data-testid="account-name">{state.account}</strong>
          </>
        ) : (
          t('settings.guest', state.nick)
        )}
      </p>
      <div role="status" class={message ? `settings-message ${message.ok ? 'ok' : 'error'}` : 'settings-message'} data-testid="account-message">
        {message?.text ?? ''}
      </div>
      {state.account ? (
        <>
          <PasswordForm onDone={setMessage} />
          <ExportSection onDone={setMessage} />
          <DeleteSection onDone={setMessage} />
          <section class="settings-section" aria-labelledby="logout-title">
            <h3 id="logout-title">{t('settings.logoutTitle')}</h3>
            <p class="hint">{t('settings.logoutHint')}</p>
            <button type="button" onClick={() => session.logout()} data-testid="logout-button">
              {t('settings.logout')}
            </button>
          </section>
        </>
      ) : (
        <>
          {focus !== 'login' && <RegisterForm onDone={setMessage} />}
          <LoginForm onDone={setMessage} />
          {focus === 'login' && <RegisterForm onDone={setMessage} />}
        </>
      )}
    </dialog>
  );
}
