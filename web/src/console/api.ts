// The moderation console's side of the web API (../../docs/web-api.md): the requests it makes,
// the answers read into typed values, and HTTP failures as i18n keys. Pure functions; the
// fetch calls are in client.ts.

export type Role = 'admin' | 'moderator' | 'none';

export interface SessionInfo {
  account: string;
  role: Role;
  csrfToken: string;
}

export type QueueFilter = 'open' | 'all';

/** One report as the queue lists it. */
export interface Report {
  ref: string;
  createdMs: number;
  category: string;
  /** 0 child safety, 1 threats, 2 the rest (the server's queue order). */
  priority: number;
  status: string;
  reporter: string;
  targetKind: string;
  target: string;
  targetAccount: string;
  msgid: string;
  text: string;
  /** The moderator who took it (status "assigned"), or empty. */
  assignedTo: string;
  /** How it was closed: action_taken, no_action, duplicate; empty while open. */
  outcome: string;
  decidedBy: string;
  decidedMs: number;
}

export type EvidenceKind = 'reported' | 'context' | 'user' | 'private' | 'topic';

export interface Evidence {
  seq: number;
  kind: string;
  place: string;
  timeMs: number;
  msgid: string;
  source: string;
  account: string;
  command: string;
  text: string;
}

export interface ReportDetail extends Report {
  targetNick: string;
  reporterAccount: string;
  reporterNick: string;
  reporterHost: string;
  outcomeNote: string;
  /** Only in administrators' answers. */
  targetIp?: string;
  reporterIp?: string;
  evidence: Evidence[];
}

export interface EarlierReport {
  ref: string;
  createdMs: number;
  category: string;
  status: string;
}

export interface ReportPage {
  report: ReportDetail;
  earlier: EarlierReport[];
}

/** What fetch is given: method, address, headers and body. */
export interface ApiRequest {
  method: 'GET' | 'POST' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

export const MAX_LIMIT = 200;
export const DEFAULT_LIMIT = 50;

export function loginRequest(account: string, password: string): ApiRequest {
  return {
    method: 'POST',
    url: '/api/session',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ account, password }),
  };
}

export function sessionRequest(): ApiRequest {
  return { method: 'GET', url: '/api/session', headers: {} };
}

/** A request that changes something carries the session's CSRF token. */
export function logoutRequest(csrfToken: string): ApiRequest {
  return { method: 'DELETE', url: '/api/session', headers: { 'X-CSRF-Token': csrfToken } };
}

export function reportsRequest(filter: QueueFilter, limit = DEFAULT_LIMIT): ApiRequest {
  const n = Math.min(MAX_LIMIT, Math.max(1, Math.floor(Number.isFinite(limit) ? limit : DEFAULT_LIMIT)));
  return { method: 'GET', url: `/api/reports?status=${filter}&limit=${n}`, headers: {} };
}

export function reportRequest(ref: string): ApiRequest {
  return { method: 'GET', url: `/api/reports/${encodeURIComponent(ref)}`, headers: {} };
}

/** How a report is closed (POST /api/reports/<ref>/close). */
export const OUTCOMES = ['action_taken', 'no_action', 'duplicate'] as const;
export type Outcome = (typeof OUTCOMES)[number];
/** The moderators' note on a closed report, in UTF-8 bytes. */
export const MAX_NOTE_BYTES = 500;

/** The caller takes the report (status "assigned"). */
export function assignRequest(ref: string, csrfToken: string): ApiRequest {
  return { method: 'POST', url: `/api/reports/${encodeURIComponent(ref)}/assign`, headers: { 'X-CSRF-Token': csrfToken } };
}

/** Closes the report with an outcome (the reporter is told) and an optional note. */
export function closeRequest(ref: string, csrfToken: string, outcome: Outcome, note: string): ApiRequest {
  const body: { outcome: Outcome; note?: string } = { outcome };
  if (note.trim() !== '') body.note = note.trim();
  return {
    method: 'POST',
    url: `/api/reports/${encodeURIComponent(ref)}/close`,
    headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(body),
  };
}

/** `reporter_told` of a close answer: on how many connections the reporter was told. */
export function parseTold(body: unknown): number {
  return isObject(body) ? num(body.reporter_told) : 0;
}

// Reading answers: what the server sends is checked field by field; a missing optional
// field becomes empty rather than failing the whole answer.
type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);

export function parseSession(body: unknown): SessionInfo | null {
  if (!isObject(body) || typeof body.account !== 'string' || typeof body.csrf_token !== 'string') return null;
  const role = body.role === 'admin' || body.role === 'moderator' ? body.role : 'none';
  return { account: body.account, role, csrfToken: body.csrf_token };
}

function parseReport(v: unknown): Report | null {
  if (!isObject(v) || typeof v.ref !== 'string' || v.ref === '') return null;
  return {
    ref: v.ref,
    createdMs: num(v.created_ms),
    category: str(v.category),
    priority: num(v.priority, 2),
    status: str(v.status),
    reporter: str(v.reporter),
    targetKind: str(v.target_kind),
    target: str(v.target),
    targetAccount: str(v.target_account),
    msgid: str(v.msgid),
    text: str(v.text),
    assignedTo: str(v.assigned_to),
    outcome: str(v.outcome),
    decidedBy: str(v.decided_by),
    decidedMs: num(v.decided_ms),
  };
}

/** The queue, in the server's order; entries without a reference are left out. */
export function parseReports(body: unknown): Report[] | null {
  if (!isObject(body) || !Array.isArray(body.reports)) return null;
  return body.reports.map(parseReport).filter((r): r is Report => r !== null);
}

function parseEvidence(v: unknown, index: number): Evidence | null {
  if (!isObject(v)) return null;
  return {
    seq: num(v.seq, index),
    kind: str(v.kind),
    place: str(v.place),
    timeMs: num(v.time_ms),
    msgid: str(v.msgid),
    source: str(v.source),
    account: str(v.account),
    command: str(v.command),
    text: str(v.text),
  };
}

export function parseReportPage(body: unknown): ReportPage | null {
  if (!isObject(body)) return null;
  const base = parseReport(body.report);
  if (!base || !isObject(body.report)) return null;
  const r = body.report;
  const report: ReportDetail = {
    ...base,
    targetNick: str(r.target_nick),
    reporterAccount: str(r.reporter_account),
    reporterNick: str(r.reporter_nick),
    reporterHost: str(r.reporter_host),
    outcomeNote: str(r.outcome_note),
    evidence: (Array.isArray(r.evidence) ? r.evidence : []).map(parseEvidence).filter((e): e is Evidence => e !== null),
  };
  if (typeof r.target_ip === 'string' && r.target_ip !== '') report.targetIp = r.target_ip;
  if (typeof r.reporter_ip === 'string' && r.reporter_ip !== '') report.reporterIp = r.reporter_ip;
  const earlier = (Array.isArray(body.earlier) ? body.earlier : [])
    .filter(isObject)
    .filter((e) => typeof e.ref === 'string' && e.ref !== '')
    .map((e) => ({ ref: str(e.ref), createdMs: num(e.created_ms), category: str(e.category), status: str(e.status) }));
  return { report, earlier };
}

/** Which call failed: the same status means different things for each. */
export type Operation = 'login' | 'session' | 'logout' | 'reports' | 'report' | 'assign' | 'close';

/** A failure in words: an i18n key (console.err.*) and its arguments. */
export interface ConsoleError {
  key: string;
  args: (string | number)[];
  /** The HTTP status, 0 when the server could not be reached. */
  status: number;
  /** The form field the server named (400). */
  field?: string;
  /** The session is gone (401 on a call that needs one): back to the login screen. */
  expired?: boolean;
}

/** `Retry-After` in seconds (a number of seconds or an HTTP date), or null. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const t = header.trim();
  if (/^\d+$/.test(t)) return Number(t);
  const at = Date.parse(t);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * An HTTP failure of `op` in words. `body` is the parsed answer (`{"error", "field"?}` or
 * anything else), `retryAfter` the Retry-After header.
 */
export function errorFromResponse(op: Operation, status: number, body: unknown, retryAfter: string | null = null): ConsoleError {
  const serverText = isObject(body) && typeof body.error === 'string' ? body.error : '';
  const field = isObject(body) && typeof body.field === 'string' ? body.field : undefined;
  const e = (key: string, ...args: (string | number)[]): ConsoleError => ({ key, args, status });
  if (op === 'login') {
    switch (status) {
      case 400:
        return { ...e(field === 'password' ? 'console.err.badPassword' : 'console.err.badAccount'), field: field ?? 'account' };
      case 401:
        return e('console.err.wrongCredentials');
      case 403:
        return e(/e-mail|email/i.test(serverText) || !serverText ? 'console.err.unverified' : 'console.err.refused');
      case 429: {
        const wait = retryAfterSeconds(retryAfter) ?? (Number(/(\d+) seconds?/.exec(serverText)?.[1]) || null);
        return wait !== null ? e('console.err.lockedOut', wait) : e('console.err.lockedOutNoWait');
      }
    }
  } else if (status === 404 && /^No API at /.test(serverText)) {
    return e(op === 'reports' || op === 'report' ? 'console.err.noReportsApi' : 'console.err.noApi'); // an older server
  } else if (status === 401) {
    // Logging out of a session that already ended is done; anything else needs a new login.
    return { ...e('console.expired'), expired: true };
  } else if (status === 403) {
    // A request that changes something is also refused for a missing CSRF token or origin.
    const role = op !== 'logout' && (!serverText || /moderators|administrators/i.test(serverText));
    return e(role ? 'console.err.notModerator' : 'console.err.refused');
  } else if (status === 404 && (op === 'report' || op === 'assign' || op === 'close')) {
    return e('console.err.noSuchReport');
  } else if (status === 409 && (op === 'assign' || op === 'close')) {
    return e('console.err.alreadyClosed');
  } else if (status === 400 && op === 'close' && (field === 'note' || field === 'outcome')) {
    return { ...e(field === 'note' ? 'console.err.badNote' : 'console.err.badOutcome'), field };
  } else if (status === 404 && op === 'reports') {
    return e('console.err.noReportsApi');
  }
  if (status === 429) return e('console.err.tooFast');
  if (status === 503) return e('console.err.unavailable');
  return e('console.err.server', status, serverText || `HTTP ${status}`);
}

/** The server could not be reached (fetch rejected). */
export function networkError(): ConsoleError {
  return { key: 'console.err.network', args: [], status: 0 };
}

/** An answer that did not have the expected shape. */
export function badAnswer(status: number): ConsoleError {
  return { key: 'console.err.badAnswer', args: [], status };
}
