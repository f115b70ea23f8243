// Sending a report (REPORT) and waiting for its answer: the next NOTE REPORT or FAIL REPORT
// (the client does not use labeled-response, and one report at a time makes the next answer
// this one's). The answer is kept out of the chat log; the caller gets one result. Owned by
// Session, which feeds it every line; single-threaded (the page's event loop). Lines and
// answers are built and read in ../state/report.ts.
import type { IrcMessage } from '../irc/message';
import { parseReportReply, reportLine, SerializeError, type ReportCategory, type ReportResult, type ReportSubject } from '../state/report';

/** How long a report may wait for its answer before it is reported as unanswered. */
export const REPORT_TIMEOUT_MS = 20_000;

function failure(code: string): ReportResult {
  return { ok: false, code, context: [], text: '' };
}

export class ReportClient {
  private pending: { done(r: ReportResult): void; timer: ReturnType<typeof setTimeout> } | null = null;
  /** A 461 ended the report: the FAIL REPORT INVALID_PARAMS right after it says the same. */
  private told461 = false;

  constructor(private readonly send: (raw: string) => boolean) {}

  get busy(): boolean {
    return this.pending !== null;
  }

  /** Sends the REPORT line; `done` is called once, with the server's answer or why there is none. */
  report(subject: ReportSubject, category: ReportCategory, comment: string, done: (r: ReportResult) => void): void {
    if (this.pending) return done(failure('busy'));
    let raw: string;
    try {
      raw = reportLine(subject, category, comment);
    } catch (e) {
      if (!(e instanceof SerializeError)) throw e;
      return done(failure('cannotSend'));
    }
    const timer = setTimeout(() => this.finish(failure('noAnswer')), REPORT_TIMEOUT_MS);
    this.pending = { done, timer };
    if (!this.send(raw)) this.finish(failure('offline'));
  }

  /** The connection closed: a report in flight gets no answer. */
  reset(): void {
    this.finish(failure('offline'));
  }

  /** Looks at one line from the server; true when it answers the report in flight (not shown in the log). */
  handle(msg: IrcMessage): boolean {
    const p = msg.params;
    if (this.told461) {
      this.told461 = false;
      if (msg.command === 'FAIL' && (p[0] ?? '').toUpperCase() === 'REPORT' && p[1] === 'INVALID_PARAMS') return true;
    }
    if (!this.pending) return false;
    // A server without the command, or one that finds the line short of parameters.
    if (msg.command === '421' && (p[1] ?? '').toUpperCase() === 'REPORT') {
      this.finish(failure('notSupported'));
      return true;
    }
    if (msg.command === '461' && (p[1] ?? '').toUpperCase() === 'REPORT') {
      this.finish({ ok: false, code: 'INVALID_PARAMS', context: [], text: p[p.length - 1] ?? '' });
      this.told461 = true;
      return true;
    }
    const reply = parseReportReply(msg);
    if (!reply) return false;
    this.finish(reply);
    return true;
  }

  private finish(result: ReportResult): void {
    const op = this.pending;
    if (!op) return;
    this.pending = null;
    clearTimeout(op.timer);
    op.done(result);
  }
}
