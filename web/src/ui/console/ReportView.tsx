// One report: what was reported, by whom, when, its comment; the evidence as a small
// transcript by place with the reported message marked; the earlier reports on the same
// target (each opens). The target's IP address only when the server sends it (administrators).
import { useEffect } from 'preact/hooks';
import { useConsole, useConsoleState } from './context';
import { When } from './Queue';
import { categoryWords, clockTime, describeConsoleError, exactTime, groupEvidence, outcomeWords, priorityLane, priorityWords, sourceNick, statusWords, type EvidenceGroup } from '../../console/format';
import type { ReportDetail } from '../../console/api';
import { ReportActions } from './ReportActions';

function kindWords(t: (k: string, ...a: (string | number)[]) => string, kind: string): string {
  return ['user', 'room', 'message'].includes(kind) ? t(`console.kind.${kind}`) : kind;
}

function Transcript({ group }: { group: EvidenceGroup }) {
  const { t, lang } = useConsole();
  const id = `evidence-${group.place.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return (
    <section class="evidence-group" aria-labelledby={id} data-place={group.place}>
      <h4 id={id}>{group.private ? t('console.detail.private') : group.place || '—'}</h4>
      <ol class="transcript">
        {group.lines.map((l) => {
          const reported = l.kind === 'reported';
          const nick = sourceNick(l.source);
          return (
            <li key={`${l.seq}-${l.msgid}`} class={`evidence-line kind-${l.kind}${reported ? ' reported' : ''}`} data-kind={l.kind} data-msgid={l.msgid || undefined}>
              {reported && <span class="reported-mark">{t('console.detail.reportedMessage')}</span>}
              <time class="time" dateTime={new Date(l.timeMs).toISOString()} title={exactTime(l.timeMs, lang)}>
                {clockTime(l.timeMs, lang)}
              </time>{' '}
              {l.kind === 'topic' ? (
                <span class="evidence-topic">{t('console.detail.topic', l.text)}</span>
              ) : (
                <>
                  <span class="nick" title={l.source}>
                    {l.command === 'NOTICE' ? `-${nick}-` : `<${nick}>`}
                  </span>
                  {l.account && l.account !== nick && <span class="muted"> ({t('console.detail.account', l.account)})</span>} <span class="text">{l.text}</span>
                </>
              )}
            </li>
          );
        })}
      </ol>
    </section>
  );
}

function Facts({ r, now }: { r: ReportDetail; now: number }) {
  const { t, lang } = useConsole();
  const lane = priorityLane(r.priority);
  const target = r.targetNick && r.targetNick !== r.target ? `${r.target} (${r.targetNick})` : r.target;
  return (
    <dl class="report-facts">
      <dt>{t('console.detail.priority')}</dt>
      <dd>
        <span class={`priority-badge lane-${lane}`} data-testid="detail-priority">
          {priorityWords(t, r.priority)}
        </span>
      </dd>
      <dt>{t('console.detail.category')}</dt>
      <dd data-testid="detail-category">{categoryWords(t, r.category)}</dd>
      <dt>{t('console.detail.status')}</dt>
      <dd data-testid="detail-status">{statusWords(t, r.status)}</dd>
      <dt>{t('console.detail.created')}</dt>
      <dd>
        <When ms={r.createdMs} now={now} />
      </dd>
      <dt>{t('console.detail.target')}</dt>
      <dd data-testid="detail-target">
        {r.targetKind && <span class="muted">{t('console.detail.kindPrefix', kindWords(t, r.targetKind))} </span>}
        {target}
      </dd>
      {r.targetAccount && (
        <>
          <dt>{t('console.detail.targetAccount')}</dt>
          <dd data-testid="detail-target-account">{r.targetAccount}</dd>
        </>
      )}
      {r.targetIp && (
        <>
          <dt>{t('console.detail.targetIp')}</dt>
          <dd data-testid="detail-target-ip">
            <code>{r.targetIp}</code>
          </dd>
        </>
      )}
      {r.msgid && (
        <>
          <dt>{t('console.detail.msgid')}</dt>
          <dd>
            <code>{r.msgid}</code>
          </dd>
        </>
      )}
      <dt>{t('console.detail.reporter')}</dt>
      <dd data-testid="detail-reporter">
        {r.reporter || '—'}
        {r.reporterNick && r.reporterNick !== r.reporter && ` (${r.reporterNick})`}
        {r.reporterAccount && r.reporterAccount !== r.reporter && <span class="muted"> ({t('console.detail.account', r.reporterAccount)})</span>}
        {r.reporterHost && <span class="muted report-host"> {r.reporterHost}</span>}
      </dd>
      {r.reporterIp && (
        <>
          <dt>{t('console.detail.reporterIp')}</dt>
          <dd data-testid="detail-reporter-ip">
            <code>{r.reporterIp}</code>
          </dd>
        </>
      )}
      {r.assignedTo && (
        <>
          <dt>{t('console.detail.assignedTo')}</dt>
          <dd data-testid="detail-assigned">{r.assignedTo}</dd>
        </>
      )}
      {r.outcome && (
        <>
          <dt>{t('console.detail.outcome')}</dt>
          <dd data-testid="detail-outcome">
            {outcomeWords(t, r.outcome)}
            {r.decidedBy && <span class="muted"> {t('console.detail.decidedBy', r.decidedBy, r.decidedMs ? exactTime(r.decidedMs, lang) : '')}</span>}
          </dd>
        </>
      )}
      {r.outcomeNote && (
        <>
          <dt>{t('console.detail.note')}</dt>
          <dd data-testid="detail-note">{r.outcomeNote}</dd>
        </>
      )}
    </dl>
  );
}

export function ReportView({ now, onBack, asMain }: { now: number; onBack: (() => void) | null; asMain: boolean }) {
  const { t, client, lang } = useConsole();
  const { detail } = useConsoleState();
  const ref = detail?.ref ?? '';
  useEffect(() => {
    // Opening a report takes the reader to it.
    document.getElementById('report-title')?.focus();
  }, [ref]);
  if (!detail) return null;
  const page = detail.page;
  const r = page?.report;
  const groups = r ? groupEvidence(r.evidence) : [];
  const Tag = asMain ? 'main' : 'section';
  return (
    <Tag id={asMain ? 'main' : undefined} class="console-detail" aria-labelledby="report-title" aria-busy={detail.loading} data-testid="report-detail" data-ref={detail.ref}>
      {onBack && (
        <button type="button" class="small console-back" onClick={onBack}>
          ← {t('console.detail.back')}
        </button>
      )}
      <h2 id="report-title" tabIndex={-1}>
        {t('console.detail.title', detail.ref)}
      </h2>
      {detail.loading && !page && <p role="status">{t('console.detail.loading')}</p>}
      {detail.error && (
        <div class="form-error" role="alert" data-testid="detail-error">
          <span>{describeConsoleError(t, detail.error)}</span>
          <button type="button" class="small" onClick={() => client.open(detail.ref)}>
            {t('console.retry')}
          </button>
        </div>
      )}
      {r && page && (
        <>
          <Facts r={r} now={now} />
          <h3>{t('console.detail.comment')}</h3>
          <p class={`report-text${r.text ? '' : ' muted'}`} data-testid="detail-comment">
            {r.text || t('console.row.noComment')}
          </p>
          <h3>{t('console.detail.evidence')}</h3>
          {groups.length === 0 ? (
            <p class="muted">{t('console.detail.noEvidence')}</p>
          ) : (
            <div class="evidence" data-testid="evidence">
              {groups.map((g) => (
                <Transcript key={g.place} group={g} />
              ))}
            </div>
          )}
          <h3>{t('console.detail.earlier', r.target)}</h3>
          {page.earlier.length === 0 ? (
            <p class="muted">{t('console.detail.noEarlier')}</p>
          ) : (
            <ul class="earlier" data-testid="earlier">
              {page.earlier.map((e) => (
                <li key={e.ref}>
                  <button type="button" class="link-button" onClick={() => client.open(e.ref)}>
                    {e.ref}
                  </button>{' '}
                  {categoryWords(t, e.category)} · {statusWords(t, e.status)} · <time dateTime={new Date(e.createdMs).toISOString()}>{exactTime(e.createdMs, lang)}</time>
                </li>
              ))}
            </ul>
          )}
          <ReportActions key={r.ref} report={r} />
        </>
      )}
    </Tag>
  );
}
