// The console's calls to the web API: fetch on the same origin (the session cookie goes with
// them; the page cannot read it), each answer read by api.ts and dispatched to the console's
// store. One queue request and one report request matter at a time: the reducer drops
// answers for a filter or a report left since.
import type { Store } from '../net/store';
import {
  assignRequest,
  closeRequest,
  parseTold,
  type Outcome,
  badAnswer,
  errorFromResponse,
  loginRequest,
  logoutRequest,
  networkError,
  parseReportPage,
  parseReports,
  parseSession,
  reportRequest,
  reportsRequest,
  sessionRequest,
  type ApiRequest,
  type ConsoleError,
  type Operation,
  type QueueFilter,
} from './api';
import type { ConsoleAction, ConsoleState } from './state';

type Result = { ok: true; status: number; body: unknown } | { ok: false; error: ConsoleError };

async function call(op: Operation, req: ApiRequest): Promise<Result> {
  let res: Response;
  try {
    res = await fetch(req.url, {
      method: req.method,
      headers: req.headers,
      body: req.body,
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    return { ok: false, error: networkError() };
  }
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    body = null; // a plain-text answer (413) or none
  }
  if (!res.ok) return { ok: false, error: errorFromResponse(op, res.status, body, res.headers.get('Retry-After')) };
  return { ok: true, status: res.status, body };
}

export class ConsoleClient {
  constructor(private readonly store: Store<ConsoleState, ConsoleAction>) {}

  private get state(): ConsoleState {
    return this.store.getState();
  }

  /** On load: is there a session already (a reload, another tab)? */
  async checkSession(): Promise<void> {
    const r = await call('session', sessionRequest());
    const session = r.ok ? parseSession(r.body) : null;
    this.store.dispatch({ type: 'sessionChecked', session });
    if (session) this.loadQueue();
    // No session is the usual answer (401); anything else is said above the login form.
    else if (!r.ok && r.error.status !== 401) this.store.dispatch({ type: 'loginFailed', error: r.error });
  }

  async login(account: string, password: string): Promise<void> {
    if (this.state.login.busy) return;
    this.store.dispatch({ type: 'loginStart' });
    const r = await call('login', loginRequest(account, password));
    if (!r.ok) return this.store.dispatch({ type: 'loginFailed', error: r.error });
    const session = parseSession(r.body);
    if (!session) return this.store.dispatch({ type: 'loginFailed', error: badAnswer(r.status) });
    this.store.dispatch({ type: 'loginDone', session });
    this.loadQueue();
  }

  async logout(): Promise<void> {
    const session = this.state.session;
    if (!session || this.state.loggingOut) return;
    this.store.dispatch({ type: 'logoutStart' });
    const r = await call('logout', logoutRequest(session.csrfToken));
    // A session that had already ended is logged out all the same.
    if (r.ok || r.error.status === 401) this.store.dispatch({ type: 'logoutDone' });
    else this.store.dispatch({ type: 'logoutFailed', error: r.error });
  }

  async loadQueue(filter: QueueFilter = this.state.queue.filter): Promise<void> {
    if (!this.state.session || this.state.screen !== 'console') return;
    this.store.dispatch({ type: 'queueStart', filter });
    const r = await call('reports', reportsRequest(filter));
    if (!r.ok) return this.store.dispatch({ type: 'queueFailed', filter, error: r.error });
    const reports = parseReports(r.body);
    if (!reports) return this.store.dispatch({ type: 'queueFailed', filter, error: badAnswer(r.status) });
    this.store.dispatch({ type: 'queueDone', filter, reports, now: Date.now() });
  }

  async open(ref: string): Promise<void> {
    if (!this.state.session) return;
    this.store.dispatch({ type: 'open', ref });
    const r = await call('report', reportRequest(ref));
    if (!r.ok) return this.store.dispatch({ type: 'detailFailed', ref, error: r.error });
    const page = parseReportPage(r.body);
    if (!page) return this.store.dispatch({ type: 'detailFailed', ref, error: badAnswer(r.status) });
    this.store.dispatch({ type: 'detailDone', ref, page });
  }

  close(): void {
    this.store.dispatch({ type: 'close' });
  }

  /** Takes the report open (assign), or closes it; then shows it and the queue again. */
  async act(ref: string, act: 'assign' | 'close', outcome: Outcome = 'no_action', note = ''): Promise<void> {
    const session = this.state.session;
    if (!session || this.state.detail?.ref !== ref || this.state.detail.act.busy) return;
    this.store.dispatch({ type: 'actStart', ref, act });
    const r = await call(act, act === 'assign' ? assignRequest(ref, session.csrfToken) : closeRequest(ref, session.csrfToken, outcome, note));
    if (!r.ok) return this.store.dispatch({ type: 'actFailed', ref, error: r.error });
    this.store.dispatch({ type: 'actDone', ref, done: act === 'assign' ? { kind: 'assigned' } : { kind: 'closed', outcome, told: parseTold(r.body) } });
    void this.open(ref);
    void this.loadQueue();
  }
}
