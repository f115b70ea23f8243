// The console's screens and data: which screen a role gets, the queue and the report open,
// answers that come too late, and a session that ends in the middle (401 on any call).
import { describe, expect, it } from 'vitest';
import { initialConsoleState, reduceConsole, screenFor, type ConsoleAction, type ConsoleState } from './state';
import { errorFromResponse, type Report, type SessionInfo } from './api';

const moderator: SessionInfo = { account: 'modo', role: 'moderator', csrfToken: 'c1' };
const report = (ref: string, priority = 2): Report => ({
  ref, createdMs: 1, category: 'spam', priority, status: 'open', reporter: 'ann', targetKind: 'user', target: 'bob', targetAccount: '', msgid: '', text: '',
  assignedTo: '', outcome: '', decidedBy: '', decidedMs: 0,
});
const run = (s: ConsoleState, ...actions: ConsoleAction[]) => actions.reduce(reduceConsole, s);

function inConsole(): ConsoleState {
  return run(initialConsoleState(), { type: 'sessionChecked', session: moderator }, { type: 'queueStart', filter: 'open' }, { type: 'queueDone', filter: 'open', reports: [report('R-1'), report('R-2')], now: 5 });
}

describe('screens', () => {
  it('checking first; no session: login; moderators and administrators: the console; others: refused', () => {
    expect(initialConsoleState().screen).toBe('checking');
    expect(run(initialConsoleState(), { type: 'sessionChecked', session: null }).screen).toBe('login');
    expect(screenFor(moderator)).toBe('console');
    expect(screenFor({ ...moderator, role: 'admin' })).toBe('console');
    expect(screenFor({ ...moderator, role: 'none' })).toBe('refused');
  });
  it('a login refused keeps the form with the error; a login accepted opens the screen for the role', () => {
    let s = run(initialConsoleState(), { type: 'sessionChecked', session: null }, { type: 'loginStart' });
    expect(s.login.busy).toBe(true);
    s = reduceConsole(s, { type: 'loginFailed', error: errorFromResponse('login', 401, null) });
    expect(s.screen).toBe('login');
    expect(s.login).toEqual({ busy: false, error: { key: 'console.err.wrongCredentials', args: [], status: 401 } });
    s = reduceConsole(s, { type: 'loginDone', session: { ...moderator, role: 'none' } });
    expect(s.screen).toBe('refused');
    expect(s.login.error).toBeNull();
  });
  it('logout: back to the login form with a notice, nothing kept; a failed logout stays', () => {
    let s = reduceConsole(inConsole(), { type: 'open', ref: 'R-1' });
    s = reduceConsole(s, { type: 'logoutStart' });
    expect(s.loggingOut).toBe(true);
    const failed = reduceConsole(s, { type: 'logoutFailed', error: errorFromResponse('logout', 503, null) });
    expect(failed.screen).toBe('console');
    expect(failed.loggingOut).toBe(false);
    s = reduceConsole(s, { type: 'logoutDone' });
    expect(s).toMatchObject({ screen: 'login', session: null, notice: 'loggedOut', detail: null });
    expect(s.queue.reports).toBeNull();
  });
});

describe('a session that ends', () => {
  it('a 401 on the queue or a report: the login form with the notice, the reports forgotten', () => {
    for (const action of [
      { type: 'queueFailed', filter: 'open', error: errorFromResponse('reports', 401, null) },
      { type: 'detailFailed', ref: 'R-1', error: errorFromResponse('report', 401, null) },
    ] as ConsoleAction[]) {
      const s = run(inConsole(), { type: 'open', ref: 'R-1' }, action);
      expect(s).toMatchObject({ screen: 'login', session: null, notice: 'expired', detail: null });
      expect(s.queue.reports).toBeNull();
    }
  });
  it('the filter chosen is kept for the next login', () => {
    const s = run(inConsole(), { type: 'queueStart', filter: 'all' }, { type: 'queueFailed', filter: 'all', error: errorFromResponse('reports', 401, null) });
    expect(s.queue.filter).toBe('all');
    expect(reduceConsole(s, { type: 'loginDone', session: moderator }).queue.filter).toBe('all');
  });
  it('other failures stay on the screen', () => {
    const s = reduceConsole(inConsole(), { type: 'queueFailed', filter: 'open', error: errorFromResponse('reports', 403, null) });
    expect(s.screen).toBe('console');
    expect(s.queue.error?.key).toBe('console.err.notModerator');
    expect(s.queue.reports?.length).toBe(2); // the list already shown stays
  });
});

describe('queue and report', () => {
  it('another filter empties the list until its answer; an answer for a filter left since is dropped', () => {
    let s = reduceConsole(inConsole(), { type: 'queueStart', filter: 'all' });
    expect(s.queue).toMatchObject({ filter: 'all', loading: true, reports: null });
    s = reduceConsole(s, { type: 'queueDone', filter: 'open', reports: [report('late')], now: 9 });
    expect(s.queue.reports).toBeNull();
    s = reduceConsole(s, { type: 'queueDone', filter: 'all', reports: [report('R-9')], now: 9 });
    expect(s.queue).toMatchObject({ loading: false, reports: [report('R-9')], fetchedAt: 9 });
  });
  it('refreshing the same filter keeps the list on screen meanwhile', () => {
    const s = reduceConsole(inConsole(), { type: 'queueStart', filter: 'open' });
    expect(s.queue.loading).toBe(true);
    expect(s.queue.reports?.length).toBe(2);
  });
  it('opening a report, then another: the first one’s answer is dropped', () => {
    let s = run(inConsole(), { type: 'open', ref: 'R-1' }, { type: 'open', ref: 'R-2' });
    const page = { report: { ...report('R-1'), targetNick: '', reporterAccount: '', reporterNick: '', reporterHost: '', outcomeNote: '', evidence: [] }, earlier: [] };
    s = reduceConsole(s, { type: 'detailDone', ref: 'R-1', page });
    expect(s.detail).toMatchObject({ ref: 'R-2', loading: true, page: null });
    s = reduceConsole(s, { type: 'detailFailed', ref: 'R-2', error: errorFromResponse('report', 404, null) });
    expect(s.detail?.error?.key).toBe('console.err.noSuchReport');
    expect(reduceConsole(s, { type: 'close' }).detail).toBeNull();
  });
  it('nothing is fetched into a console without a session', () => {
    const s = run(initialConsoleState(), { type: 'sessionChecked', session: null });
    expect(reduceConsole(s, { type: 'queueStart', filter: 'all' })).toBe(s);
    expect(reduceConsole(s, { type: 'open', ref: 'R-1' })).toBe(s);
  });
});

describe('taking and closing the report open', () => {
  const page = { report: { ...report('R-1'), targetNick: '', reporterAccount: '', reporterNick: '', reporterHost: '', outcomeNote: '', evidence: [] }, earlier: [] };
  const opened = () => run(inConsole(), { type: 'open', ref: 'R-1' }, { type: 'detailDone', ref: 'R-1', page });

  it('one action at a time; what was done stays while the report is shown again', () => {
    let s = reduceConsole(opened(), { type: 'actStart', ref: 'R-1', act: 'close' });
    expect(s.detail?.act.busy).toBe('close');
    expect(reduceConsole(s, { type: 'actStart', ref: 'R-1', act: 'assign' })).toBe(s);
    s = reduceConsole(s, { type: 'actDone', ref: 'R-1', done: { kind: 'closed', outcome: 'no_action', told: 1 } });
    s = reduceConsole(s, { type: 'open', ref: 'R-1' });
    expect(s.detail).toMatchObject({ loading: true, page, act: { busy: null, done: { kind: 'closed', outcome: 'no_action', told: 1 } } });
    // Another report: nothing of it.
    s = reduceConsole(s, { type: 'open', ref: 'R-2' });
    expect(s.detail?.act).toEqual({ busy: null, error: null, done: null });
  });
  it('a refusal is kept for the report it was about; a 401 is the end of the session', () => {
    let s = reduceConsole(opened(), { type: 'actStart', ref: 'R-1', act: 'assign' });
    s = reduceConsole(s, { type: 'actFailed', ref: 'R-1', error: errorFromResponse('assign', 409, null) });
    expect(s.detail?.act).toMatchObject({ busy: null, error: { key: 'console.err.alreadyClosed' } });
    expect(reduceConsole(s, { type: 'actFailed', ref: 'R-9', error: errorFromResponse('assign', 404, null) })).toBe(s);
    s = reduceConsole(s, { type: 'actFailed', ref: 'R-1', error: errorFromResponse('close', 401, null) });
    expect(s).toMatchObject({ screen: 'login', notice: 'expired', detail: null });
  });
});
