import { useState } from 'preact/hooks';
import { useApp, useChatState } from './context';
import {
  existingPasswordError,
  nickError,
  suggestionFor,
  validateJoinForm,
  type FieldError,
  type JoinFormValues,
} from '../state/validate';
import { sanitizeNick } from '../irc/nick';
import { describeError } from '../i18n';
import type { Gender } from '../state/reducer';
import { LanguageToggle } from './Header';

const STORAGE_KEY = 'salon.profile';

type Field = 'nick' | 'age' | 'town' | 'password';

/** The last join (never the password), to prefill the form. */
function loadSaved(): JoinFormValues & { hasAccount: boolean } {
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (v && typeof v.nick === 'string') {
      return { nick: v.nick, age: String(v.age ?? ''), gender: v.gender ?? '-', town: v.town ?? '', hasAccount: v.hasAccount === true };
    }
  } catch {
    /* ignore */
  }
  return { nick: '', age: '', gender: '-', town: '', hasAccount: false };
}

const GENDERS: Gender[] = ['-', 'f', 'm', 'nb'];

export function JoinForm() {
  const { t, lang, session, store } = useApp();
  const state = useChatState();
  const [values, setValues] = useState(loadSaved);
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<Partial<Record<Field, FieldError>>>({});
  const [suggestion, setSuggestion] = useState<string | undefined>();
  const busy = state.status.state === 'connecting' || state.status.state === 'registering';

  const set = (k: keyof JoinFormValues) => (e: Event) =>
    setValues({ ...values, [k]: (e.currentTarget as HTMLInputElement).value });

  // Errors from the server (nick taken, age too low, connection refused).
  const fe = state.formError;
  let serverError: string | null = null;
  let serverSuggestion: string | undefined;
  let serverField: Field | null = null;
  if (fe) {
    serverError = describeError(t, lang, fe.key, fe.args);
    if (['nickInUse', 'nickCollision', 'unavailable'].includes(fe.key)) {
      serverField = 'nick';
      serverSuggestion = suggestionFor(fe.args[0] ?? values.nick);
    } else if (fe.key === 'erroneousNick') {
      serverField = 'nick';
      serverSuggestion = sanitizeNick(fe.args[0] ?? values.nick);
    } else if (fe.key.startsWith('PROFILE_') && fe.key.includes('AGE')) serverField = 'age';
    else if (fe.key === 'PROFILE_INVALID_TOWN') serverField = 'town';
    else if (fe.key.startsWith('account.') && values.hasAccount) serverField = 'password';
  }

  const submitAccount = () => {
    // Logging in: the nick is the account name, the profile comes from the account.
    const nick = values.nick.trim();
    const next: Partial<Record<Field, FieldError>> = {};
    const ne = nickError(nick);
    if (ne) next.nick = ne;
    const pe = existingPasswordError(password);
    if (pe) next.password = pe;
    setErrors(next);
    setSuggestion(ne && nick ? sanitizeNick(nick) : undefined);
    if (ne || pe) {
      document.getElementById(ne ? 'join-nick' : 'join-password')?.focus();
      return;
    }
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...values, nick }));
    store.dispatch({ type: 'formError', error: null });
    session.start(nick, null, { account: nick, password });
  };

  const submit = (e: Event) => {
    e.preventDefault();
    if (values.hasAccount) {
      submitAccount();
      return;
    }
    const result = validateJoinForm(values);
    setErrors(result.errors);
    setSuggestion(result.suggestion);
    if (!result.profile || !result.nick) {
      const first = (['nick', 'age', 'town'] as const).find((f) => result.errors[f]);
      if (first) document.getElementById(`join-${first}`)?.focus();
      return;
    }
    localStorage.setItem(STORAGE_KEY, JSON.stringify({ ...values, nick: result.nick }));
    store.dispatch({ type: 'formError', error: null });
    session.start(result.nick, result.profile);
  };

  const useSuggestion = (nick: string) => {
    setValues({ ...values, nick });
    setErrors({ ...errors, nick: undefined });
    setSuggestion(undefined);
    store.dispatch({ type: 'formError', error: null });
    document.getElementById('join-nick')?.focus();
  };

  const fieldError = (field: Field) => {
    const local = errors[field];
    const text = local ? t(local.key, ...local.args) : serverField === field ? serverError : null;
    const sugg = field === 'nick' ? (local ? suggestion : serverField === 'nick' ? serverSuggestion : undefined) : undefined;
    if (!text) return null;
    return (
      <div class="field-error" id={`join-${field}-error`} role="alert">
        <span>{text}</span>
        {sugg && sugg !== values.nick && (
          <button type="button" class="link-button" onClick={() => useSuggestion(sugg)}>
            {t('join.useSuggestion', sugg)}
          </button>
        )}
      </div>
    );
  };
  const invalid = (field: Field) => !!errors[field] || serverField === field;
  const describedBy = (field: Field, hint: boolean) =>
    [hint ? `join-${field}-hint` : '', invalid(field) ? `join-${field}-error` : ''].filter(Boolean).join(' ') || undefined;

  return (
    <main class="join-screen" id="main">
      <div class="join-top">
        <LanguageToggle />
      </div>
      <form class="join-card" onSubmit={submit} noValidate aria-labelledby="join-title">
        <h1 class="brand">Salon</h1>
        <p class="tagline">{t('app.tagline')}</p>
        <h2 id="join-title">{t('join.title')}</h2>

        <div class="field">
          <label for="join-nick">{t('join.nick')}</label>
          <input
            id="join-nick"
            name="nick"
            autocomplete="nickname"
            autocapitalize="off"
            spellcheck={false}
            maxLength={60}
            value={values.nick}
            onInput={set('nick')}
            aria-invalid={invalid('nick')}
            aria-describedby={describedBy('nick', true)}
            required
          />
          <p class="hint" id="join-nick-hint">{t('join.nickHint')}</p>
          {fieldError('nick')}
        </div>

        <div class="field field-check">
          <input
            id="join-has-account"
            type="checkbox"
            checked={values.hasAccount}
            onChange={(e) => {
              setValues({ ...values, hasAccount: e.currentTarget.checked });
              setErrors({});
              store.dispatch({ type: 'formError', error: null });
            }}
          />
          <label for="join-has-account">{t('join.hasAccount')}</label>
        </div>

        {values.hasAccount ? (
          <div class="field">
            <label for="join-password">{t('join.password')}</label>
            <input
              id="join-password"
              name="password"
              type="password"
              autocomplete="current-password"
              value={password}
              onInput={(e) => setPassword(e.currentTarget.value)}
              aria-invalid={invalid('password')}
              aria-describedby={describedBy('password', true)}
              required
            />
            <p class="hint" id="join-password-hint">{t('join.accountHint')}</p>
            {fieldError('password')}
          </div>
        ) : (
          <>
            <div class="field field-age">
              <label for="join-age">{t('join.age')}</label>
              <input
                id="join-age"
                name="age"
                type="text"
                inputMode="numeric"
                pattern="[0-9]*"
                maxLength={3}
                value={values.age}
                onInput={set('age')}
                aria-invalid={invalid('age')}
                aria-describedby={describedBy('age', true)}
                required
              />
              <p class="hint" id="join-age-hint">{t('join.ageHint')}</p>
              {fieldError('age')}
            </div>

            <div class="field">
              <label for="join-gender">{t('join.gender')}</label>
              <select id="join-gender" name="gender" value={values.gender} onChange={set('gender')}>
                {GENDERS.map((g) => (
                  <option value={g} key={g}>
                    {t(`gender.${g}`)}
                  </option>
                ))}
              </select>
            </div>

            <div class="field">
              <label for="join-town">{t('join.town')}</label>
              <input
                id="join-town"
                name="town"
                autocomplete="address-level2"
                maxLength={80}
                value={values.town}
                onInput={set('town')}
                aria-invalid={invalid('town')}
                aria-describedby={describedBy('town', true)}
              />
              <p class="hint" id="join-town-hint">{t('join.townHint')}</p>
              {fieldError('town')}
            </div>
          </>
        )}

        {serverError && !serverField && (
          <div class="form-error" role="alert">
            {serverError}
          </div>
        )}

        {!values.hasAccount && <p class="hint">{t('join.visible')}</p>}
        <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
          {busy ? t('join.connecting') : values.hasAccount ? t('join.login') : t('join.submit')}
        </button>
      </form>
      {/* The public pages need no connection: plain links, discreet under the form. */}
      <nav class="join-footer" aria-label={t('public.footer')}>
        <a href="/report">{t('public.reportLink')}</a>
        <a href="/transparency">{t('public.transparencyLink')}</a>
      </nav>
    </main>
  );
}
