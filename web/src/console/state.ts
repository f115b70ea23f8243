// The moderation console's state: which screen (checking the session, the login form, the
// refusal for an account without the role, the console), the queue and the report open.
// A pure reducer; client.ts makes the calls and dispatches their results. Any call that
// finds the session gone (401) brings the login screen back with a notice, and nothing of
// the previous session's reports is kept.
import type { ConsoleError, Outcome, QueueFilter, Report, ReportPage, SessionInfo } from './api';

export type Screen = 'checking' | 'login' | 'refused' | 'console';

/** A message above the login form: why it is shown again. */
export type LoginNotice = 'expired' | 'loggedOut' | null;

export interface QueueState {
  filter: QueueFilter;
  loading: boolean;
  reports: Report[] | null;
  error: ConsoleError | null;
  /** When the list on screen was fetched (ms). */
  fetchedAt: number;
}

/** What was last done to the report open: taken, or closed (and on how many connections the reporter was told). */
export type ActDone = { kind: 'assigned' } | { kind: 'closed'; outcome: Outcome; told: number };

export interface DetailState {
  ref: string;
  loading: boolean;
  page: ReportPage | null;
  error: ConsoleError | null;
  /** Taking or closing it: in progress, refused, or done. */
  act: { busy: 'assign' | 'close' | null; error: ConsoleError | null; done: ActDone | null };
}

export interface ConsoleState {
  screen: Screen;
  session: SessionInfo | null;
  notice: LoginNotice;
  login: { busy: boolean; error: ConsoleError | null };
  loggingOut: boolean;
  logoutError: ConsoleError | null;
  queue: QueueState;
  detail: DetailState | null;
}

export type ConsoleAction =
  | { type: 'sessionChecked'; session: SessionInfo | null }
  | { type: 'loginStart' }
  | { type: 'loginDone'; session: SessionInfo }
  | { type: 'loginFailed'; error: ConsoleError }
  | { type: 'logoutStart' }
  | { type: 'logoutDone' }
  | { type: 'logoutFailed'; error: ConsoleError }
  | { type: 'queueStart'; filter: QueueFilter }
  | { type: 'queueDone'; filter: QueueFilter; reports: Report[]; now: number }
  | { type: 'queueFailed'; filter: QueueFilter; error: ConsoleError }
  | { type: 'open'; ref: string }
  | { type: 'detailDone'; ref: string; page: ReportPage }
  | { type: 'detailFailed'; ref: string; error: ConsoleError }
  | { type: 'close' }
  | { type: 'actStart'; ref: string; act: 'assign' | 'close' }
  | { type: 'actDone'; ref: string; done: ActDone }
  | { type: 'actFailed'; ref: string; error: ConsoleError };

export function initialConsoleState(): ConsoleState {
  return {
    screen: 'checking',
    session: null,
    notice: null,
    login: { busy: false, error: null },
    loggingOut: false,
    logoutError: null,
    queue: { filter: 'open', loading: false, reports: null, error: null, fetchedAt: 0 },
    detail: null,
  };
}

/** The screen for a session: the console for moderators and administrators only. */
export function screenFor(session: SessionInfo | null): Screen {
  if (!session) return 'login';
  return session.role === 'admin' || session.role === 'moderator' ? 'console' : 'refused';
}

/** Back to the login form, forgetting the session and what it showed. */
function toLogin(s: ConsoleState, notice: LoginNotice): ConsoleState {
  const fresh = initialConsoleState();
  return { ...fresh, screen: 'login', notice, queue: { ...fresh.queue, filter: s.queue.filter } };
}

function loggedIn(s: ConsoleState, session: SessionInfo): ConsoleState {
  const fresh = initialConsoleState();
  return { ...fresh, screen: screenFor(session), session, queue: { ...fresh.queue, filter: s.queue.filter } };
}

export function reduceConsole(s: ConsoleState, a: ConsoleAction): ConsoleState {
  // A call that found the session gone: whatever it was, back to the login form.
  if ('error' in a && a.error.expired && s.session) return toLogin(s, 'expired');
  switch (a.type) {
    case 'sessionChecked':
      return a.session ? loggedIn(s, a.session) : { ...s, screen: 'login', session: null };
    case 'loginStart':
      return { ...s, login: { busy: true, error: null } };
    case 'loginDone':
      return loggedIn(s, a.session);
    case 'loginFailed':
      return { ...s, login: { busy: false, error: a.error } };
    case 'logoutStart':
      return { ...s, loggingOut: true, logoutError: null };
    case 'logoutDone':
      return toLogin(s, 'loggedOut');
    case 'logoutFailed':
      return { ...s, loggingOut: false, logoutError: a.error };
    case 'queueStart':
      if (!s.session) return s;
      // Another filter: its list replaces this one (not shown meanwhile as if it were it).
      return {
        ...s,
        queue: { ...s.queue, filter: a.filter, loading: true, error: null, ...(a.filter !== s.queue.filter ? { reports: null } : {}) },
      };
    case 'queueDone':
      if (!s.session || a.filter !== s.queue.filter) return s; // an answer for a filter left since
      return { ...s, queue: { ...s.queue, loading: false, reports: a.reports, error: null, fetchedAt: a.now } };
    case 'queueFailed':
      if (!s.session || a.filter !== s.queue.filter) return s;
      return { ...s, queue: { ...s.queue, loading: false, error: a.error } };
    case 'open':
      if (!s.session) return s;
      // The same report again (after taking or closing it): what is shown stays until the answer.
      if (s.detail?.ref === a.ref) return { ...s, detail: { ...s.detail, loading: true, error: null } };
      return { ...s, detail: { ref: a.ref, loading: true, page: null, error: null, act: { busy: null, error: null, done: null } } };
    case 'detailDone':
      if (!s.detail || s.detail.ref !== a.ref) return s; // another report was opened since
      return { ...s, detail: { ...s.detail, loading: false, page: a.page, error: null } };
    case 'detailFailed':
      if (!s.detail || s.detail.ref !== a.ref) return s;
      return { ...s, detail: { ...s.detail, loading: false, error: a.error } };
    case 'close':
      return s.detail ? { ...s, detail: null } : s;
    case 'actStart':
      if (!s.detail || s.detail.ref !== a.ref || s.detail.act.busy) return s;
      return { ...s, detail: { ...s.detail, act: { busy: a.act, error: null, done: null } } };
    case 'actDone':
      if (!s.detail || s.detail.ref !== a.ref) return s;
      return { ...s, detail: { ...s.detail, act: { busy: null, error: null, done: a.done } } };
    case 'actFailed':
      if (!s.detail || s.detail.ref !== a.ref) return s;
      return { ...s, detail: { ...s.detail, act: { busy: null, error: a.error, done: null } } };
  }
}
