// IRCv3 batches (the `batch` capability): lines tagged `batch=<ref>` are held until
// `BATCH -<ref>` and handed over together, nested batches inside their parent. Also the
// assembly of a `draft/multiline` batch into one message, and the flattening of a
// `chathistory` batch into its messages. Pure: session.ts feeds it and decides what to do.
import type { IrcMessage, Source } from './message';

export interface Batch {
  ref: string;
  type: string;
  /** Parameters after the type (e.g. the target of chathistory and draft/multiline). */
  params: string[];
  /** Tags of the opening BATCH line (multiline: msgid, time, client tags of the message). */
  tags: Record<string, string>;
  source?: Source;
  items: (IrcMessage | Batch)[];
}

export function isBatch(x: IrcMessage | Batch): x is Batch {
  return 'items' in x;
}

/**
 * A batch that is never closed would hold its lines for ever; past this many lines it is
 * given up and what it held is let through as plain lines.
 */
export const MAX_BATCH_ITEMS = 5000;

export class BatchCollector {
  private open = new Map<string, Batch>();

  /**
   * Feeds one line. Returns what is complete at top level, in order: a line outside any
   * batch at once, a batch when its end arrives (nested ones inside their parent).
   */
  push(msg: IrcMessage): (IrcMessage | Batch)[] {
    if (msg.command === 'BATCH') {
      const ref = msg.params[0] ?? '';
      if (ref.length > 1 && ref[0] === '+') {
        const b: Batch = {
          ref: ref.slice(1),
          type: msg.params[1] ?? '',
          params: msg.params.slice(2),
          tags: msg.tags,
          items: [],
        };
        if (msg.source) b.source = msg.source;
        this.open.set(b.ref, b);
        return [];
      }
      if (ref.length > 1 && ref[0] === '-') {
        const b = this.open.get(ref.slice(1));
        if (!b) return []; // the end of a batch never opened: nothing to do
        this.open.delete(b.ref);
        const parent = b.tags['batch'] ? this.open.get(b.tags['batch']) : undefined;
        if (parent) {
          parent.items.push(b);
          return [];
        }
        return [b];
      }
      return [msg];
    }
    const b = msg.tags['batch'] ? this.open.get(msg.tags['batch']) : undefined;
    if (!b) return [msg];
    if (b.items.length >= MAX_BATCH_ITEMS) {
      this.open.delete(b.ref);
      return [...flatten(b), msg];
    }
    b.items.push(msg);
    return [];
  }

  /** A new connection: batches of the old one will never end. */
  reset(): void {
    this.open.clear();
  }
}

/**
 * The one message a `draft/multiline` batch stands for: its lines joined by "\n" (a line
 * tagged `draft/multiline-concat` joined with no separator), with the tags of the opening
 * BATCH line (msgid, time, +draft/reply…). Null when the batch holds no PRIVMSG/NOTICE.
 */
export function multilineMessage(b: Batch): IrcMessage | null {
  const lines = b.items.filter(
    (x): x is IrcMessage => !isBatch(x) && (x.command === 'PRIVMSG' || x.command === 'NOTICE'),
  );
  if (lines.length === 0) return null;
  const first = lines[0];
  let text = '';
  lines.forEach((l, i) => {
    if (i > 0 && !('draft/multiline-concat' in l.tags)) text += '\n';
    text += l.params[1] ?? '';
  });
  const tags: Record<string, string> = { ...first.tags, ...b.tags };
  delete tags['batch'];
  delete tags['draft/multiline-concat'];
  const msg: IrcMessage = { tags, command: first.command, params: [b.params[0] ?? first.params[0] ?? '', text] };
  const source = b.source ?? first.source;
  if (source) msg.source = source;
  return msg;
}

/**
 * The messages a batch holds, in order: multiline batches as one message each, other nested
 * batches opened up (a client treats the lines of a batch type it does not know as usual).
 */
export function flatten(b: Batch): IrcMessage[] {
  const out: IrcMessage[] = [];
  for (const item of b.items) {
    if (!isBatch(item)) out.push(item);
    else if (item.type === 'draft/multiline') {
      const m = multilineMessage(item);
      if (m) out.push(m);
    } else out.push(...flatten(item));
  }
  return out;
}
