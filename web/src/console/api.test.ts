// The console's requests and the reading of the web API's answers (docs/web-api.md): what
// is sent, typed values out of the JSON, and every status in words.
import { describe, expect, it } from 'vitest';
import {
  assignRequest,
  closeRequest,
  parseTold,
  errorFromResponse,
  loginRequest,
  logoutRequest,
  parseReportPage,
  parseReports,
  parseSession,
  reportRequest,
  reportsRequest,
  retryAfterSeconds,
  sessionRequest,
} from './api';

describe('requests', () => {
  it('login is a JSON POST with the account and password', () => {
    const r = loginRequest('modo', 'pa"ss word');
    expect(r).toEqual({ method: 'POST', url: '/api/session', headers: { 'Content-Type': 'application/json' }, body: '{"account":"modo","password":"pa\\"ss word"}' });
  });
  it('the session check is a plain GET; logout a DELETE with the CSRF token', () => {
    expect(sessionRequest()).toEqual({ method: 'GET', url: '/api/session', headers: {} });
    expect(logoutRequest('ab12')).toEqual({ method: 'DELETE', url: '/api/session', headers: { 'X-CSRF-Token': 'ab12' } });
  });
  it('the queue with its filter and a limit kept within 1..200', () => {
    expect(reportsRequest('open').url).toBe('/api/reports?status=open&limit=50');
    expect(reportsRequest('all', 500).url).toBe('/api/reports?status=all&limit=200');
    expect(reportsRequest('all', 0).url).toBe('/api/reports?status=all&limit=1');
    expect(reportsRequest('open', 12.7).url).toBe('/api/reports?status=open&limit=12');
    expect(reportsRequest('open', Number.NaN).url).toBe('/api/reports?status=open&limit=50');
  });
  it('taking and closing a report: POST with the CSRF token; the close body with the outcome, the note when there is one', () => {
    expect(assignRequest('R-1', 'tok')).toEqual({ method: 'POST', url: '/api/reports/R-1/assign', headers: { 'X-CSRF-Token': 'tok' } });
    expect(closeRequest('R-1', 'tok', 'action_taken', '  muted, D-12  ')).toEqual({
      method: 'POST',
      url: '/api/reports/R-1/close',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': 'tok' },
      body: '{"outcome":"action_taken","note":"muted, D-12"}',
    });
    expect(closeRequest('R-1', 'tok', 'no_action', '   ').body).toBe('{"outcome":"no_action"}');
    expect(parseTold({ report: {}, reporter_told: 2 })).toBe(2);
    expect(parseTold({ report: {} })).toBe(0);
  });
  it('a report by reference, escaped', () => {
    expect(reportRequest('R-1a2b').url).toBe('/api/reports/R-1a2b');
    expect(reportRequest('a/b?c').url).toBe('/api/reports/a%2Fb%3Fc');
  });
});

describe('answers', () => {
  it('a session: account, role, CSRF token; an unknown role counts as none', () => {
    expect(parseSession({ account: 'moda', role: 'admin', csrf_token: 'x' })).toEqual({ account: 'moda', role: 'admin', csrfToken: 'x' });
    expect(parseSession({ account: 'joe', role: 'superuser', csrf_token: 'x' })?.role).toBe('none');
    expect(parseSession({ account: 'joe', role: 'moderator' })).toBeNull();
    expect(parseSession([1])).toBeNull();
  });
  it('the queue, in the order sent, without entries lacking a reference', () => {
    const reports = parseReports({
      reports: [
        { ref: 'R-2', created_ms: 2000, category: 'spam', priority: 2, status: 'open', reporter: 'ann', target_kind: 'user', target: 'bob', target_account: '', msgid: '', text: 'buy now' },
        { created_ms: 1 },
        { ref: 'R-1', created_ms: 1000, category: 'grooming', priority: 0, status: 'open', reporter: 'cat', target_kind: 'message', target: 'dan', target_account: 'dan', msgid: 'm1', text: '' },
      ],
    });
    expect(reports?.map((r) => r.ref)).toEqual(['R-2', 'R-1']);
    expect(reports?.[1]).toEqual({
      ref: 'R-1', createdMs: 1000, category: 'grooming', priority: 0, status: 'open', reporter: 'cat', targetKind: 'message', target: 'dan', targetAccount: 'dan', msgid: 'm1', text: '',
      assignedTo: '', outcome: '', decidedBy: '', decidedMs: 0,
    });
    const closed = parseReports({ reports: [{ ref: 'R-4', status: 'closed', assigned_to: 'modo', outcome: 'no_action', decided_by: 'modo', decided_ms: 77 }] });
    expect(closed?.[0]).toMatchObject({ status: 'closed', assignedTo: 'modo', outcome: 'no_action', decidedBy: 'modo', decidedMs: 77 });
    expect(parseReports({ reports: [{ ref: 'R-3' }] })?.[0]).toMatchObject({ priority: 2, createdMs: 0, text: '' });
    expect(parseReports({ error: 'x' })).toBeNull();
  });
  it('a report page: detail, evidence, earlier reports; the IP only when sent', () => {
    const page = parseReportPage({
      report: {
        ref: 'R-1', created_ms: 5, category: 'threat', priority: 1, status: 'open', reporter: 'ann', target_kind: 'user', target: 'bob',
        target_account: 'bob', msgid: '', text: 'he threatened me', target_nick: 'bob', reporter_account: 'ann', target_ip: '192.0.2.7',
        evidence: [{ seq: 3, kind: 'reported', place: '#lobby', time_ms: 4, msgid: 'm9', source: 'bob!u@h', account: 'bob', command: 'PRIVMSG', text: 'I will find you' }, 'junk'],
      },
      earlier: [{ ref: 'R-0', created_ms: 1, category: 'spam', status: 'closed' }, { created_ms: 2 }],
    });
    expect(page?.report.targetIp).toBe('192.0.2.7');
    expect(page?.report.reporterIp).toBeUndefined();
    expect(page?.report.evidence).toEqual([{ seq: 3, kind: 'reported', place: '#lobby', timeMs: 4, msgid: 'm9', source: 'bob!u@h', account: 'bob', command: 'PRIVMSG', text: 'I will find you' }]);
    expect(page?.earlier).toEqual([{ ref: 'R-0', createdMs: 1, category: 'spam', status: 'closed' }]);
    const moderator = parseReportPage({ report: { ref: 'R-1', evidence: [], reporter_nick: 'ann', reporter_host: 'x.cloak', outcome_note: 'dup of R-0' } });
    expect(moderator?.report).not.toHaveProperty('targetIp');
    expect(moderator?.report).not.toHaveProperty('reporterIp');
    expect(moderator?.report).toMatchObject({ reporterNick: 'ann', reporterHost: 'x.cloak', outcomeNote: 'dup of R-0' });
    expect(parseReportPage({ report: { ref: 'R-1', reporter_ip: '198.51.100.2' } })?.report.reporterIp).toBe('198.51.100.2');
    expect(moderator?.earlier).toEqual([]);
    expect(parseReportPage({ earlier: [] })).toBeNull();
  });
});

describe('failures in words', () => {
  it('login: wrong credentials, lockout with its wait, unverified e-mail, the field at fault', () => {
    expect(errorFromResponse('login', 401, { error: 'Wrong account name or password' })).toEqual({ key: 'console.err.wrongCredentials', args: [], status: 401 });
    expect(errorFromResponse('login', 429, { error: 'Too many failed logins: try again in 300 seconds' }, '300')).toMatchObject({ key: 'console.err.lockedOut', args: [300] });
    expect(errorFromResponse('login', 429, { error: 'Too many failed logins: try again in 42 seconds' })).toMatchObject({ key: 'console.err.lockedOut', args: [42] });
    expect(errorFromResponse('login', 429, null)).toMatchObject({ key: 'console.err.lockedOutNoWait' });
    expect(errorFromResponse('login', 403, { error: "Verify the account's e-mail address first" })).toMatchObject({ key: 'console.err.unverified' });
    expect(errorFromResponse('login', 403, { error: "Requests from another site's pages are refused" })).toMatchObject({ key: 'console.err.refused' });
    expect(errorFromResponse('login', 400, { error: 'password: 1 to 300 bytes', field: 'password' })).toMatchObject({ key: 'console.err.badPassword', field: 'password' });
    expect(errorFromResponse('login', 400, { error: 'account: ...', field: 'account' })).toMatchObject({ key: 'console.err.badAccount', field: 'account' });
    expect(errorFromResponse('login', 401, {}).expired).toBeUndefined();
  });
  it('a 401 on any other call: the session is gone', () => {
    for (const op of ['session', 'logout', 'reports', 'report'] as const) {
      expect(errorFromResponse(op, 401, { error: 'Log in first' })).toEqual({ key: 'console.expired', args: [], status: 401, expired: true });
    }
  });
  it('403 for the queue: not a moderator; 404: no such report, or no reports API on this server', () => {
    expect(errorFromResponse('reports', 403, { error: 'This is for server moderators' }).key).toBe('console.err.notModerator');
    expect(errorFromResponse('report', 404, { error: 'No such report' }).key).toBe('console.err.noSuchReport');
    expect(errorFromResponse('reports', 404, { error: 'No API at /api/reports' }).key).toBe('console.err.noReportsApi');
  });
  it('taking or closing: already closed (409), unknown report, a bad note, the CSRF check, the role', () => {
    expect(errorFromResponse('close', 409, { error: 'Report R-1 is already closed (no_action by moda)' }).key).toBe('console.err.alreadyClosed');
    expect(errorFromResponse('assign', 409, {}).key).toBe('console.err.alreadyClosed');
    expect(errorFromResponse('assign', 404, {}).key).toBe('console.err.noSuchReport');
    expect(errorFromResponse('close', 404, { error: 'No API at /api/reports/R-1/close' }).key).toBe('console.err.noApi');
    expect(errorFromResponse('report', 404, { error: 'No API at /api/reports/R-1' }).key).toBe('console.err.noReportsApi');
    expect(errorFromResponse('close', 400, { error: 'note: text of at most 500 bytes', field: 'note' })).toMatchObject({ key: 'console.err.badNote', field: 'note' });
    expect(errorFromResponse('close', 400, { error: 'outcome: ...', field: 'outcome' })).toMatchObject({ key: 'console.err.badOutcome', field: 'outcome' });
    expect(errorFromResponse('close', 403, { error: 'Missing or wrong X-CSRF-Token header (the csrf_token of the session)' }).key).toBe('console.err.refused');
    expect(errorFromResponse('assign', 403, { error: 'This is for server moderators' }).key).toBe('console.err.notModerator');
    expect(errorFromResponse('close', 401, {})).toMatchObject({ key: 'console.expired', expired: true });
  });
  it('anything else: unavailable, too fast, or the status with the server words', () => {
    expect(errorFromResponse('reports', 503, {}).key).toBe('console.err.unavailable');
    expect(errorFromResponse('login', 503, {}).key).toBe('console.err.unavailable');
    expect(errorFromResponse('reports', 429, {}).key).toBe('console.err.tooFast');
    expect(errorFromResponse('reports', 400, { error: 'limit: 1 to 200', field: 'limit' })).toMatchObject({ key: 'console.err.server', args: [400, 'limit: 1 to 200'] });
    expect(errorFromResponse('login', 500, null)).toMatchObject({ key: 'console.err.server', args: [500, 'HTTP 500'] });
  });
  it('Retry-After as seconds or an HTTP date', () => {
    expect(retryAfterSeconds('120')).toBe(120);
    expect(retryAfterSeconds(null)).toBeNull();
    expect(retryAfterSeconds('soon')).toBeNull();
    const now = Date.UTC(2026, 11, 2, 16, 0, 0);
    expect(retryAfterSeconds('Wed, 02 Dec 2026 16:01:30 GMT', now)).toBe(90);
  });
});
