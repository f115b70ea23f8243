// The statement of reasons of a moderation decision about this user (NOTE * DECISION): a
// modal <dialog> (focus kept inside, Escape and OK close it) with what was decided, where,
// until when (local time), the reference and the moderators' statement. Several decisions in
// a row are shown one after the other.
import { useEffect, useRef } from 'preact/hooks';
import { useApp } from './context';
import type { Decision } from '../state/reducer';
import { decisionAction, decisionScope } from './Message';

/** Actions that last until an end (or have none): the dialog says until when. */
const LASTING = new Set(['mute', 'ban', 'suspend']);

export function DecisionDialog({ decision, onClose }: { decision: Decision; onClose(): void }) {
  const { t, lang } = useApp();
  const ref = useRef<HTMLDialogElement>(null);
  const ok = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Focus goes back where it was once the statement is read (or to the message box).
    const before = document.activeElement;
    const d = ref.current;
    if (d && !d.open) d.showModal();
    ok.current?.focus();
    return () =>
      requestAnimationFrame(() => {
        if (document.querySelector('dialog[open]')) return;
        if (before instanceof HTMLElement && before.isConnected && !before.closest('dialog')) before.focus();
        else document.querySelector<HTMLElement>('#composer-input:not([disabled])')?.focus();
      });
  }, []);
  const locale = lang === 'fr' ? 'fr-FR' : 'en-GB';
  const until = decision.expires
    ? new Date(decision.expires).toLocaleString(locale, { dateStyle: 'full', timeStyle: 'short' })
    : t('decision.noEnd');
  const close = (e?: Event) => {
    e?.preventDefault();
    onClose();
  };
  return (
    <dialog
      ref={ref}
      class="dialog decision-dialog"
      aria-labelledby="decision-title"
      aria-describedby="decision-statement"
      data-testid="decision-dialog"
      onCancel={close}
    >
      <form method="dialog" onSubmit={close}>
        <h2 id="decision-title">{t('decision.title')}</h2>
        <dl class="decision-facts">
          <dt>{t('decision.action')}</dt>
          <dd data-testid="decision-action">{decisionAction(t, decision.action)}</dd>
          <dt>{t('decision.scope')}</dt>
          <dd data-testid="decision-scope">{decisionScope(t, decision.scope)}</dd>
          {(decision.expires > 0 || LASTING.has(decision.action)) && (
            <>
              <dt>{t('decision.until')}</dt>
              <dd data-testid="decision-until">
                {decision.expires ? <time dateTime={new Date(decision.expires).toISOString()}>{until}</time> : until}
              </dd>
            </>
          )}
          <dt>{t('decision.ref')}</dt>
          <dd data-testid="decision-ref">
            <code>{decision.ref}</code>
          </dd>
        </dl>
        <h3 class="decision-statement-title">{t('decision.statement')}</h3>
        <p id="decision-statement" class="decision-statement" data-testid="decision-statement">
          {decision.statement}
        </p>
        <div class="dialog-actions">
          <button type="submit" class="primary" ref={ok}>
            {t('decision.ok')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
