// The report dialog (issue 9): a modal <dialog> (focus kept inside, Escape and Cancel close
// it, focus goes back to what opened it) showing what is reported (the message quoted, or the
// person), the categories in words (child safety first), an optional comment with what is left
// of its room, Send and Cancel. Sending waits for the server: its reference is shown as the
// acknowledgement; a refusal is said in the dialog, which stays open to try again.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useApp, useChatState } from './context';
import { commentRoom, COMMENT_MAX_CHARS, offeredCategories, reportFailureKey, type ReportCategory, type ReportSubject } from '../state/report';

export function ReportDialog({ subject, returnFocus, onClose }: { subject: ReportSubject; returnFocus: HTMLElement | null; onClose(): void }) {
  const { t, store, session } = useApp();
  const state = useChatState();
  const ref = useRef<HTMLDialogElement>(null);
  const commentInput = useRef<HTMLTextAreaElement>(null);
  const closeButton = useRef<HTMLButtonElement>(null);
  const alive = useRef(true);
  const [category, setCategory] = useState<ReportCategory | null>(null);
  const [categoryError, setCategoryError] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [received, setReceived] = useState<string | null>(null);

  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    firstCategory()?.focus();
    return () => {
      alive.current = false;
      // Back to the button that opened it once the modal (which makes the rest inert) is gone.
      requestAnimationFrame(() => {
        if (document.querySelector('dialog[open]')) return;
        if (returnFocus && returnFocus.isConnected && !returnFocus.closest('[inert]')) returnFocus.focus();
        else document.querySelector<HTMLElement>('#composer-input:not([disabled])')?.focus();
      });
    };
  }, []);
  useEffect(() => {
    if (received) closeButton.current?.focus();
  }, [received]);

  const firstCategory = () => ref.current?.querySelector<HTMLInputElement>('input[name="report-category"]');
  const who = subject.kind === 'message' ? subject.nick : subject.target;
  const room = commentRoom(subject, comment);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy || received) return;
    if (!category) {
      setCategoryError(true);
      firstCategory()?.focus();
      return;
    }
    if (room < 0) {
      setError(t('report.tooLong'));
      commentInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    const r = await session.report(subject, category, comment);
    // The log keeps the reference, even when the dialog was closed before the answer came.
    if (r.ok) {
      store.dispatch({ type: 'localInfo', key: subject.kind === 'message' ? 'line.reportedMessage' : 'line.reported', args: [who, r.id], now: Date.now() });
    }
    if (!alive.current) return;
    setBusy(false);
    if (r.ok) setReceived(r.id);
    else {
      const f = reportFailureKey(r, subject.target);
      setError(t(f.key, ...f.args));
    }
  };
  const cancel = (e?: Event) => {
    e?.preventDefault();
    onClose();
  };

  const counter =
    room >= 0 ? (room === 1 ? t('report.left1') : t('report.left', room)) : room === -1 ? t('report.over1') : t('report.over', -room);
  const described = ['report-comment-hint', 'report-count'].join(' ');

  return (
    <dialog
      ref={ref}
      class="dialog report-dialog"
      aria-labelledby="report-title"
      data-testid="report-dialog"
      data-state={received ? 'received' : busy ? 'sending' : 'form'}
      onCancel={cancel}
    >
      <h2 id="report-title">
        {received ? t('report.ackTitle') : subject.kind === 'message' ? t('report.titleMessage') : t('report.titleMember', subject.target)}
      </h2>
      {subject.kind === 'message' ? (
        <figure class="report-subject" data-testid="report-subject">
          <figcaption>{t('report.subjectMessage', subject.nick)}</figcaption>
          <blockquote class={subject.text.includes('\n') ? 'multi' : undefined}>
            {subject.action ? `* ${subject.nick} ${subject.text}` : subject.text}
          </blockquote>
        </figure>
      ) : (
        <p class="report-subject" data-testid="report-subject">
          {received ? t('report.subjectMemberDone', subject.target) : t('report.subjectMember', subject.target)}
        </p>
      )}
      {received ? (
        <div class="report-ack" data-testid="report-ack">
          <p id="report-ack-text" role="status">
            {t('report.ackText')}
          </p>
          <dl class="decision-facts" id="report-ack-ref">
            <dt>{t('report.ref')}</dt>
            <dd>
              <code data-testid="report-ref">{received}</code>
            </dd>
          </dl>
          <p class="hint">{t('report.refHint')}</p>
          <div class="dialog-actions">
            <button type="button" class="primary" ref={closeButton} aria-describedby="report-ack-text report-ack-ref" onClick={() => onClose()}>
              {t('report.close')}
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={submit} noValidate aria-busy={busy}>
          <p class="hint report-hint">{t('report.hint')}</p>
          <fieldset class="report-categories" aria-describedby={categoryError ? 'report-category-error' : undefined}>
            <legend>{t('report.category')}</legend>
            {offeredCategories(state).map((c) => (
              <label class="report-category" key={c}>
                <input
                  type="radio"
                  name="report-category"
                  value={c}
                  checked={category === c}
                  aria-invalid={categoryError}
                  onChange={() => {
                    setCategory(c);
                    setCategoryError(false);
                  }}
                />
                <span>{t(`report.cat.${c}`)}</span>
              </label>
            ))}
            {categoryError && (
              <div class="field-error" id="report-category-error" role="alert">
                {t('report.chooseCategory')}
              </div>
            )}
          </fieldset>
          <div class="field">
            <label for="report-comment">{t('report.comment')}</label>
            <textarea
              id="report-comment"
              ref={commentInput}
              rows={3}
              maxLength={COMMENT_MAX_CHARS}
              value={comment}
              readOnly={busy}
              aria-invalid={room < 0}
              aria-describedby={described}
              onInput={(e) => setComment(e.currentTarget.value)}
            />
            <p class="hint" id="report-comment-hint">
              {t('report.commentHint')}
            </p>
            <p id="report-count" class={`bytes${room < 0 ? ' over' : ''}`} data-testid="report-count">
              {counter}
            </p>
          </div>
          {error && (
            <div class="form-error" id="report-error" role="alert" data-testid="report-error">
              {error}
            </div>
          )}
          <div class="dialog-actions">
            <button type="button" onClick={() => onClose()}>
              {t('report.cancel')}
            </button>
            {/* Not disabled while sending: a disabled button would lose the focus (the guard is in submit). */}
            <button type="submit" class="primary" aria-disabled={busy}>
              {busy ? t('report.sending') : t('report.send')}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}
