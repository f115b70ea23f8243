// Helpers for the browser end-to-end tests: the real server binary, a plain TCP IRC client,
// and a tiny test runner that prints "N passed, N failed".
import { spawn } from 'node:child_process';
import net from 'node:net';
import fs from 'node:fs';
import path from 'node:path';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts build/salon and resolves once it logs "ready irc=HOST:P1 http=HOST:P2".
 * Output goes to logFile (appended) so a failure can be read afterwards.
 */
export function startServer({ bin, config, dataDir, irc = '127.0.0.1:0', http = '127.0.0.1:0', logFile, timeoutMs = 20000 }) {
  return new Promise((resolve, reject) => {
    const args = ['--config', config, '--irc-listen', irc, '--http-listen', http, '--data-dir', dataDir];
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const log = fs.createWriteStream(logFile, { flags: 'a' });
    log.write(`\n### ${new Date().toISOString()} ${bin} ${args.join(' ')}\n`);
    let buffered = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`server not ready after ${timeoutMs} ms; see ${logFile}`)), timeoutMs);
    function finish(err, value) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        proc.kill('SIGKILL');
        reject(err);
      } else resolve(value);
    }
    const onData = (chunk) => {
      log.write(chunk);
      buffered += chunk.toString();
      const m = /ready irc=127\.0\.0\.1:(\d+) http=127\.0\.0\.1:(\d+)/.exec(buffered);
      if (m) {
        buffered = '';
        finish(null, { proc, ircPort: Number(m[1]), httpPort: Number(m[2]) });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.on('exit', (code, signal) => {
      log.write(`### exited code=${code} signal=${signal}\n`);
      proc.exitInfo = { code, signal };
      finish(new Error(`server exited before ready (code ${code}, signal ${signal}); see ${logFile}`));
    });
  });
}

/** SIGTERM, then wait for the exit; resolves to the exit code. */
export function stopServer(proc, timeoutMs = 15000) {
  return new Promise((resolve, reject) => {
    if (proc.exitInfo) return resolve(proc.exitInfo.code);
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`server did not stop within ${timeoutMs} ms of SIGTERM`));
    }, timeoutMs);
    proc.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    proc.kill('SIGTERM');
  });
}

/** A plain IRC client over TCP, as any IRC user would connect. */
export class TcpIrcClient {
  constructor(port) {
    this.port = port;
    this.lines = [];
    this.waiters = [];
    this.buffer = '';
  }
  connect() {
    return new Promise((resolve, reject) => {
      this.socket = net.createConnection({ host: '127.0.0.1', port: this.port }, resolve);
      this.socket.setEncoding('utf8');
      this.socket.on('error', (e) => {
        this.error = e;
        reject(e);
      });
      this.socket.on('data', (d) => {
        this.buffer += d;
        let i;
        while ((i = this.buffer.indexOf('\n')) >= 0) {
          const line = this.buffer.slice(0, i).replace(/\r$/, '');
          this.buffer = this.buffer.slice(i + 1);
          if (line.startsWith('PING')) this.send('PONG' + line.slice(4));
          this.lines.push(line);
          this.check();
        }
      });
      this.socket.on('close', () => {
        this.closed = true;
        this.check();
      });
    });
  }
  send(line) {
    this.socket.write(line + '\r\n');
  }
  check() {
    this.waiters = this.waiters.filter((w) => {
      const hit = this.lines.slice(w.from).find(w.test);
      if (hit !== undefined) {
        clearTimeout(w.timer);
        w.resolve(hit);
        return false;
      }
      return true;
    });
  }
  /** Waits for a line (received from now on, or since `from`) matching a RegExp or predicate. */
  waitFor(match, { timeoutMs = 10000, from = this.lines.length } = {}) {
    const test = typeof match === 'function' ? match : (l) => match.test(l);
    return new Promise((resolve, reject) => {
      const w = { test, from, resolve };
      w.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((x) => x !== w);
        // The lines it looked at: a line that came before `from` was not one of them.
        const seen = this.lines.slice(from);
        reject(new Error(`TCP client: no line matching ${match} within ${timeoutMs} ms among the ${seen.length} received since the wait began (from line ${from}); the last of them:\n  ${seen.slice(-8).join('\n  ')}\nthe 3 lines before:\n  ${this.lines.slice(Math.max(0, from - 3), from).join('\n  ')}`));
      }, timeoutMs);
      this.waiters.push(w);
      this.check();
    });
  }
  async register(nick) {
    const from = this.lines.length;
    this.send(`NICK ${nick}`);
    this.send(`USER ${nick} 0 * :${nick} over TCP`);
    await this.waitFor(/^:\S+ 001 /, { from });
  }
  /** Registration asking for `caps` (CAP REQ before NICK/USER, CAP END after). */
  async registerWithCaps(nick, caps) {
    const from = this.lines.length;
    this.send('CAP LS 302');
    this.send(`CAP REQ :${caps.join(' ')}`);
    this.send(`NICK ${nick}`);
    this.send(`USER ${nick} 0 * :${nick} over TCP`);
    this.send('CAP END');
    await this.waitFor(/^:\S+ 001 /, { from });
  }
  close() {
    this.socket?.destroy();
  }
}

/** Sequential named checks; a failure is reported and the run goes on. */
export class Runner {
  constructor({ onFailure } = {}) {
    this.passed = 0;
    this.failed = 0;
    this.failures = [];
    this.onFailure = onFailure;
  }
  async test(name, fn) {
    const start = Date.now();
    try {
      await fn();
      this.passed++;
      console.log(`ok   ${name} (${Date.now() - start} ms)`);
      return true;
    } catch (e) {
      this.failed++;
      this.failures.push(name);
      // The whole message (a TCP client's "last lines" can be many), then where it was thrown.
      const message = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      const frames = e && e.stack ? e.stack.split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3) : [];
      console.log(`FAIL ${name}\n     ${[...message.split('\n'), ...frames.map((f) => f.trim())].join('\n     ')}`);
      if (this.onFailure) await this.onFailure(name).catch(() => {});
      return false;
    }
  }
  summary() {
    console.log(`${this.passed} passed, ${this.failed} failed`);
    if (this.failures.length) console.log(`failed: ${this.failures.join('; ')}`);
  }
}

export function assert(cond, message) {
  if (!cond) throw new Error(`assertion failed: ${message}`);
}

export function slug(name) {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
}

export function ensureDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export { path };
