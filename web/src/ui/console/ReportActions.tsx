// Handling the report open: take it (POST .../assign), or close it with an outcome and an
// optional note for the moderators (POST .../close; the server tells the reporter the
// outcome). Checked before sending; the server's refusal (already closed, a bad note) and
// what was done are said under the form. Actions on the reported user (mute, ban) are the
// moderation commands; their reference can go in the note.
import { useState } from 'preact/hooks';
import { useConsole, useConsoleState } from './context';
import { describeConsoleError, outcomeWords } from '../../console/format';
import { MAX_NOTE_BYTES, OUTCOMES, type Outcome, type ReportDetail } from '../../console/api';
import { utf8Length } from '../../irc/message';

export function ReportActions({ report }: { report: ReportDetail }) {
  const { t, client } = useConsole();
  const { detail, session } = useConsoleState();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [note, setNote] = useState('');
  const [problem, setProblem] = useState<'outcome' | 'note' | null>(null);
  if (!detail || !session) return null;
  const { act } = detail;
  const noteBytes = utf8Length(note.trim());
  const mine = report.assignedTo === session.account;

  const submit = (e: Event) => {
    e.preventDefault();
    if (!outcome) {
      setProblem('outcome');
      document.querySelector<HTMLInputElement>('input[name=outcome]')?.focus();
      return;
    }
    if (noteBytes > MAX_NOTE_BYTES) {
      setProblem('note');
      document.getElementById('close-note')?.focus();
      return;
    }
    setProblem(null);
    void client.act(report.ref, 'close', outcome, note);
  };

  const done = act.done;
  const doneText = done
    ? done.kind === 'assigned'
      ? t('console.act.assigned')
      : `${t('console.act.closed', outcomeWords(t, done.outcome))} ${done.told > 0 ? t('console.act.told') : t('console.act.notTold')}`
    : '';
  return (
    <section class="report-actions" aria-labelledby="act-title" data-testid="report-actions">
      <h3 id="act-title">{t('console.act.title')}</h3>
      <p class="act-done" role="status" data-testid="act-done">
        {doneText}
      </p>
      {act.error && (
        <div class="form-error" role="alert" data-testid="act-error">
          {describeConsoleError(t, act.error)}
        </div>
      )}
      {report.status === 'closed' ? (
        !done && <p class="muted">{t('console.act.isClosed')}</p>
      ) : (
        <>
          {mine ? (
            !done && <p class="muted">{t('console.act.mine')}</p>
          ) : (
            <button type="button" onClick={() => client.act(report.ref, 'assign')} disabled={!!act.busy} data-testid="act-assign">
              {act.busy === 'assign' ? t('console.act.assigning') : t('console.act.assign')}
            </button>
          )}
          <form class="close-form" onSubmit={submit} noValidate data-testid="close-form">
            <fieldset aria-describedby={problem === 'outcome' ? 'outcome-error' : undefined}>
              <legend>{t('console.act.outcome')}</legend>
              {OUTCOMES.map((o) => (
                <label key={o} class="field-check">
                  <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} aria-invalid={problem === 'outcome'} />
                  {outcomeWords(t, o)}
                </label>
              ))}
              {problem === 'outcome' && (
                <div class="field-error" id="outcome-error" role="alert">
                  {t('console.act.chooseOutcome')}
                </div>
              )}
            </fieldset>
            <div class="field">
              <label for="close-note">{t('console.act.note')}</label>
              <textarea
                id="close-note"
                rows={2}
                value={note}
                onInput={(e) => setNote(e.currentTarget.value)}
                aria-invalid={problem === 'note'}
                aria-describedby={`close-note-hint${problem === 'note' ? ' close-note-error' : ''}`}
              />
              <p class="hint" id="close-note-hint">
                {t('console.act.noteHint')}
              </p>
              {problem === 'note' && (
                <div class="field-error" id="close-note-error" role="alert">
                  {t('console.act.noteTooLong', noteBytes, MAX_NOTE_BYTES)}
                </div>
              )}
            </div>
            <button type="submit" class="primary" disabled={!!act.busy} data-testid="act-close">
              {act.busy === 'close' ? t('console.act.closing') : t('console.act.close')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}
