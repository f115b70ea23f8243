// The queue: Open / All tabs, the reports in priority order (child safety first, marked in
// words and colour), each row a button that opens the report beside the list (desktop) or in
// its place (phone, with a way back to the row).
import { useEffect, useRef } from 'preact/hooks';
import { useConsole, useConsoleState, useClock } from './context';
import { useMediaQuery } from '../context';
import { byPriority, categoryWords, describeConsoleError, exactTime, priorityLane, priorityWords, relativeTime, statusWords, truncate } from '../../console/format';
import { DEFAULT_LIMIT, type QueueFilter, type Report } from '../../console/api';
import { ReportView } from './ReportView';

const FILTERS: QueueFilter[] = ['open', 'all'];

/** A time shown relative ("5 minutes ago"), exact in its datetime and tooltip. */
export function When({ ms, now }: { ms: number; now: number }) {
  const { lang } = useConsole();
  if (!ms) return <span>—</span>;
  const exact = exactTime(ms, lang);
  return (
    <time dateTime={new Date(ms).toISOString()} title={exact}>
      {relativeTime(ms, now, lang)}
      <span class="console-exact"> ({exact})</span>
    </time>
  );
}

function Tabs({ filter }: { filter: QueueFilter }) {
  const { t, client } = useConsole();
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const choose = (f: QueueFilter, focus = false) => {
    if (f !== filter) void client.loadQueue(f);
    if (focus) refs.current[FILTERS.indexOf(f)]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const i = FILTERS.indexOf(filter);
    const next = e.key === 'ArrowRight' ? i + 1 : e.key === 'ArrowLeft' ? i - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? FILTERS.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    choose(FILTERS[(next + FILTERS.length) % FILTERS.length], true);
  };
  return (
    <div class="console-tabs" role="tablist" aria-label={t('console.queue.filter')} onKeyDown={onKey}>
      {FILTERS.map((f, i) => (
        <button
          key={f}
          ref={(el) => void (refs.current[i] = el)}
          type="button"
          role="tab"
          id={`tab-${f}`}
          aria-selected={f === filter}
          aria-controls="queue-panel"
          tabIndex={f === filter ? 0 : -1}
          class={f === filter ? 'current' : ''}
          onClick={() => choose(f)}
          data-filter={f}
        >
          {t(`console.queue.${f}`)}
        </button>
      ))}
    </div>
  );
}

function Row({ report, selected, now }: { report: Report; selected: boolean; now: number }) {
  const { t, client } = useConsole();
  const lane = priorityLane(report.priority);
  return (
    <li class={`report-row lane-${lane}${selected ? ' selected' : ''}`} data-ref={report.ref} data-priority={lane}>
      <button type="button" class="report-button" aria-current={selected ? 'true' : undefined} onClick={() => client.open(report.ref)} data-testid="report-row">
        <span class="report-line">
          <span class={`priority-badge lane-${lane}`} data-testid="row-priority">
            {priorityWords(t, report.priority)}
          </span>
          <span class="report-category" data-testid="row-category">
            {categoryWords(t, report.category)}
          </span>
          <span class="report-status" data-testid="row-status">
            {report.status === 'assigned' && report.assignedTo ? t('console.status.assignedTo', report.assignedTo) : statusWords(t, report.status)}
          </span>
        </span>
        <span class="report-line">
          <span class="report-target" data-testid="row-target">
            {report.target}
            {report.targetAccount && report.targetAccount !== report.target && <span class="muted"> ({t('console.detail.account', report.targetAccount)})</span>}
          </span>
          <span class="report-meta muted">
            {t('console.row.reporter', report.reporter || '—')} · <When ms={report.createdMs} now={now} />
          </span>
        </span>
        <span class={`report-comment${report.text ? '' : ' muted'}`} data-testid="row-comment">
          {report.text ? truncate(report.text, 120) : t('console.row.noComment')}
        </span>
      </button>
    </li>
  );
}

export function Queue() {
  const { t, client, lang } = useConsole();
  const state = useConsoleState();
  const now = useClock();
  const wide = useMediaQuery('(min-width: 900px)');
  const { queue, detail } = state;
  const reports = queue.reports ? byPriority(queue.reports) : null;
  const lastOpened = useRef<string | null>(null);

  useEffect(() => document.getElementById('queue-title')?.focus(), []);
  useEffect(() => {
    if (detail) lastOpened.current = detail.ref;
  }, [detail?.ref]);

  const back = () => {
    const ref = detail?.ref ?? lastOpened.current;
    client.close();
    // Back to its row; to the heading when it left the list (closed meanwhile).
    requestAnimationFrame(() => (document.querySelector<HTMLElement>(`.report-row[data-ref="${CSS.escape(ref ?? '')}"] button`) ?? document.getElementById('queue-title'))?.focus());
  };

  const showList = wide || !detail;
  return (
    <div class={`console-layout${wide ? ' wide' : ' narrow'}`}>
      {showList && (
        <main id="main" class="console-queue" aria-labelledby="queue-title">
          <div class="queue-head">
            <h2 id="queue-title" tabIndex={-1}>
              {t('console.queue.title')}
            </h2>
            <button type="button" class="small" onClick={() => client.loadQueue()} disabled={queue.loading} data-testid="queue-refresh">
              {t('console.queue.refresh')}
            </button>
          </div>
          <Tabs filter={queue.filter} />
          <section id="queue-panel" role="tabpanel" aria-labelledby={`tab-${queue.filter}`} aria-busy={queue.loading} data-filter={queue.filter}>
            <p class="queue-status muted" role="status" data-testid="queue-status">
              {queue.loading && !reports
                ? t('console.queue.loading')
                : reports
                  ? [
                      reports.length === 1 ? t('console.queue.count1') : reports.length >= DEFAULT_LIMIT ? t('console.queue.first', reports.length) : t('console.queue.count', reports.length),
                      queue.fetchedAt ? t('console.queue.updated', new Date(queue.fetchedAt).toLocaleTimeString(lang === 'fr' ? 'fr-FR' : 'en-GB')) : '',
                    ]
                      .filter(Boolean)
                      .join(' · ')
                  : ''}
            </p>
            {queue.error && (
              <div class="form-error" role="alert" data-testid="queue-error" data-status={queue.error.status}>
                <span>{describeConsoleError(t, queue.error)}</span>
                <button type="button" class="small" onClick={() => client.loadQueue()}>
                  {t('console.retry')}
                </button>
              </div>
            )}
            {reports && reports.length === 0 && <p class="queue-empty">{queue.filter === 'open' ? t('console.queue.emptyOpen') : t('console.queue.emptyAll')}</p>}
            {reports && reports.length > 0 && (
              <ol class="report-list" data-testid="report-list">
                {reports.map((r) => (
                  <Row key={r.ref} report={r} selected={detail?.ref === r.ref} now={now} />
                ))}
              </ol>
            )}
          </section>
        </main>
      )}
      {detail ? (
        <ReportView now={now} onBack={wide ? null : back} asMain={!showList} />
      ) : (
        wide && (
          <aside class="console-detail console-detail-empty" aria-label={t('console.detail.none')}>
            <p class="muted">{t('console.detail.none')}</p>
          </aside>
        )
      )}
    </div>
  );
}
