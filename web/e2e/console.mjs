// Browser tests of the moderation console (/console, issue 9) against a server of their own
// with a server administrator (moda) and a moderator (modo) in `[moderation]`. Accounts are
// registered over TCP (REGISTER after NICK/USER); ann and cat report bob over IRC (REPORT),
// once of them on one of his messages. In the browser: the login form and its refusals in
// words, an account without the role refused with the words (and logged out), the moderator's
// queue (child safety first), a report with its evidence and the earlier reports, the target's
// IP for the administrator only, the phone layout in French, a session ended elsewhere
// (back to the login form with a message), and logout.
//
// A server without GET /api/reports (404) or without REPORT fails the tests that need them
// with a message saying so; what does not need them (login, refusal, logout) is still tested.
import fs from 'node:fs';
import path from 'node:path';
import { TcpIrcClient, assert, startServer, stopServer } from './lib.mjs';

const PASSWORDS = { moda: 'moda-secret-1', modo: 'modo-secret-1', joe: 'joe-secret-1', ann: 'ann-secret-1', bob: 'bob-secret-1', cat: 'cat-secret-1' };

function writeConfig(file, distDir) {
  fs.writeFileSync(
    file,
    `# Written by web/e2e/console.mjs
log_level = "info"

[web]
root = ${JSON.stringify(distDir)}

[moderation]
admins = ["moda"]
moderators = ["modo"]

[[rooms]]
name = "#lobby"
category = "Everyone"
description = "Open to all"
`,
  );
}

/** Registers `nick` over TCP and creates its account (so it is logged in); joins #lobby. */
async function accountClient(ircPort, nick, { join = true } = {}) {
  const c = new TcpIrcClient(ircPort);
  await c.connect();
  await c.registerWithCaps(nick, ['standard-replies', 'message-tags']);
  c.send(`REGISTER * * :${PASSWORDS[nick]}`);
  await c.waitFor(new RegExp(` REGISTER SUCCESS ${nick} `), { from: 0 });
  if (join) {
    c.send('JOIN #lobby');
    await c.waitFor(new RegExp(` 366 ${nick} #lobby `), { from: 0 });
  }
  return c;
}

/** Sends a REPORT and resolves to the reference of NOTE REPORT RECEIVED (a FAIL rejects). */
async function report(client, line) {
  const from = client.lines.length;
  client.send(line);
  const answer = await client.waitFor(/ NOTE REPORT RECEIVED R-[0-9a-f]+ | FAIL REPORT | 421 \S+ REPORT /, { from });
  const m = / NOTE REPORT RECEIVED (R-[0-9a-f]+) /.exec(answer);
  if (!m) throw new Error(`${line} was refused: ${answer}`);
  return m[1];
}

export async function consoleTests(ctx) {
  const { newPage, runner, bin, distDir, tmpDir, shotsDir, see, gone, shot, checkA11y } = ctx;
  const config = path.join(tmpDir, 'console.toml');
  writeConfig(config, distDir);
  const logFile = path.join(shotsDir, 'server-console.log');
  fs.writeFileSync(logFile, '');
  const dataDir = path.join(tmpDir, 'console-data');
  let server;
  const irc = {};
  let reportsApi = null; // the status of GET /api/reports without a session: 401 present, 404 absent
  let refs = null; // { threat, grooming, spam } once reported over IRC
  let D; // the desktop page (English)
  let P; // the phone page (French)
  let A; // the administrator's page

  /** The tests of the queue need the server's reports API: fail, saying why, without it. */
  function needReportsApi() {
    if (reportsApi !== 401) {
      throw new Error(`the server has no reports API: GET /api/reports answered ${reportsApi} without a session (401 expected; 404 means this binary predates /api/reports): ${bin}`);
    }
  }
  function needReports() {
    needReportsApi();
    if (!refs) throw new Error('no reports were made over IRC (see the REPORT test above), so the queue has nothing to show');
  }

  /** Elements of the console that stick out of the screen on the right (the page itself may not scroll). */
  function overflowing(page) {
    return page.evaluate(() =>
      [...document.querySelectorAll('.console *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 5),
    );
  }

  async function login(page, account, password = PASSWORDS[account]) {
    await page.fill('#console-account', account);
    await page.fill('#console-password', password);
    await page.press('#console-password', 'Enter');
  }

  await runner.test('console: a server with an administrator (moda) and a moderator (modo); accounts registered over TCP', async () => {
    server = await startServer({ bin, config, dataDir, logFile });
    const base = `http://127.0.0.1:${server.httpPort}`;
    reportsApi = (await fetch(`${base}/api/reports`)).status;
    for (const nick of ['moda', 'modo', 'joe']) {
      irc[nick] = await accountClient(server.ircPort, nick, { join: false });
      irc[nick].close();
    }
    for (const nick of ['ann', 'bob', 'cat']) irc[nick] = await accountClient(server.ircPort, nick);
    const session = await fetch(`${base}/api/session`);
    assert(session.status === 401, `GET /api/session without a session: 401 (${session.status})`);
  });
  if (!server) return;
  const base = `http://127.0.0.1:${server.httpPort}`;
  const consoleUrl = `${base}/console`;

  try {
    await runner.test('console: reports on bob over IRC (REPORT): a message as a threat, grooming, spam', async () => {
      const { ann, bob, cat } = irc;
      const token = ann.lines.find((l) => / 005 ann .*\bSALON_REPORT=/.test(l));
      assert(token, `the server advertises SALON_REPORT (docs/report-protocol.md); without it there is no REPORT. ISUPPORT: ${ann.lines.filter((l) => / 005 /.test(l)).join(' | ')}`);
      // bob writes in the room and to ann in private: the evidence the reports capture.
      let from = ann.lines.length;
      bob.send('PRIVMSG #lobby :hello everyone');
      bob.send('PRIVMSG #lobby :I know where you live, ann');
      const threat = await ann.waitFor(/ PRIVMSG #lobby :I know where you live, ann$/, { from });
      const msgid = /(?:^@|;)msgid=([^; ]+)/.exec(threat)?.[1];
      assert(msgid, `bob's message has a msgid (message-tags): ${threat}`);
      from = ann.lines.length;
      bob.send('PRIVMSG ann :send me a photo of your little sister');
      await ann.waitFor(/ PRIVMSG ann :send me a photo/, { from });
      const t = await report(ann, `REPORT bob threat ${msgid} :he says he knows where I live`);
      const g = await report(ann, 'REPORT bob grooming :he asks for photos of children in private; this comment is long on purpose so that the queue has to shorten it before the end of the line');
      const s = await report(cat, 'REPORT bob spam :');
      refs = { threat: t, grooming: g, spam: s };
    });

    await runner.test('console: the login form at /console (desktop, English): labels, empty fields, a wrong password in words; / is still the chat', async () => {
      D = await newPage('console-D', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      await D.goto(`${base}/`);
      await see(D, 'label[for=join-nick]', 'Pseudonym');
      await D.goto(consoleUrl);
      await see(D, 'h1', 'Moderation console');
      await see(D, 'label[for=console-account]', 'Account name');
      await see(D, 'label[for=console-password]', 'Password');
      assert((await D.title()).startsWith('Moderation console'), `the page title: ${await D.title()}`);
      assert(await D.evaluate(() => document.activeElement?.id === 'console-account'), 'the account field has the focus');
      await D.press('#console-account', 'Enter');
      await see(D, '#console-account-error', 'Enter your account name.');
      assert((await D.getAttribute('#console-account', 'aria-invalid')) === 'true', 'the field is marked invalid');
      await login(D, 'modo', 'not-the-password');
      await see(D, '[data-testid=console-login-error]', 'Wrong account name or password.');
      assert((await D.getAttribute('[data-testid=console-login-error]', 'data-status')) === '401', 'a 401');
      assert(await D.evaluate(() => document.activeElement?.id === 'console-password'), 'the password has the focus to type it again');
      await shot(D, 'console-login-desktop');
      await checkA11y(D, 'console login (desktop)');
    });

    await runner.test('console: an account that is neither moderator nor administrator is refused with the words, and logs out', async () => {
      await D.goto(consoleUrl);
      await login(D, 'joe');
      await see(D, '[data-testid=console-refused]', 'The moderation console is for server moderators and administrators. The account joe is neither.');
      await see(D, '[data-testid=console-who]', 'Logged in as joe');
      assert((await D.locator('[data-testid=report-list], #queue-title').count()) === 0, 'no queue');
      if (reportsApi === 401) {
        // The server says the same when asked directly.
        const status = await D.evaluate(async () => (await fetch('/api/reports', { credentials: 'same-origin' })).status);
        assert(status === 403, `GET /api/reports for joe: 403 (${status})`);
      }
      await shot(D, 'console-refused-desktop');
      await checkA11y(D, 'console refused (desktop)');
      await D.click('[data-testid=console-logout]');
      await see(D, '[data-testid=console-notice]', 'You are logged out.');
      const status = await D.evaluate(async () => (await fetch('/api/session', { credentials: 'same-origin' })).status);
      assert(status === 401, `the session is over on the server (${status})`);
    });

    await runner.test('console: the moderator logs in and sees the queue, child safety first, in words', async () => {
      await D.goto(consoleUrl);
      await login(D, 'modo');
      await see(D, '#queue-title', 'Reports');
      await see(D, '[data-testid=console-who]', 'Logged in as modo (moderator)');
      assert(await D.evaluate(() => document.activeElement?.id === 'queue-title'), 'focus on the queue heading');
      needReports();
      await see(D, '[data-testid=report-row]');
      const rows = await D.locator('.report-row').evaluateAll((els) =>
        els.map((el) => ({
          ref: el.getAttribute('data-ref'),
          lane: el.getAttribute('data-priority'),
          priority: el.querySelector('[data-testid=row-priority]').textContent,
          category: el.querySelector('[data-testid=row-category]').textContent,
          target: el.querySelector('[data-testid=row-target]').textContent,
          status: el.querySelector('[data-testid=row-status]').textContent,
          comment: el.querySelector('[data-testid=row-comment]').textContent,
          text: el.textContent,
          time: el.querySelector('time')?.getAttribute('datetime'),
        })),
      );
      assert(rows.length === 3, `three open reports: ${JSON.stringify(rows)}`);
      assert(rows.map((r) => r.ref).join() === [refs.grooming, refs.threat, refs.spam].join(), `queue order grooming, threat, spam: ${rows.map((r) => r.ref)}`);
      assert(rows[0].priority === 'Child safety' && rows[0].category === 'Grooming of a minor', `child safety first, in words: ${JSON.stringify(rows[0])}`);
      assert(rows[1].priority === 'Threat' && rows[1].category === 'Threats of violence', `then the threat: ${JSON.stringify(rows[1])}`);
      assert(rows[2].priority === 'Standard' && rows[2].category === 'Spam or scam', `then the rest: ${JSON.stringify(rows[2])}`);
      for (const r of rows) {
        assert(r.target.startsWith('bob'), `target bob: ${r.target}`);
        assert(r.status === 'Open', `status in words: ${r.status}`);
        assert(r.time && Math.abs(Date.parse(r.time) - Date.now()) < 5 * 60_000, `the time, exact in datetime: ${r.time}`);
        assert(/now|seconds? ago|minutes? ago/.test(r.text), `the time, relative: ${r.text}`);
      }
      assert(/reported by ann/.test(rows[0].text) && /reported by cat/.test(rows[2].text), 'the reporter');
      assert(rows[0].comment.endsWith('…') && rows[0].comment.length <= 120, `a long comment shortened: ${rows[0].comment}`);
      assert(rows[2].comment === 'No comment', `an empty comment: ${rows[2].comment}`);
      const lane0 = await D.locator('.report-row.lane-0 [data-testid=row-priority]').evaluate((el) => getComputedStyle(el).backgroundColor);
      assert(lane0 === 'rgb(139, 0, 0)', `the child-safety lane is marked in colour too: ${lane0}`);
      await shot(D, 'console-queue-desktop');
      await checkA11y(D, 'console queue (desktop)');
    });

    await runner.test('console: a report opens beside the queue with its evidence by place, the reported message marked, the earlier reports; no IP for a moderator', async () => {
      needReports();
      await D.click(`.report-row[data-ref="${refs.threat}"] button`);
      await see(D, '#report-title', `Report ${refs.threat}`);
      assert(await D.evaluate(() => document.activeElement?.id === 'report-title'), 'focus on the report heading');
      assert((await D.locator('#queue-title').count()) === 1, 'the queue stays beside it on the desktop');
      await see(D, '[data-testid=detail-category]', 'Threats of violence');
      await see(D, '[data-testid=detail-comment]', 'he says he knows where I live');
      await see(D, '[data-testid=detail-reporter]', 'ann');
      await see(D, '[data-testid=detail-target]', 'bob');
      const reported = D.locator('.evidence-group[data-place="#lobby"] .evidence-line.reported');
      await reported.waitFor();
      assert((await reported.count()) === 1, 'one reported message');
      const text = await reported.evaluate((el) => el.textContent); // innerText would be upper case (CSS)
      assert(/Reported message/.test(text) && /<bob>/.test(text) && /I know where you live, ann/.test(text), `the reported message, marked: ${text}`);
      assert((await D.locator('.evidence-group[data-place="#lobby"] .evidence-line', { hasText: 'hello everyone' }).count()) === 1, 'its context');
      const bg = await reported.evaluate((el) => getComputedStyle(el).backgroundColor);
      assert(bg === 'rgb(255, 243, 196)', `highlighted: ${bg}`);
      const earlier = await D.locator('[data-testid=earlier]').innerText();
      assert(earlier.includes(refs.grooming) && earlier.includes(refs.spam), `the earlier reports on bob: ${earlier}`);
      assert((await D.locator('[data-testid=detail-target-ip]').count()) === 0, 'no IP address for a moderator');
      await shot(D, 'console-report-desktop');
      await checkA11y(D, 'console report (desktop)');
      // An earlier report opens from there: the private conversation is its evidence.
      await D.click(`[data-testid=earlier] button:has-text("${refs.grooming}")`);
      await see(D, '#report-title', `Report ${refs.grooming}`);
      await see(D, '.evidence-group h4', 'Private conversation');
      await see(D, '.evidence-group .evidence-line', 'send me a photo of your little sister');
      assert((await D.getAttribute(`.report-row[data-ref="${refs.grooming}"] button`, 'aria-current')) === 'true', 'its row is marked current');
    });

    await runner.test('console: the keyboard: Open / All tabs with the arrow keys', async () => {
      await D.focus('[role=tab][data-filter=open]');
      await D.keyboard.press('ArrowRight');
      await see(D, '[role=tab][data-filter=all][aria-selected=true]');
      assert(await D.evaluate(() => document.activeElement?.getAttribute('data-filter') === 'all'), 'focus follows the tab');
      await see(D, '#queue-panel[data-filter=all]');
      needReports();
      await see(D, `.report-row[data-ref="${refs.spam}"]`);
      assert((await D.locator('.report-row').count()) === 3, 'all three under All');
      await D.keyboard.press('Home');
      await see(D, '[role=tab][data-filter=open][aria-selected=true]');
      await see(D, `.report-row[data-ref="${refs.threat}"]`);
    });

    await runner.test('console: the administrator sees the target’s IP address', async () => {
      A = await newPage('console-A', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      await A.goto(consoleUrl);
      await login(A, 'moda');
      await see(A, '[data-testid=console-who]', 'Logged in as moda (administrator)');
      needReports();
      await A.click(`.report-row[data-ref="${refs.threat}"] button`);
      await see(A, '[data-testid=detail-target-ip]', '127.0.0.1');
    });

    await runner.test('console: on the phone in French: the queue, a report in its place, back to its row', async () => {
      P = await newPage('console-P', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
      await P.goto(consoleUrl);
      await see(P, 'h1', 'Console de modération');
      await see(P, 'label[for=console-account]', 'Nom du compte');
      await login(P, 'modo', 'faux-mot-de-passe');
      await see(P, '[data-testid=console-login-error]', 'Nom de compte ou mot de passe incorrect.');
      await shot(P, 'console-login-phone');
      await checkA11y(P, 'console login (phone)');
      await login(P, 'modo');
      await see(P, '#queue-title', 'Signalements');
      assert((await overflowing(P)).length === 0, `nothing wider than the screen: ${await overflowing(P)}`);
      needReports();
      await see(P, `.report-row[data-ref="${refs.grooming}"] [data-testid=row-priority]`, 'Protection de l’enfance');
      await see(P, `.report-row[data-ref="${refs.grooming}"] [data-testid=row-category]`, 'Pédopiégeage');
      await shot(P, 'console-queue-phone');
      await checkA11y(P, 'console queue (phone)');
      await P.click(`.report-row[data-ref="${refs.threat}"] button`);
      await see(P, '#report-title', `Signalement ${refs.threat}`);
      assert((await P.locator('#queue-title').count()) === 0, 'the report takes the place of the list');
      await see(P, '.evidence-line.reported', 'Message signalé');
      assert((await overflowing(P)).length === 0, `the report fits the screen: ${await overflowing(P)}`);
      await shot(P, 'console-report-phone');
      await checkA11y(P, 'console report (phone)');
      await P.click('button:has-text("Retour à la liste")');
      await see(P, '#queue-title');
      assert(await P.evaluate((ref) => document.activeElement?.closest('.report-row')?.getAttribute('data-ref') === ref, refs.threat), 'focus back on its row');
    });

    await runner.test('console: the moderator takes a report and closes another with an outcome; the reporter is told over IRC', async () => {
      needReports();
      await D.click(`.report-row[data-ref="${refs.threat}"] button`);
      await see(D, '#report-title', `Report ${refs.threat}`);
      await D.click('[data-testid=act-assign]');
      await see(D, '[data-testid=act-done]', 'You took this report.');
      await see(D, '[data-testid=detail-assigned]', 'modo');
      await see(D, '[data-testid=detail-status]', 'Assigned');
      // Closing: an outcome is needed first (said in words, focus on it).
      await D.click(`.report-row[data-ref="${refs.spam}"] button`);
      await see(D, '#report-title', `Report ${refs.spam}`);
      await D.click('[data-testid=act-close]');
      await see(D, '#outcome-error', 'Choose an outcome.');
      assert(await D.evaluate(() => document.activeElement?.getAttribute('name') === 'outcome'), 'focus on the outcomes');
      const from = irc.cat.lines.length;
      await D.check('input[name=outcome][value=no_action]');
      await D.fill('#close-note', 'one empty report, nothing to act on');
      await D.click('[data-testid=act-close]');
      await see(D, '[data-testid=act-done]', 'Report closed: No action. The reporter was told.');
      await see(D, '[data-testid=detail-outcome]', 'No action');
      await see(D, '[data-testid=detail-note]', 'one empty report, nothing to act on');
      const told = await irc.cat.waitFor(new RegExp(` (NOTE REPORT OUTCOME ${refs.spam} no_action |NOTICE cat :.*${refs.spam})`), { from });
      assert(told, 'cat is told');
      await shot(D, 'console-closed-desktop');
      await checkA11y(D, 'console report closed (desktop)');
      // No longer open; under All, closed.
      await gone(D, `.report-row[data-ref="${refs.spam}"]`);
      await D.click('[role=tab][data-filter=all]');
      await see(D, `.report-row[data-ref="${refs.spam}"] [data-testid=row-status]`, 'Closed');
      await D.click('[role=tab][data-filter=open]');
    });

    await runner.test('console: a session ended elsewhere (logout in another tab) returns to the login form with a message', async () => {
      // A second tab of the same browser shares the cookie: it opens logged in, and logs out.
      const other = await D.context().newPage();
      await other.goto(consoleUrl);
      await see(other, '[data-testid=console-who]', 'Logged in as modo');
      await other.click('[data-testid=console-logout]');
      await see(other, '[data-testid=console-notice]', 'You are logged out.');
      await other.close();
      needReportsApi();
      await D.click('[data-testid=queue-refresh]');
      await see(D, '[data-testid=console-notice]', 'Your session has ended. Log in again.');
      assert((await D.locator('.report-row, [data-testid=report-detail]').count()) === 0, 'nothing of the reports is left on screen');
      await shot(D, 'console-expired-desktop');
    });

    await runner.test('console: logout (DELETE with the CSRF token) ends the session; a reload shows the login form', async () => {
      await D.goto(consoleUrl);
      await login(D, 'modo');
      await see(D, '#queue-title');
      await D.reload();
      await see(D, '#queue-title'); // the session is kept across a reload (the cookie)
      await D.click('[data-testid=console-logout]');
      await see(D, '[data-testid=console-notice]', 'You are logged out.');
      assert(await D.evaluate(() => document.activeElement?.id === 'console-account'), 'focus on the account field');
      await D.reload();
      await see(D, '#console-account');
      await gone(D, '#queue-title');
    });
  } finally {
    for (const c of Object.values(irc)) c?.close();
    for (const p of [D, P, A]) await p?.context().close().catch(() => {});
    if (server?.proc && !server.proc.exitInfo) await stopServer(server.proc).catch((e) => console.log(String(e)));
  }
}
