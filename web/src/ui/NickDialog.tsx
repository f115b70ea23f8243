import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useChatState } from './context';
import { nickError, suggestionFor } from '../state/validate';
import { sanitizeNick } from '../irc/nick';
import { line } from '../irc/message';
import { describeError } from '../i18n';

/** Modal dialog (native <dialog>: focus trap and Escape for free) to change the pseudonym. */
export function NickDialog({ onClose }: { onClose(): void }) {
  const { t, lang, session, store } = useApp();
  const state = useChatState();
  const ref = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState(state.nick);
  const [error, setError] = useState<string | null>(null);
  const [suggestion, setSuggestion] = useState<string | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const startNick = useRef(state.nick);

  useEffect(() => {
    store.dispatch({ type: 'formError', error: null });
    ref.current?.showModal();
    const input = ref.current?.querySelector('input');
    input?.select();
  }, []);

  // Done when the server confirms the new nick; show its refusal otherwise.
  useEffect(() => {
    if (pending && state.nick !== startNick.current) onClose();
  }, [state.nick, pending]);
  useEffect(() => {
    const fe = state.formError;
    if (!pending || !fe) return;
    setError(describeError(t, lang, fe.key, fe.args));
    setSuggestion(fe.key === 'erroneousNick' ? sanitizeNick(pending) : suggestionFor(pending));
    setPending(null);
  }, [state.formError]);

  const submit = (e: Event) => {
    e.preventDefault();
    const nick = value.trim();
    const err = nickError(nick, state.isupport.nicklen);
    if (err) {
      setError(t(err.key, ...err.args));
      setSuggestion(nick ? sanitizeNick(nick) : null);
      return;
    }
    if (nick === state.nick) {
      onClose();
      return;
    }
    if (!session.connected) {
      setError(t('composer.offline'));
      return;
    }
    store.dispatch({ type: 'formError', error: null });
    setError(null);
    setSuggestion(null);
    setPending(nick);
    session.send(line('NICK', nick));
  };

  return (
    <dialog ref={ref} class="dialog" aria-labelledby="nick-dialog-title" onClose={onClose} onCancel={onClose}>
      <form onSubmit={submit} noValidate>
        <h2 id="nick-dialog-title">{t('nickDialog.title')}</h2>
        <div class="field">
          <label for="nick-dialog-input">{t('nickDialog.new')}</label>
          <input
            id="nick-dialog-input"
            value={value}
            autocapitalize="off"
            spellcheck={false}
            onInput={(e) => {
              setValue(e.currentTarget.value);
              setError(null);
            }}
            aria-invalid={!!error}
            aria-describedby={error ? 'nick-dialog-error' : 'nick-dialog-hint'}
          />
          <p class="hint" id="nick-dialog-hint">
            {t('join.nickHint')}
          </p>
          {error && (
            <div class="field-error" id="nick-dialog-error" role="alert">
              <span>{error}</span>
              {suggestion && suggestion !== value && (
                <button
                  type="button"
                  class="link-button"
                  onClick={() => {
                    setValue(suggestion);
                    setError(null);
                  }}
                >
                  {t('join.useSuggestion', suggestion)}
                </button>
              )}
            </div>
          )}
        </div>
        <div class="dialog-actions">
          <button type="button" class="quiet" onClick={onClose}>
            {t('nickDialog.cancel')}
          </button>
          <button type="submit" class="primary" aria-busy={!!pending} disabled={!!pending}>
            {t('nickDialog.submit')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
