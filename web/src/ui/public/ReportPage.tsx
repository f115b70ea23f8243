// The public notice form (/report; DSA Art. 16): anyone can notify content, no account. The
// fields are checked before sending as the server checks them; a refusal the server ties to a
// field is shown under that field, which gets the focus. Once received, the reference is shown
// with a link that follows the notice. Following (/report?ref=R-… or the "Follow a notice"
// form) shows the notice's status and outcome in words.
import { useEffect, useRef, useState } from 'preact/hooks';
import { waitInWords, type T } from '../../i18n';
import type { PublicLang } from '../../public/lang';
import {
  emptyNotice,
  firstError,
  followFailure,
  isChildSafety,
  LIMITS,
  normalizeRef,
  noticeBody,
  NOTICE_CATEGORIES,
  outcomeKey,
  parseNoticeCreated,
  parseNoticeStatus,
  roomLeft,
  sendFailure,
  statusKey,
  validateNotice,
  type NoticeErrors,
  type NoticeFailure,
  type NoticeField,
  type NoticeReceived,
  type NoticeStatus,
  type NoticeValues,
  type Problem,
} from '../../public/notice';
import { followUrl } from '../../public/route';
import { formatDateTime } from '../../public/transparency';

function describe(t: T, p: Problem): string {
  if (p.key === 'notice.err.rateLimited') return t(p.key, waitInWords(t, Number(p.args[0] ?? 0)));
  return t(p.key, ...p.args);
}

/** "12 characters left" or "3 characters too many" (in bytes, as the server counts). */
function leftWords(t: T, left: number): string {
  if (left >= 0) return left === 1 ? t('report.left1') : t('report.left', left);
  return left === -1 ? t('report.over1') : t('report.over', -left);
}

type Answer<V> = { ok: true; value: V } | { ok: false; failure: NoticeFailure };

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; retryAfter: string | null } | null> {
  try {
    const res = await fetch(url, { credentials: 'omit', cache: 'no-store', ...init });
    let body: unknown = null;
    try {
      body = await res.json();
    } catch {
      body = null; // a plain-text answer, or none
    }
    return { status: res.status, body, retryAfter: res.headers.get('Retry-After') };
  } catch {
    return null; // the server could not be reached
  }
}

async function sendNotice(v: NoticeValues): Promise<Answer<NoticeReceived>> {
  const r = await getJson('/api/notices', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(noticeBody(v)) });
  if (!r) return { ok: false, failure: sendFailure(0, null, null) };
  if (r.status !== 201 && r.status !== 200) return { ok: false, failure: sendFailure(r.status, r.body, r.retryAfter) };
  const got = parseNoticeCreated(r.body);
  return got ? { ok: true, value: got } : { ok: false, failure: { key: 'public.badAnswer', args: [], status: r.status } };
}

async function loadStatus(ref: string): Promise<Answer<NoticeStatus>> {
  const r = await getJson(`/api/notices/${encodeURIComponent(ref)}`);
  if (!r) return { ok: false, failure: followFailure(0, null) };
  if (r.status !== 200) return { ok: false, failure: followFailure(r.status, r.body) };
  const got = parseNoticeStatus(r.body);
  return got ? { ok: true, value: got } : { ok: false, failure: { key: 'public.badAnswer', args: [], status: r.status } };
}

function categoryWords(t: T, category: string): string {
  return (NOTICE_CATEGORIES as readonly string[]).includes(category) ? t(`report.cat.${category}`) : category;
}

export function ReportPage({ lang: { t, lang } }: { lang: PublicLang }) {
  const initialRef = new URLSearchParams(location.search).get('ref');
  const [values, setValues] = useState<NoticeValues>(emptyNotice);
  const [errors, setErrors] = useState<NoticeErrors>({});
  /** Fields whose error came from the server (marked for tests and kept until edited). */
  const [serverField, setServerField] = useState<NoticeField | null>(null);
  const [formError, setFormError] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [received, setReceived] = useState<NoticeReceived | null>(null);
  const receivedTitle = useRef<HTMLHeadingElement>(null);
  const fieldRefs = useRef<Partial<Record<NoticeField, HTMLElement | null>>>({});

  useEffect(() => {
    if (received) receivedTitle.current?.focus();
  }, [received]);

  const set = (field: keyof NoticeValues) => (e: Event) => {
    const el = e.currentTarget as HTMLInputElement;
    const value = el.type === 'checkbox' ? el.checked : el.value;
    setValues((v) => ({ ...v, [field]: value }));
  };
  // Editing a field clears its message; the others stay until the next Send.
  const clear = (field: NoticeField) => {
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
    if (serverField === field) setServerField(null);
  };

  const focusField = (field: NoticeField) => fieldRefs.current[field]?.focus();

  const submit = async (e: Event) => {
    e.preventDefault();
    if (busy) return;
    const found = validateNotice(values);
    setErrors(found);
    setServerField(null);
    const first = firstError(found);
    if (first) {
      setFormError({ key: 'notice.fixFields', args: [] });
      focusField(first);
      return;
    }
    setFormError(null);
    setBusy(true);
    const r = await sendNotice(values);
    setBusy(false);
    if (r.ok) {
      setReceived(r.value);
      return;
    }
    const f = r.failure;
    if (f.field && f.field !== 'ref') {
      const field = f.field;
      setErrors({ [field]: f });
      setServerField(field);
      setFormError({ key: 'notice.fixFields', args: [] });
      focusField(field);
    } else setFormError(f);
  };

  const another = () => {
    setValues(emptyNotice());
    setErrors({});
    setFormError(null);
    setReceived(null);
    requestAnimationFrame(() => focusField('category'));
  };

  const invalid = (f: NoticeField) => !!errors[f];
  const describedBy = (f: NoticeField, ...extra: string[]) => [...extra, errors[f] ? `notice-${f}-error` : ''].filter(Boolean).join(' ') || undefined;
  const fieldError = (f: NoticeField) =>
    errors[f] && (
      <div class="field-error" id={`notice-${f}-error`} data-testid={`notice-${f}-error`} data-source={serverField === f ? 'server' : 'client'}>
        {describe(t, errors[f]!)}
      </div>
    );
  const counter = (f: 'target' | 'text', value: string) => {
    const left = roomLeft(f, value);
    return (
      <p class={`hint counter${left < 0 ? ' over' : ''}`} id={`notice-${f}-counter`}>
        {leftWords(t, left)}
      </p>
    );
  };
  const childSafety = isChildSafety(values.category);
  const ref = (f: NoticeField) => (el: HTMLElement | null) => {
    fieldRefs.current[f] = el;
  };

  const follow = <FollowSection t={t} lang={lang} initialRef={initialRef} />;

  return (
    <>
      <h1 class="public-title">{t('notice.title')}</h1>
      <p class="public-intro">{t('notice.intro')}</p>
      {initialRef !== null && follow}
      {received ? (
        <section class="public-card notice-received" aria-labelledby="notice-received-title" data-testid="notice-received">
          <h2 id="notice-received-title" ref={receivedTitle} tabIndex={-1}>
            {t('notice.receivedTitle')}
          </h2>
          <p>{t('notice.receivedText')}</p>
          <p class="notice-ref-label">{t('notice.reference')}</p>
          <p class="notice-ref" data-testid="notice-ref">
            {received.reference}
          </p>
          <p class="notice-keep">
            <strong>{t('notice.keepRef')}</strong>
          </p>
          <div class="public-actions">
            <a class="button-link primary" href={followUrl(received.reference)} data-testid="notice-follow-link">
              {t('notice.followThis')}
            </a>
            <button type="button" onClick={another}>
              {t('notice.another')}
            </button>
          </div>
        </section>
      ) : (
        <form class="public-card notice-form" onSubmit={submit} noValidate aria-labelledby="notice-form-title" data-testid="notice-form">
          <h2 id="notice-form-title">{t('notice.formTitle')}</h2>
          <div class="field">
            <label for="notice-category">
              {t('notice.category')} <span class="required">{t('public.required')}</span>
            </label>
            <select
              id="notice-category"
              ref={ref('category')}
              value={values.category}
              onChange={(e) => {
                set('category')(e);
                clear('category');
              }}
              aria-invalid={invalid('category')}
              aria-describedby={describedBy('category')}
              required
            >
              <option value="">{t('notice.choose')}</option>
              {NOTICE_CATEGORIES.map((c) => (
                <option value={c} key={c}>
                  {t(`report.cat.${c}`)}
                </option>
              ))}
            </select>
            {fieldError('category')}
          </div>

          <div class="field">
            <label for="notice-target">
              {t('notice.target')} <span class="required">{t('public.required')}</span>
            </label>
            <input
              id="notice-target"
              ref={ref('target')}
              value={values.target}
              onInput={(e) => {
                set('target')(e);
                clear('target');
              }}
              autocomplete="off"
              aria-invalid={invalid('target')}
              aria-describedby={describedBy('target', 'notice-target-hint', 'notice-target-counter')}
              required
            />
            <p class="hint" id="notice-target-hint">
              {t('notice.targetHint')}
            </p>
            {counter('target', values.target)}
            {fieldError('target')}
          </div>

          <div class="field">
            <label for="notice-text">
              {t('notice.text')} <span class="required">{t('public.required')}</span>
            </label>
            <textarea
              id="notice-text"
              ref={ref('text')}
              rows={6}
              value={values.text}
              onInput={(e) => {
                set('text')(e);
                clear('text');
              }}
              aria-invalid={invalid('text')}
              aria-describedby={describedBy('text', 'notice-text-hint', 'notice-text-counter')}
              required
            />
            <p class="hint" id="notice-text-hint">
              {t('notice.textHint')} {t('notice.bytesNote')}
            </p>
            {counter('text', values.text)}
            {fieldError('text')}
          </div>

          <fieldset class="notice-contact">
            <legend>{t('notice.contactLegend')}</legend>
            {childSafety && (
              <p class="notice-anonymous" data-testid="notice-child-safety" id="notice-child-safety">
                {t('notice.childSafety')}
              </p>
            )}
            <p class="hint" id="notice-contact-hint">
              {t('notice.contactHint')}
            </p>
            <div class="field">
              <label for="notice-contact_name">{t('notice.contactName')}</label>
              <input
                id="notice-contact_name"
                ref={ref('contact_name')}
                value={values.contactName}
                onInput={(e) => {
                  set('contactName')(e);
                  clear('contact_name');
                }}
                autocomplete="name"
                maxLength={LIMITS.contact_name * 2}
                aria-invalid={invalid('contact_name')}
                aria-describedby={describedBy('contact_name', childSafety ? 'notice-child-safety' : '', 'notice-contact-hint')}
              />
              {fieldError('contact_name')}
            </div>
            <div class="field">
              <label for="notice-contact_email">{t('notice.contactEmail')}</label>
              <input
                id="notice-contact_email"
                ref={ref('contact_email')}
                type="email"
                inputMode="email"
                value={values.contactEmail}
                onInput={(e) => {
                  set('contactEmail')(e);
                  clear('contact_email');
                }}
                autocomplete="email"
                spellcheck={false}
                aria-invalid={invalid('contact_email')}
                aria-describedby={describedBy('contact_email', childSafety ? 'notice-child-safety' : '', 'notice-contact-hint')}
              />
              {fieldError('contact_email')}
            </div>
          </fieldset>

          <div class="field field-check">
            <input
              id="notice-good_faith"
              ref={ref('good_faith')}
              type="checkbox"
              checked={values.goodFaith}
              onChange={(e) => {
                set('goodFaith')(e);
                clear('good_faith');
              }}
              aria-invalid={invalid('good_faith')}
              aria-describedby={describedBy('good_faith')}
              required
            />
            <label for="notice-good_faith">
              {t('notice.goodFaith')} <span class="required">{t('public.required')}</span>
            </label>
          </div>
          {fieldError('good_faith')}

          {formError && (
            <div class="form-error" role="alert" data-testid="notice-form-error" data-status={'status' in formError ? String(formError.status) : undefined}>
              {describe(t, formError)}
            </div>
          )}
          <button type="submit" class="primary" disabled={busy} aria-busy={busy}>
            {busy ? t('notice.sending') : t('notice.send')}
          </button>
        </form>
      )}
      {initialRef === null && follow}
    </>
  );
}

/** Following a notice: a reference field, and the status of the one asked for. */
function FollowSection({ t, lang, initialRef }: { t: T; lang: PublicLang['lang']; initialRef: string | null }) {
  const [input, setInput] = useState(initialRef ?? '');
  const [error, setError] = useState<NoticeFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<NoticeStatus | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const statusTitle = useRef<HTMLHeadingElement>(null);
  const asked = useRef(0);

  const look = async (raw: string, focus: boolean) => {
    const ref = normalizeRef(raw);
    if (!ref) {
      setStatus(null);
      setError(followFailure(400, null));
      if (focus) inputRef.current?.focus();
      return;
    }
    // The address says which notice is shown, so that it can be kept or shared.
    if (new URLSearchParams(location.search).get('ref') !== ref) history.replaceState(null, '', followUrl(ref));
    setInput(ref);
    const n = ++asked.current;
    setBusy(true);
    setError(null);
    const r = await loadStatus(ref);
    if (n !== asked.current) return; // a later question was asked meanwhile
    setBusy(false);
    if (r.ok) {
      setStatus(r.value);
      requestAnimationFrame(() => statusTitle.current?.focus());
    } else {
      setStatus(null);
      setError(r.failure);
      if (focus || r.failure.field === 'ref') inputRef.current?.focus();
    }
  };

  useEffect(() => {
    if (initialRef !== null) void look(initialRef, false);
  }, []);

  const submit = (e: Event) => {
    e.preventDefault();
    if (!busy) void look(input, true);
  };
  const fieldError = error?.field === 'ref';
  return (
    <section class="public-card notice-follow" aria-labelledby="notice-follow-title" data-testid="notice-follow">
      <h2 id="notice-follow-title">{t('notice.followTitle')}</h2>
      <form onSubmit={submit} noValidate class="follow-form">
        <div class="field">
          <label for="notice-ref">{t('notice.followRef')}</label>
          <div class="follow-row">
            <input
              id="notice-ref"
              ref={inputRef}
              value={input}
              onInput={(e) => setInput(e.currentTarget.value)}
              autocomplete="off"
              autocapitalize="characters"
              spellcheck={false}
              aria-invalid={fieldError}
              aria-describedby={['notice-ref-hint', fieldError ? 'notice-ref-error' : ''].filter(Boolean).join(' ')}
            />
            <button type="submit" disabled={busy} aria-busy={busy}>
              {busy ? t('notice.looking') : t('notice.follow')}
            </button>
          </div>
          <p class="hint" id="notice-ref-hint">
            {t('notice.followHint')}
          </p>
          {error && (
            <div
              class={fieldError ? 'field-error' : 'form-error'}
              id={fieldError ? 'notice-ref-error' : undefined}
              role="alert"
              data-testid="notice-ref-error"
            >
              {describe(t, error)}
            </div>
          )}
        </div>
      </form>
      {status && (
        <div class="notice-status" data-testid="notice-status" data-status={status.status} data-outcome={status.outcome ?? ''}>
          <h3 ref={statusTitle} tabIndex={-1}>
            {t('notice.statusTitle', status.reference)}
          </h3>
          <dl class="notice-facts">
            <dt>{t('notice.field.status')}</dt>
            <dd data-testid="notice-status-words" class={`status-${status.status}`}>
              {statusKey(status.status) ? t(statusKey(status.status)!) : status.status}
            </dd>
            {status.category && (
              <>
                <dt>{t('notice.field.category')}</dt>
                <dd>{categoryWords(t, status.category)}</dd>
              </>
            )}
            {status.createdMs > 0 && (
              <>
                <dt>{t('notice.field.received')}</dt>
                <dd>
                  <time dateTime={new Date(status.createdMs).toISOString()}>{formatDateTime(status.createdMs, lang)}</time>
                </dd>
              </>
            )}
            {status.decidedMs !== undefined && (
              <>
                <dt>{t('notice.field.decided')}</dt>
                <dd>
                  <time dateTime={new Date(status.decidedMs).toISOString()}>{formatDateTime(status.decidedMs, lang)}</time>
                </dd>
              </>
            )}
            {status.outcome && (
              <>
                <dt>{t('notice.field.outcome')}</dt>
                <dd data-testid="notice-outcome-words">{outcomeKey(status.outcome) ? t(outcomeKey(status.outcome)!) : status.outcome}</dd>
              </>
            )}
          </dl>
          <button type="button" class="small" onClick={() => look(status.reference, false)} disabled={busy}>
            {t('notice.refresh')}
          </button>
        </div>
      )}
    </section>
  );
}
