// The public transparency figures (/transparency; DSA Art. 15/24), read from
// GET /api/transparency: the period, the totals, then a table per breakdown (notices by kind
// of content and by source, decisions by outcome, actions by type), each with a caption and
// headers, counts in the language's digits. Tables scroll sideways on their own if a phone is
// too narrow, never the page.
import { useEffect, useState } from 'preact/hooks';
import type { Lang, T } from '../../i18n';
import type { PublicLang } from '../../public/lang';
import { formatCount, formatDateTime, humanDuration, parseTransparency, share, type Count, type Transparency } from '../../public/transparency';

type Loaded = { state: 'loading' } | { state: 'failed'; why: string } | { state: 'done'; figures: Transparency };

async function load(): Promise<{ ok: true; figures: Transparency } | { ok: false; status: number; error: string }> {
  let res: Response;
  try {
    res = await fetch('/api/transparency', { credentials: 'omit', cache: 'no-store' });
  } catch {
    return { ok: false, status: 0, error: '' };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null;
  }
  if (!res.ok) {
    const error = typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : '';
    return { ok: false, status: res.status, error };
  }
  const figures = parseTransparency(body);
  return figures ? { ok: true, figures } : { ok: false, status: -1, error: '' };
}

function CountTable({ id, caption, column, rows, words, total, t, lang }: { id: string; caption: string; column: string; rows: Count[]; words(key: string): string; total: number; t: T; lang: Lang }) {
  return (
    <div class="table-wrap" role="region" aria-labelledby={`${id}-caption`} tabIndex={0}>
      <table class="figures" data-testid={id}>
        <caption id={`${id}-caption`}>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{column}</th>
            <th scope="col" class="num">
              {t('transparency.col.count')}
            </th>
            <th scope="col" class="num">
              {t('transparency.col.share')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-key={r.key}>
              <th scope="row">{words(r.key)}</th>
              <td class="num" data-count={r.n}>
                {formatCount(r.n, lang)}
              </td>
              <td class="num">{share(r.n, total, lang)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('transparency.total')}</th>
            <td class="num" data-count={total}>
              {formatCount(total, lang)}
            </td>
            <td class="num" />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

export function TransparencyPage({ lang: { t, lang } }: { lang: PublicLang }) {
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const refresh = async () => {
    setLoaded((l) => (l.state === 'done' ? l : { state: 'loading' }));
    const r = await load();
    if (r.ok) setLoaded({ state: 'done', figures: r.figures });
    else {
      const why = r.status === 0 ? t('notice.err.network') : r.status === -1 ? t('public.badAnswer') : r.error || `HTTP ${r.status}`;
      setLoaded({ state: 'failed', why });
    }
  };
  useEffect(() => void refresh(), []);

  // Words for a key of a table; a key the client has no words for is shown as the server sent it.
  const words = (prefix: string) => (key: string) => {
    const k = `${prefix}.${key}`;
    const w = t(k);
    return w === k ? key : w;
  };

  return (
    <>
      <h1 class="public-title">{t('transparency.title')}</h1>
      <p class="public-intro">{t('transparency.intro')}</p>
      {loaded.state === 'loading' && (
        <p role="status" data-testid="transparency-loading">
          {t('transparency.loading')}
        </p>
      )}
      {loaded.state === 'failed' && (
        <div class="form-error" role="alert" data-testid="transparency-error">
          {t('transparency.failed', loaded.why)}
          <button type="button" class="small" onClick={refresh}>
            {t('transparency.retry')}
          </button>
        </div>
      )}
      {loaded.state === 'done' && <Figures f={loaded.figures} t={t} lang={lang} words={words} />}
    </>
  );
}

function Figures({ f, t, lang, words }: { f: Transparency; t: T; lang: Lang; words(prefix: string): (key: string) => string }) {
  const when = (ms: number) => <time dateTime={new Date(ms).toISOString()}>{formatDateTime(ms, lang)}</time>;
  const period = f.sinceMs > 0 ? t('transparency.period', '\u0000', '\u0001') : t('transparency.noRecords', '\u0000');
  // The sentence's dates as <time> elements, wherever each language puts them.
  const parts = period.split(/(\u0000|\u0001)/).map((p) => (p === '\u0000' ? when(f.sinceMs > 0 ? f.sinceMs : f.generatedMs) : p === '\u0001' ? when(f.generatedMs) : p));
  const median = f.decisions.medianMs;
  return (
    <div class="figures-page" data-testid="transparency">
      <p class="period" data-testid="transparency-period">
        {parts}
      </p>
      <section aria-labelledby="summary-title" class="public-section">
        <h2 id="summary-title">{t('transparency.summary')}</h2>
        <dl class="totals">
          <div>
            <dt>{t('transparency.noticesTotal')}</dt>
            <dd data-testid="total-notices" data-count={f.notices.total}>
              {formatCount(f.notices.total, lang)}
            </dd>
          </div>
          <div>
            <dt>{t('transparency.decisionsTotal')}</dt>
            <dd data-testid="total-decisions" data-count={f.decisions.total}>
              {formatCount(f.decisions.total, lang)}
            </dd>
          </div>
          <div>
            <dt>{t('transparency.actionsTotal')}</dt>
            <dd data-testid="total-actions" data-count={f.actions.total}>
              {formatCount(f.actions.total, lang)}
            </dd>
          </div>
          <div>
            <dt>{t('transparency.median')}</dt>
            <dd data-testid="median" class={median === null ? 'none' : undefined}>
              {median === null ? t('transparency.noMedian') : humanDuration(median, lang)}
            </dd>
          </div>
        </dl>
      </section>
      <section aria-labelledby="notices-title" class="public-section">
        <h2 id="notices-title">{t('transparency.notices')}</h2>
        <div class="tables">
          <CountTable id="by-category" caption={t('transparency.byCategory')} column={t('transparency.col.category')} rows={f.notices.byCategory} words={words('report.cat')} total={f.notices.total} t={t} lang={lang} />
          <CountTable id="by-source" caption={t('transparency.bySource')} column={t('transparency.col.source')} rows={f.notices.bySource} words={words('transparency.source')} total={f.notices.bySource.reduce((a, r) => a + r.n, 0)} t={t} lang={lang} />
        </div>
      </section>
      <section aria-labelledby="decisions-title" class="public-section">
        <h2 id="decisions-title">{t('transparency.decisions')}</h2>
        <CountTable id="by-outcome" caption={t('transparency.byOutcome')} column={t('transparency.col.outcome')} rows={f.decisions.byOutcome} words={words('transparency.outcome')} total={f.decisions.total} t={t} lang={lang} />
      </section>
      <section aria-labelledby="actions-title" class="public-section">
        <h2 id="actions-title">{t('transparency.actions')}</h2>
        <CountTable id="by-type" caption={t('transparency.byType')} column={t('transparency.col.type')} rows={f.actions.byType} words={words('transparency.action')} total={f.actions.total} t={t} lang={lang} />
        <p class="hint">{t('transparency.notes')}</p>
      </section>
      <p class="hint generated">{t('transparency.generated', formatDateTime(f.generatedMs, lang))}</p>
    </div>
  );
}
