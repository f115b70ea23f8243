// Account operations over an open, registered-or-registering connection: the SASL PLAIN
// exchange (at registration and after it), REGISTER, ACCOUNT PASSWORD / EXPORT / DELETE. One
// operation at a time; its replies are recognised here and kept out of the chat log, and the
// caller gets one result. Owned by Session, which feeds it every line first; single-threaded
// (the page's event loop). Protocol: docs/account-protocol.md.
import { SerializeError, line, text, type IrcMessage } from '../irc/message';
import { authenticateChunks, plainPayload } from './sasl';
import {
  NO_ANSWER,
  NOT_SUPPORTED,
  OFFLINE,
  assembleExport,
  failToError,
  saslFailure,
  standardReply,
  type AccountError,
} from '../state/account';
import type { Credentials } from '../state/resume';

export type OpResult = { ok: true; account?: string; json?: string } | { ok: false; error: AccountError };

type OpKind = 'login' | 'register' | 'password' | 'export' | 'delete';

interface Pending {
  kind: OpKind;
  done(result: OpResult): void;
  timer: ReturnType<typeof setTimeout>;
  /** login: the credentials being tried; register/password: the password that will be current. */
  credentials?: Credentials;
  /** login: a FAIL AUTHENTICATE that explains the 904 to come (RATE_LIMITED). */
  failure?: AccountError;
  /** export: the DATA chunks so far. */
  chunks?: string[];
}

/** How long an operation may wait for its answer before it is reported as unanswered. */
export const OP_TIMEOUT_MS = 20_000;

export class AccountClient {
  private pending: Pending | null = null;

  constructor(
    private readonly send: (raw: string) => boolean,
    /** Called with the credentials that are now valid (null: there are none any more). */
    private readonly onCredentials: (c: Credentials | null) => void,
  ) {}

  get busy(): boolean {
    return this.pending !== null;
  }

  /** AUTHENTICATE PLAIN; the sasl capability must be acknowledged on this connection. */
  login(credentials: Credentials, done: (r: OpResult) => void): void {
    this.start('login', done, { credentials }, () => line('AUTHENTICATE', 'PLAIN'));
  }

  /** REGISTER * * <password>: the current nick becomes an account. */
  register(password: string, done: (r: OpResult) => void): void {
    this.start('register', done, { credentials: { account: '', password } }, () => text('REGISTER', '*', '*', password));
  }

  changePassword(current: string, next: string, account: string, done: (r: OpResult) => void): void {
    this.start('password', done, { credentials: { account, password: next } }, () => text('ACCOUNT', 'PASSWORD', current, next));
  }

  exportData(done: (r: OpResult) => void): void {
    this.start('export', done, { chunks: [] }, () => line('ACCOUNT', 'EXPORT'));
  }

  deleteAccount(password: string, done: (r: OpResult) => void): void {
    this.start('delete', done, {}, () => text('ACCOUNT', 'DELETE', password));
  }

  /** The connection closed: whatever was in flight has no answer coming. */
  reset(): void {
    this.finish({ ok: false, error: OFFLINE });
  }

  /**
   * Looks at one line from the server. Returns true when it belongs to the operation in flight
   * (and is therefore not shown in the chat log).
   */
  handle(msg: IrcMessage): boolean {
    const op = this.pending;
    if (!op) return false;
    const p = msg.params;
    if (msg.command === '421' && /^(AUTHENTICATE|REGISTER|ACCOUNT)$/i.test(p[1] ?? '')) {
      this.finish({ ok: false, error: NOT_SUPPORTED });
      return true;
    }
    if (op.kind === 'login') return this.handleSasl(op, msg);
    const reply = standardReply(msg);
    if (op.kind === 'register') {
      if (msg.command === 'REGISTER' && p[0] === 'SUCCESS') {
        const account = p[1] ?? '';
        this.onCredentials({ account, password: op.credentials!.password });
        this.finish({ ok: true, account });
        return true;
      }
      if (msg.command === 'REGISTER' && p[0] === 'VERIFICATION_REQUIRED') {
        this.finish({ ok: false, error: { key: 'account.err.verification', args: [] } });
        return true;
      }
      if (reply?.kind === 'FAIL' && reply.command === 'REGISTER') {
        this.finish({ ok: false, error: failToError(reply.code, reply.context, reply.description) });
        return true;
      }
      return false;
    }
    // ACCOUNT PASSWORD / EXPORT / DELETE
    if (op.kind === 'export' && msg.command === 'ACCOUNT' && (p[0] ?? '').toUpperCase() === 'EXPORT') {
      const what = (p[1] ?? '').toUpperCase();
      if (what === 'DATA') op.chunks!.push(p[2] ?? '');
      else if (what === 'END') {
        const r = assembleExport(op.chunks!, p[2] ?? '');
        this.finish(r.ok ? { ok: true, json: r.json } : r);
      }
      return true;
    }
    if (!reply || reply.command !== 'ACCOUNT') return false;
    if (reply.kind === 'FAIL') {
      this.finish({ ok: false, error: failToError(reply.code, reply.context, reply.description) });
      return true;
    }
    if (reply.kind === 'NOTE' && op.kind === 'password' && reply.code === 'PASSWORD_CHANGED') {
      this.onCredentials(op.credentials!);
      this.finish({ ok: true });
      return true;
    }
    if (reply.kind === 'NOTE' && op.kind === 'delete' && reply.code === 'DELETED') {
      this.onCredentials(null);
      this.finish({ ok: true });
      return true;
    }
    return false;
  }

  // -------------------------------------------------------------------------------------------

  private handleSasl(op: Pending, msg: IrcMessage): boolean {
    const p = msg.params;
    switch (msg.command) {
      case 'AUTHENTICATE':
        if (p[0] === '+') {
          const c = op.credentials!;
          for (const chunk of authenticateChunks(plainPayload(c.account, c.password))) this.send(line('AUTHENTICATE', chunk));
        }
        return true;
      case '900': // logged in: the reducer records the account name
        return false;
      case '903':
        this.onCredentials(op.credentials!);
        this.finish({ ok: true, account: op.credentials!.account });
        return true;
      case '908': // the mechanisms on offer; 904 follows
        return true;
      case 'FAIL': {
        const reply = standardReply(msg);
        if (reply?.command !== 'AUTHENTICATE') return false;
        op.failure = failToError(reply.code, reply.context, reply.description);
        return true;
      }
    }
    const failure = saslFailure(msg.command);
    if (!failure) return false;
    this.finish({ ok: false, error: op.failure ?? failure });
    return true;
  }

  private start(kind: OpKind, done: (r: OpResult) => void, extra: Partial<Pending>, build: () => string): void {
    if (this.pending) {
      done({ ok: false, error: { key: 'account.err.busy', args: [] } });
      return;
    }
    let raw: string;
    try {
      raw = build();
    } catch (e) {
      if (!(e instanceof SerializeError)) throw e;
      done({ ok: false, error: { key: 'account.pw.cannotSend', args: [] } });
      return;
    }
    const timer = setTimeout(() => this.finish({ ok: false, error: NO_ANSWER }), OP_TIMEOUT_MS);
    this.pending = { kind, done, timer, ...extra };
    if (!this.send(raw)) this.finish({ ok: false, error: OFFLINE });
  }

  private finish(result: OpResult): void {
    const op = this.pending;
    if (!op) return;
    this.pending = null;
    clearTimeout(op.timer);
    op.done(result);
  }
}
