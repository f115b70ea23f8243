// Browser tests of moderation and the protection of minors (issue 8), against a server of
// their own: a declared adults-only room (`adults_only = true`) and a server administrator
// account (`[moderation] admins`), which a plain TCP client registers and uses for MUTE.
// lea (15, phone, French) is refused from the adults-only room and sees why; max (34,
// desktop, English) cannot open a private conversation with her, sees links as links where
// lea sees them as text until she asks; max is muted, sees the statement of reasons, and
// cannot speak until unmuted; noa (16) writes to lea as a message request that lea accepts.
import fs from 'node:fs';
import path from 'node:path';
import { TcpIrcClient, assert, sleep, startServer, stopServer } from './lib.mjs';

const ADMIN = 'moda';
const ADMIN_PASSWORD = 'moda-secret-1';

/** The test server's config; `full: false` leaves out the moderation keys (a server without them). */
function writeConfig(file, distDir, full = true) {
  fs.writeFileSync(
    file,
    `# Written by web/e2e/moderation.mjs
log_level = "info"

[web]
root = ${JSON.stringify(distDir)}

[profile]
minimum_age = 15
${full ? `
[moderation]
admins = ["${ADMIN}"]
` : ''}
[[rooms]]
name = "#lobby"
category = "Everyone"
description = "Open to all"

[[rooms]]
name = "#over18"
category = "Adults"
description = "Adults only"
${full ? 'adults_only = true\n' : ''}`,
  );
}

/** The administrator over TCP with standard-replies: registered, account created (so logged in). */
async function adminClient(ircPort) {
  const c = new TcpIrcClient(ircPort);
  await c.connect();
  await c.registerWithCaps(ADMIN, ['standard-replies']);
  c.send(`REGISTER * * :${ADMIN_PASSWORD}`);
  await c.waitFor(new RegExp(` REGISTER SUCCESS ${ADMIN} `), { from: 0 });
  c.send('JOIN #lobby');
  await c.waitFor(new RegExp(` 366 ${ADMIN} #lobby `), { from: 0 });
  return c;
}

export async function moderationTests(ctx) {
  const { newPage, runner, bin, distDir, tmpDir, shotsDir, see, gone, waitStatus, fillJoinForm, say, memberSelector, openDrawer, openBuffer, shot, checkA11y } = ctx;
  const config = path.join(tmpDir, 'moderation.toml');
  writeConfig(config, distDir);
  const logFile = path.join(shotsDir, 'server-moderation.log');
  fs.writeFileSync(logFile, '');
  let server;
  let admin;
  let L; // lea, 15, phone, French
  let M; // max, 34, desktop, English
  let N; // noa, 16, desktop, English

  const dataDir = path.join(tmpDir, 'moderation-data');
  await runner.test('moderation: a server with an adults-only room and an administrator', async () => {
    try {
      server = await startServer({ bin, config, dataDir, logFile });
    } catch (e) {
      // A server without these features refuses the config: say which key, and go on with
      // a server without them, so that what does not need them is still tested.
      const why = /config error: (.*)/.exec(fs.readFileSync(logFile, 'utf8'))?.[1] ?? String(e);
      writeConfig(config, distDir, false);
      server = await startServer({ bin, config, dataDir, logFile });
      throw new Error(`the server refused the moderation config (${why}); the tests go on without it`);
    }
    const rooms = await (await fetch(`http://127.0.0.1:${server.httpPort}/api/rooms`)).json();
    const over18 = rooms.find((r) => r.name === '#over18');
    assert(over18 && over18.adults_only === true, `/api/rooms marks #over18 adults_only: ${JSON.stringify(over18)}`);
    assert(rooms.find((r) => r.name === '#lobby')?.adults_only === false, '#lobby is not adults-only');
  });
  if (!server) return;
  const base = `http://127.0.0.1:${server.httpPort}/`;
  const ircPort = server.ircPort;

  try {
    await runner.test('moderation: everyone joins #lobby (lea 15 on the phone, max 34 and noa 16 on desktops)', async () => {
      L = await newPage('L', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
      M = await newPage('M', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      N = await newPage('N', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      for (const [page, nick, age] of [
        [L, 'lea', 15],
        [M, 'max', 34],
        [N, 'noa', 16],
      ]) {
        await page.goto(base);
        await fillJoinForm(page, { nick, age });
        await waitStatus(page, 'connected');
        await page.locator('.room-card[data-room="#lobby"] button').click();
        await see(page, '.conversation[data-buffer="#lobby"]');
      }
      admin = await adminClient(ircPort);
      await see(M, memberSelector('lea'));
      await see(M, memberSelector(ADMIN));
    });

    await runner.test('a 15-year-old is refused from the adults-only room and sees why; the catalogue marks it 18+', async () => {
      await openCatalogue(L);
      const card = L.locator('.room-card[data-room="#over18"]');
      await card.waitFor();
      // The badge is seen ("18+") and heard ("Réservé aux adultes (18 ans et plus)").
      const badge = card.locator('[data-testid=adults-badge]');
      assert((await badge.innerText()).includes('18+'), 'an 18+ badge');
      assert((await badge.locator('.sr-only').innerText()) === 'Réservé aux adultes (18 ans et plus)', 'the badge has words for screen readers');
      // The catalogue does not offer it to her, and says why.
      assert(await card.locator('button').isDisabled(), 'no join button for a minor');
      await see(L, '.room-card[data-room="#over18"] [data-testid=room-refusal]', 'Ce salon est réservé aux adultes (18 ans et plus).');
      assert((await L.locator('.room-card[data-room="#lobby"] [data-testid=adults-badge]').count()) === 0, 'no badge on #lobby');
      await shot(L, 'adults-only-catalogue-phone');
      await checkA11y(L, 'catalogue with an adults-only room (phone, minor)');
      // Trying anyway (by name): the server refuses, and the reason is on the screen in French.
      await L.fill('#join-other', '#over18');
      await L.press('#join-other', 'Enter');
      await see(L, '.banner', 'Ce salon est réservé aux adultes (18 ans et plus)');
      await see(L, '.room-card[data-room="#over18"] [data-testid=room-refusal]', 'vous ne pouvez pas rejoindre #over18');
      await sleep(300);
      assert((await L.locator('.conversation[data-buffer="#over18"]').count()) === 0, 'not in the room');
      admin.send('NAMES #over18');
      const names = await admin.waitFor(/ 366 moda #over18 | 353 moda \S #over18 /);
      assert(!/\blea\b/.test(names), `lea is not a member: ${names}`);
      await shot(L, 'adults-only-refused-phone');
      // An adult joins it from the same catalogue.
      await openCatalogue(M);
      assert((await M.locator('.room-card[data-room="#over18"] [data-testid=adults-badge] .sr-only').innerText()) === 'Adults only (18 and over)', 'English label');
      await M.locator('.room-card[data-room="#over18"] button').click();
      await see(M, '.conversation[data-buffer="#over18"]');
      await openBuffer(L, '#lobby');
    });

    await runner.test('an adult cannot open a private conversation with her: "You can\'t message this person", the message not delivered', async () => {
      await privateWith(M, 'lea');
      await say(M, 'hi lea, want to chat?');
      await see(M, '.conversation[data-buffer="lea"] .log li[data-delivery=refused]', 'hi lea, want to chat?');
      await see(M, '.conversation[data-buffer="lea"] .log li[data-delivery=refused] [data-testid=delivery]', 'Not sent: You can’t message this person.');
      await see(M, '[data-testid=cannot-message]', 'You can’t message this person.');
      await shot(M, 'private-refused-desktop');
      await checkA11y(M, 'private conversation refused (desktop)');
      await sleep(500);
      assert((await L.locator('#nav-panel .nav-link[data-buffer="max"]').count()) === 0, 'lea got no conversation from max');
      // Nothing in the refusal says why beyond that (no age band).
      const said = await M.locator('.conversation[data-buffer="lea"] .log').innerText();
      assert(!/\bminor|\bmineur|\bage\b|(^|[^\p{L}])âge|1[0-9] ?(years|ans)/iu.test(said), `the refusal reveals nothing about her: ${said}`);
    });

    await runner.test('links: a normal link for an adult; for the 15-year-old, text until she asks to see it', async () => {
      await openBuffer(L, '#lobby');
      await openBuffer(M, '#lobby');
      await say(M, 'look at https://example.org/salon?x=1 please');
      await see(M, '.log li.line-message a[href="https://example.org/salon?x=1"]');
      const a = M.locator('.log li.line-message a[href="https://example.org/salon?x=1"]').first();
      assert((await a.getAttribute('rel')) === 'noopener noreferrer nofollow', 'rel');
      assert((await a.getAttribute('target')) === '_blank', 'target');
      const line = L.locator('.log li.line-message', { hasText: 'look at' }).first();
      await line.waitFor();
      assert((await line.locator('a').count()) === 0, 'no link for her yet');
      assert((await line.locator('.link-text').innerText()) === 'https://example.org/salon?x=1', 'the address as text');
      await shot(L, 'link-as-text-phone');
      await line.locator('button.show-link').click(); // "Afficher le lien"
      const shown = line.locator('a[href="https://example.org/salon?x=1"]');
      await shown.waitFor();
      assert((await shown.getAttribute('rel')) === 'noopener noreferrer nofollow' && (await shown.getAttribute('target')) === '_blank', 'then a normal link');
      assert(await shown.evaluate((el) => el === document.activeElement), 'focus on the link shown');
    });

    await runner.test('a minor who does not know noa gets a message request; noa is told it went as a request; accepting delivers it', async () => {
      await privateWith(N, 'lea');
      await say(N, 'salut lea, on se connaît du lycée ?');
      await see(N, '.conversation[data-buffer="lea"] .log li[data-delivery=request]', 'Sent as a request: delivered if they accept.');
      // On the phone the menu button counts it, and the nav lists it.
      await see(L, '#toggle-nav .badge .sr-only', '1 demande de message en attente');
      await openDrawer(L, 'nav');
      await see(L, '[data-testid=requests] .request[data-nick="noa"]', 'noa veut discuter avec vous');
      await shot(L, 'message-request-phone');
      await checkA11y(L, 'message request (phone)');
      assert((await L.locator('#nav-panel .nav-link[data-buffer="noa"]').count()) === 0, 'no conversation before she accepts');
      await L.click('[data-testid=requests] button:has-text("Accepter")');
      await see(L, '.conversation[data-buffer="noa"] .log li.line-message', 'salut lea, on se connaît du lycée ?');
      await gone(L, '[data-testid=requests]');
      // Now they talk both ways.
      await say(L, 'oui, salut !');
      await see(N, '.conversation[data-buffer="lea"] .log li.line-message', 'oui, salut !');
    });

    await runner.test('a muted user sees the statement of reasons (dialog: action, scope, until, reference) and cannot speak until unmuted', async () => {
      await openBuffer(M, '#lobby');
      const from = admin.lines.length;
      admin.send('MUTE max 10m :flooding the room');
      await admin.waitFor(/ NOTE MUTE APPLIED (D-[0-9a-f]+) /, { from });
      const ref = /NOTE MUTE APPLIED (D-[0-9a-f]+)/.exec(admin.lines.slice(from).find((l) => / NOTE MUTE APPLIED /.test(l)))[1];
      const dialog = M.locator('dialog[data-testid=decision-dialog]');
      await dialog.waitFor({ state: 'visible' });
      assert((await dialog.getAttribute('aria-labelledby')) === 'decision-title', 'the dialog is named by its title');
      assert(await dialog.evaluate((d) => d.open && d.matches(':modal')), 'a modal dialog');
      await see(M, '[data-testid=decision-action]', 'Muted');
      await see(M, '[data-testid=decision-scope]', 'The whole server');
      await see(M, '[data-testid=decision-ref]', ref);
      await see(M, '[data-testid=decision-statement]', 'flooding the room');
      const until = await M.locator('[data-testid=decision-until] time').getAttribute('datetime');
      const minutes = (Date.parse(until) - Date.now()) / 60000;
      assert(minutes > 8 && minutes <= 10.5, `until about 10 minutes from now (${until})`);
      // Focus is inside and stays inside.
      assert(await M.evaluate(() => !!document.activeElement?.closest('dialog')), 'focus in the dialog');
      for (let i = 0; i < 3; i++) {
        await M.keyboard.press('Tab');
        assert(await M.evaluate(() => !!document.activeElement?.closest('dialog') || document.activeElement === document.body), 'focus trapped');
      }
      await shot(M, 'statement-of-reasons-desktop');
      await checkA11y(M, 'statement of reasons (desktop)');
      await M.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      // The composer says so and sends nothing.
      await see(M, '[data-testid=muted]', 'You are muted until');
      assert(await M.locator('#composer-input').isDisabled(), 'the message box is closed');
      assert(await M.locator('.composer button[type=submit]').isDisabled(), 'and its send button');
      await see(M, '.log li.line-decision', ref);
      await shot(M, 'muted-desktop');
      // Unmuted: a statement again (OK closes it), and the box is open.
      admin.send('UNMUTE max');
      await dialog.waitFor({ state: 'visible' });
      await see(M, '[data-testid=decision-action]', 'Mute lifted');
      await M.click('dialog[data-testid=decision-dialog] button[type=submit]');
      await dialog.waitFor({ state: 'detached' });
      await gone(M, '[data-testid=muted]');
      const before = admin.lines.length;
      await say(M, 'sorry about that');
      await admin.waitFor(/^:max!\S+ PRIVMSG #lobby :sorry about that$/, { from: before });
    });

    await runner.test('a message refused in a room is shown not sent, with the server reason (muted in one room)', async () => {
      admin.send('MUTE #lobby max 0 :off-topic');
      const dialog = M.locator('dialog[data-testid=decision-dialog]');
      await dialog.waitFor({ state: 'visible' });
      await see(M, '[data-testid=decision-scope]', 'The room #lobby');
      await see(M, '[data-testid=decision-until]', 'No end date');
      await M.click('dialog[data-testid=decision-dialog] button[type=submit]');
      await see(M, '[data-testid=muted]', 'You are muted: you can read, not write.');
      // Only that room: elsewhere max can write.
      await openBuffer(M, '#over18');
      assert(!(await M.locator('#composer-input').isDisabled()), 'the box is open in #over18');
      await openBuffer(M, '#lobby');
      admin.send('UNMUTE #lobby max');
      await dialog.waitFor({ state: 'visible' });
      await M.keyboard.press('Escape');
      await gone(M, '[data-testid=muted]');
    });
  } finally {
    admin?.close();
    for (const p of [L, M, N]) await p?.context().close().catch(() => {});
    if (server?.proc && !server.proc.exitInfo) await stopServer(server.proc).catch((e) => console.log(String(e)));
  }

  /** From #lobby's member list (desktop), a private conversation with `nick`. */
  async function privateWith(page, nick) {
    await openBuffer(page, '#lobby');
    await page.click(`${memberSelector(nick)} button`);
    await page.click('[role=menu] [role=menuitem]:has-text("Private conversation")');
    await see(page, `.conversation[data-buffer="${nick}"]`);
  }

  /** The catalogue, from the nav (a drawer on the phone). */
  async function openCatalogue(page) {
    await openDrawer(page, 'nav');
    await page.click('#nav-panel .nav-catalogue');
    await see(page, '.catalogue');
  }
}
