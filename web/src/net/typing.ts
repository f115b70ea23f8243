// Typing notifications sent (IRCv3 `+typing` client tag on TAGMSG): "active" while the user
// types (again every 3 s as long as they do), "paused" once when they stop for a while with
// text left, "done" when the box is emptied or the message sent. The spec requires that no
// notification for a target follows another within 3 s: a change that comes sooner waits
// for the end of that interval (and is replaced if another change comes meanwhile).
export type TypingStatus = 'active' | 'paused' | 'done';

export const TYPING_THROTTLE_MS = 3000;
/** No key pressed for this long with text in the box: "paused". */
export const TYPING_PAUSE_MS = 5000;

type Timer = ReturnType<typeof setTimeout>;

interface TargetState {
  /** Last status sent, and when. */
  sent: TypingStatus;
  at: number;
  /** A status waiting for the end of the throttle interval. */
  pending: TypingStatus | null;
  pendingTimer: Timer | null;
  pauseTimer: Timer | null;
}

export class TypingNotifier {
  private targets = new Map<string, TargetState>();

  constructor(
    private readonly send: (target: string, status: TypingStatus) => void,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The composer for `target` now holds `text` (called on every input). */
  input(target: string, text: string): void {
    const command = text.startsWith('/') && !text.startsWith('//');
    if (text.trim() === '' || command) {
      this.stop(target);
      return;
    }
    const t = this.state(target);
    if (t.pauseTimer) clearTimeout(t.pauseTimer);
    t.pauseTimer = setTimeout(() => {
      t.pauseTimer = null;
      this.want(target, 'paused');
    }, TYPING_PAUSE_MS);
    this.want(target, 'active');
  }

  /** The message was sent, the box emptied, or the user went to another conversation. */
  stop(target: string): void {
    const t = this.targets.get(target);
    if (!t) return;
    if (t.pauseTimer) clearTimeout(t.pauseTimer);
    t.pauseTimer = null;
    if (t.sent === 'done' && t.pending === null) return;
    this.want(target, 'done');
  }

  /** The connection is gone: nothing pending is sent, and the next typing starts afresh. */
  reset(): void {
    for (const t of this.targets.values()) {
      if (t.pendingTimer) clearTimeout(t.pendingTimer);
      if (t.pauseTimer) clearTimeout(t.pauseTimer);
    }
    this.targets.clear();
  }

  private state(target: string): TargetState {
    let t = this.targets.get(target);
    if (!t) {
      t = { sent: 'done', at: -Infinity, pending: null, pendingTimer: null, pauseTimer: null };
      this.targets.set(target, t);
    }
    return t;
  }

  private want(target: string, status: TypingStatus): void {
    const t = this.state(target);
    const elapsed = this.now() - t.at;
    if (status === t.sent && status !== 'active') {
      this.cancelPending(t);
      return;
    }
    if (status === 'active' && t.sent === 'active' && elapsed < TYPING_THROTTLE_MS) {
      this.cancelPending(t); // still typing within the interval: the last "active" holds
      return;
    }
    if (elapsed >= TYPING_THROTTLE_MS) {
      this.cancelPending(t);
      this.emit(target, t, status);
      return;
    }
    t.pending = status;
    if (!t.pendingTimer) {
      t.pendingTimer = setTimeout(() => {
        t.pendingTimer = null;
        const next = t.pending;
        t.pending = null;
        if (next && (next !== t.sent || next === 'active')) this.emit(target, t, next);
      }, TYPING_THROTTLE_MS - elapsed);
    }
  }

  private cancelPending(t: TargetState): void {
    t.pending = null;
    if (t.pendingTimer) clearTimeout(t.pendingTimer);
    t.pendingTimer = null;
  }

  private emit(target: string, t: TargetState, status: TypingStatus): void {
    t.sent = status;
    t.at = this.now();
    this.send(target, status);
  }
}
