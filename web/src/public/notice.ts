// The public notice form's side of the web API (POST /api/notices, GET /api/notices/<ref>;
// ../../docs/web-api.md, "Notices from anyone"): the fields checked as the server checks them,
// the request, the answers read into types, and failures as i18n keys tied to a field. Pure
// functions; the fetch calls are in the page.
import { utf8Length } from '../irc/message';

/** Child safety first, as in the reporting dialog. */
export const NOTICE_CATEGORIES = ['child_abuse', 'grooming', 'non_consensual', 'threat', 'hate', 'harassment', 'illegal_goods', 'spam', 'other'] as const;
export type NoticeCategory = (typeof NOTICE_CATEGORIES)[number];

/** For these the page says that no contact is needed: the notice can be anonymous. */
export const CHILD_SAFETY: readonly string[] = ['child_abuse', 'grooming', 'non_consensual'];

export function isChildSafety(category: string): boolean {
  return CHILD_SAFETY.includes(category);
}

// The server counts bytes of UTF-8 (an accented letter takes two); the client counts the same.
export const LIMITS = { target: 200, text: 2000, contact_name: 100, contact_email: 254 } as const;

export type NoticeField = 'category' | 'target' | 'text' | 'contact_name' | 'contact_email' | 'good_faith';
export const NOTICE_FIELDS: readonly NoticeField[] = ['category', 'target', 'text', 'contact_name', 'contact_email', 'good_faith'];

export interface NoticeValues {
  category: string;
  target: string;
  text: string;
  contactName: string;
  contactEmail: string;
  goodFaith: boolean;
}

export function emptyNotice(): NoticeValues {
  return { category: '', target: '', text: '', contactName: '', contactEmail: '', goodFaith: false };
}

/** A problem in words: an i18n key and its arguments. */
export interface Problem {
  key: string;
  args: (string | number)[];
}

export type NoticeErrors = Partial<Record<NoticeField, Problem>>;

/** What is left of a field's room in bytes (negative: too many). */
export function roomLeft(field: keyof typeof LIMITS, value: string): number {
  return LIMITS[field] - utf8Length(field === 'text' ? normalizeText(value) : value.trim());
}

// One-line fields: nothing below 0x20 and no DEL (the server refuses them).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f]/;

/** The explanation as sent: Windows line breaks as \n, tabs as spaces, trimmed. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').trim();
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** The fields checked before sending, as the server would; an empty object means it can go. */
export function validateNotice(v: NoticeValues): NoticeErrors {
  const errors: NoticeErrors = {};
  const p = (key: string, ...args: (string | number)[]): Problem => ({ key, args });
  if (!(NOTICE_CATEGORIES as readonly string[]).includes(v.category)) errors.category = p('notice.err.category');
  const target = v.target.trim();
  if (target === '') errors.target = p('notice.err.targetEmpty');
  else if (CONTROL.test(target)) errors.target = p('notice.err.control');
  else if (roomLeft('target', target) < 0) errors.target = p('notice.err.tooLong', LIMITS.target, utf8Length(target));
  const text = normalizeText(v.text);
  if (text === '') errors.text = p('notice.err.textEmpty');
  else if (CONTROL_BUT_NEWLINE.test(text)) errors.text = p('notice.err.control');
  else if (roomLeft('text', text) < 0) errors.text = p('notice.err.tooLong', LIMITS.text, utf8Length(text));
  const name = v.contactName.trim();
  if (CONTROL.test(name)) errors.contact_name = p('notice.err.control');
  else if (roomLeft('contact_name', name) < 0) errors.contact_name = p('notice.err.tooLong', LIMITS.contact_name, utf8Length(name));
  const email = v.contactEmail.trim();
  if (email !== '' && (!EMAIL.test(email) || CONTROL.test(email))) errors.contact_email = p('notice.err.email');
  else if (roomLeft('contact_email', email) < 0) errors.contact_email = p('notice.err.tooLong', LIMITS.contact_email, utf8Length(email));
  if (!v.goodFaith) errors.good_faith = p('notice.err.goodFaith');
  return errors;
}

/** The first field at fault, in the form's order (it gets the focus). */
export function firstError(errors: NoticeErrors): NoticeField | null {
  return NOTICE_FIELDS.find((f) => errors[f]) ?? null;
}

/** The JSON body of POST /api/notices; empty contact fields are left out (they are optional). */
export function noticeBody(v: NoticeValues): Record<string, string | boolean> {
  const body: Record<string, string | boolean> = { category: v.category, target: v.target.trim(), text: normalizeText(v.text) };
  if (v.contactName.trim() !== '') body.contact_name = v.contactName.trim();
  if (v.contactEmail.trim() !== '') body.contact_email = v.contactEmail.trim();
  body.good_faith = v.goodFaith;
  return body;
}

/** A reference as the server writes it: R- and ten lowercase hexadecimal digits. */
const REF = /^R-[0-9a-f]{10}$/;

/** A reference typed or pasted (spaces, another case) as the server writes it, or null. */
export function normalizeRef(input: string): string | null {
  const s = input.trim().replace(/\s+/g, '');
  if (!/^r-/i.test(s)) return null;
  const ref = `R-${s.slice(2).toLowerCase()}`;
  return REF.test(ref) ? ref : null;
}

// Reading answers: a field of the wrong type is treated as absent.
type Json = Record<string, unknown>;
function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export interface NoticeReceived {
  reference: string;
  status: string;
  createdMs: number;
}

export function parseNoticeCreated(body: unknown): NoticeReceived | null {
  if (!isObject(body) || typeof body.reference !== 'string' || body.reference === '') return null;
  return { reference: body.reference, status: str(body.status) || 'open', createdMs: num(body.created_ms) };
}

export interface NoticeStatus {
  reference: string;
  category: string;
  status: string;
  createdMs: number;
  /** Once closed: action_taken, no_action or duplicate. */
  outcome?: string;
  decidedMs?: number;
}

export function parseNoticeStatus(body: unknown): NoticeStatus | null {
  if (!isObject(body) || typeof body.reference !== 'string' || typeof body.status !== 'string') return null;
  const s: NoticeStatus = { reference: body.reference, category: str(body.category), status: body.status, createdMs: num(body.created_ms) };
  if (typeof body.outcome === 'string' && body.outcome !== '') s.outcome = body.outcome;
  if (typeof body.decided_ms === 'number' && body.decided_ms > 0) s.decidedMs = body.decided_ms;
  return s;
}

const STATUSES = ['open', 'assigned', 'closed'];
const OUTCOMES = ['action_taken', 'no_action', 'duplicate'];

/** The i18n key of a status (an unknown one is shown as sent). */
export function statusKey(status: string): string | null {
  return STATUSES.includes(status) ? `notice.status.${status}` : null;
}

export function outcomeKey(outcome: string): string | null {
  return OUTCOMES.includes(outcome) ? `notice.outcome.${outcome}` : null;
}

/** A failure: words, and the form field (or "ref") it belongs next to when there is one. */
export interface NoticeFailure extends Problem {
  status: number;
  field?: NoticeField | 'ref';
}

/** `Retry-After` in seconds (seconds or an HTTP date), or null. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

function errorOf(body: unknown): { text: string; field: string } {
  return { text: isObject(body) ? str(body.error) : '', field: isObject(body) ? str(body.field) : '' };
}

/** A refused POST /api/notices in words. */
export function sendFailure(status: number, body: unknown, retryAfter: string | null): NoticeFailure {
  const { text, field } = errorOf(body);
  if (status === 400 && (NOTICE_FIELDS as readonly string[]).includes(field)) {
    return { key: `notice.err.server.${field}`, args: [], status, field: field as NoticeField };
  }
  if (status === 429) {
    const wait = retryAfterSeconds(retryAfter) ?? (Number(/(\d+) seconds?/.exec(text)?.[1]) || null);
    return wait !== null ? { key: 'notice.err.rateLimited', args: [wait], status } : { key: 'notice.err.rateLimitedNoWait', args: [], status };
  }
  if (status === 0) return { key: 'notice.err.network', args: [], status };
  return { key: 'notice.err.refused', args: [text || `HTTP ${status}`], status };
}

/** A refused GET /api/notices/<ref> in words. */
export function followFailure(status: number, body: unknown): NoticeFailure {
  const { text } = errorOf(body);
  if (status === 400) return { key: 'notice.err.badRef', args: [], status, field: 'ref' };
  if (status === 404) return { key: 'notice.err.unknownRef', args: [], status, field: 'ref' };
  if (status === 0) return { key: 'notice.err.network', args: [], status };
  return { key: 'notice.err.followFailed', args: [text || `HTTP ${status}`], status };
}
