#!/usr/bin/env node
// Browser end-to-end tests of the web client against the REAL server (build/salon), driven by
// playwright-core with Debian's Chromium. Two browser users (desktop/English and
// phone/French) and one plain TCP IRC client share a room; the server is restarted midway.
//
//   npm run build && npm run test:e2e      (SALON_BIN=/path/to/salon to use another binary)
//
// Prints "N passed, N failed" and exits non-zero on failure. Screenshots go to
// e2e/screenshots/ (git-ignored); the server log to e2e/screenshots/server.log.
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { Runner, TcpIrcClient, assert, ensureDir, sleep, slug, startServer, stopServer } from './lib.mjs';
import { conversationTests } from './conversation.mjs';
import { historyTests } from './history.mjs';
import { consoleTests } from './console.mjs';
import { moderationTests } from './moderation.mjs';
import { reportTests } from './reports.mjs';
import { publicPagesTests } from './public_pages.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.resolve(here, '..');
const repoDir = path.resolve(webDir, '..');
const bin = process.env.SALON_BIN ?? path.join(repoDir, 'build', 'salon');
const distDir = path.join(webDir, 'dist');
const shotsDir = ensureDir(path.join(here, 'screenshots'));
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
// E2E_ONLY=moderation runs e2e/moderation.mjs alone (it has a server of its own), E2E_ONLY=reports
// e2e/reports.mjs (the same), E2E_ONLY=public_pages e2e/public_pages.mjs (the same),
// E2E_ONLY=conversation e2e/conversation.mjs on the main server.
const only = process.env.E2E_ONLY ?? '';
const T = 10_000; // default wait for anything the UI should show
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Runs axe-core (WCAG 2 A/AA rules) on the page; returns serious and critical violations. */
async function axe(page) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

const a11yReport = [];
async function checkA11y(page, screen) {
  const violations = await axe(page);
  for (const v of violations) a11yReport.push(`${screen}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.join(', ')}`);
}

for (const [what, p] of [
  ['server binary (make build)', bin],
  ['built client (npm run build)', path.join(distDir, 'index.html')],
  ['Chromium (apt-get install chromium)', chromiumPath],
]) {
  if (!fs.existsSync(p)) {
    console.error(`missing ${what}: ${p}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'salon-e2e-'));
const dataDir = path.join(tmp, 'data');
const config = path.join(tmp, 'salon.toml');
const logFile = path.join(shotsDir, 'server.log');
fs.writeFileSync(logFile, '');
fs.writeFileSync(
  config,
  `# Written by web/e2e/run.mjs
log_level = "info"

[web]
root = ${JSON.stringify(distDir)}

[profile]
minimum_age = 15

[accounts]
nick_grace_s = 10

[[rooms]]
name = "#friendship"
category = "Friendship"
description = "Meet new people and chat about anything"
topic = "Welcome! Be kind."

[[rooms]]
name = "#paris"
category = "Regions"
description = "Paris and Ile-de-France"

[[rooms]]
name = "#football"
category = "Sports"
description = "Matches, transfers and endless debates"

[[rooms]]
name = "#quiet"
category = "Tests"
description = "Moderated: only voiced people speak"
modes = "+mnt"

[[rooms]]
name = "#vip"
category = "Tests"
description = "On invitation only"
modes = "+int"
`,
);

const runner = new Runner({
  async onFailure(name) {
    for (const [who, page] of Object.entries(pages)) {
      if (page && !page.isClosed()) await page.screenshot({ path: path.join(shotsDir, `failure-${slug(name)}-${who}.png`) });
    }
  },
});
const pages = {};
const pageErrors = [];
let server;
let browser;
let tcp;

/** Collects uncaught errors and console errors of a page (checked by the last test). */
function watch(who, p) {
  p.on('pageerror', (e) => pageErrors.push(`${who}: ${e.message}`));
  p.on('console', (m) => m.type() === 'error' && !/WebSocket|ERR_CONNECTION_REFUSED|Failed to load resource/.test(m.text()) && pageErrors.push(`${who} console: ${m.text()}`));
}

async function shot(page, name) {
  await sleep(300); // let drawer transitions finish
  await page.screenshot({ path: path.join(shotsDir, `${name}.png`) });
}

/** Waits until `selector` has an element containing `text`. */
async function see(page, selector, text, timeout = T) {
  await page.locator(selector, text === undefined ? {} : { hasText: text }).first().waitFor({ state: 'visible', timeout });
}

async function gone(page, selector, text, timeout = T) {
  await page.locator(selector, text === undefined ? {} : { hasText: text }).first().waitFor({ state: 'detached', timeout });
}

async function count(page, selector, text) {
  return page.locator(selector, text === undefined ? {} : { hasText: text }).count();
}

async function waitStatus(page, wanted, timeout = T) {
  await page.locator(`.conn[data-status="${wanted}"]`).first().waitFor({ timeout });
}

async function fillJoinForm(page, { nick, age, gender = '-', town = '' }) {
  await page.fill('#join-nick', nick);
  await page.fill('#join-age', String(age));
  await page.selectOption('#join-gender', gender);
  await page.fill('#join-town', town);
  await page.click('.join-card button[type=submit]');
}

async function say(page, text) {
  await page.fill('#composer-input', text);
  await page.press('#composer-input', 'Enter');
}

/** On the phone layout, opens a drawer (nav or members) if it is closed. */
async function openDrawer(page, which) {
  const toggle = page.locator(which === 'nav' ? '#toggle-nav' : '#toggle-members');
  if ((await toggle.count()) === 0 || !(await toggle.isVisible())) return; // desktop: always shown
  if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  await page.locator(`#${which === 'nav' ? 'nav' : 'members'}-panel.open`).waitFor({ timeout: T });
  await sleep(250); // slide-in transition
}

async function closeDrawer(page) {
  if ((await page.locator('.drawer.open').count()) > 0) {
    await page.keyboard.press('Escape');
    await page.locator('.drawer.open').waitFor({ state: 'detached', timeout: T });
    await sleep(250);
  }
}

async function openBuffer(page, name) {
  await openDrawer(page, 'nav');
  await page.click(`#nav-panel .nav-link[data-buffer="${name}"]`);
  await see(page, `.conversation[data-buffer="${name}"]`);
}

async function joinFromCatalogue(page, room) {
  await openDrawer(page, 'nav');
  await page.click('#nav-panel .nav-catalogue');
  await page.locator(`.room-card[data-room="${room}"] button`).click();
  await see(page, `.conversation[data-buffer="${room}"]`);
}

function memberSelector(nick) {
  return `#members-panel .member[data-nick="${nick}"]`;
}

function launchBrowser() {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// A page in a context of its own, named for the failure screenshots and console watch.
async function newPage(name, options) {
  const context = await browser.newContext(options);
  context.setDefaultTimeout(T);
  const page = (pages[name] = await context.newPage());
  watch(name, page);
  return page;
}

/** Moderation and minors (e2e/moderation.mjs), on a server of their own. */
function runModerationTests() {
  return moderationTests({
    newPage, runner, bin, distDir, tmpDir: tmp, shotsDir, see, gone, waitStatus, fillJoinForm, say, memberSelector, openDrawer, openBuffer, shot, checkA11y, T,
  });
}

/** Reports (e2e/reports.mjs), on a server of their own. */
function runReportTests() {
  return reportTests({
    newPage, runner, bin, distDir, tmpDir: tmp, shotsDir, see, gone, waitStatus, fillJoinForm, say, memberSelector, openDrawer, openBuffer, shot, checkA11y, T,
  });
}

/** The last checks of every run: accessibility of the screens seen, and no page errors. */
async function finalChecks() {
  await runner.test('accessibility: no serious or critical axe-core (WCAG 2.1 AA) violations on the main screens', async () => {
    assert(a11yReport.length === 0, '\n     ' + a11yReport.join('\n     '));
  });

  await runner.test('no uncaught errors in the pages', async () => {
    assert(pageErrors.length === 0, pageErrors.join('\n'));
  });
}

/** The moderation console (e2e/console.mjs), on a server of its own
 * (E2E_ONLY=console runs it alone). */
function runConsoleTests() {
  return consoleTests({ newPage, runner, bin, distDir, tmpDir: tmp, shotsDir, see, gone, shot, checkA11y, T });
}

/** The public notice form and transparency figures (e2e/public_pages.mjs), on a server of
 * their own (E2E_ONLY=public_pages runs it alone). */
function runPublicPagesTests() {
  return publicPagesTests({ newPage, runner, bin, distDir, tmpDir: tmp, shotsDir, see, gone, shot, checkA11y, T });
}

async function main() {
  if (only === 'public_pages') {
    browser = await launchBrowser();
    await runPublicPagesTests();
    await finalChecks();
    return;
  }
  if (only === 'moderation' || only === 'reports') {
    browser = await launchBrowser();
    await (only === 'moderation' ? runModerationTests() : runReportTests());
    await finalChecks();
    return;
  }
  if (only === 'console') {
    browser = await launchBrowser();
    await runConsoleTests();
    await finalChecks();
    return;
  }
  server = await startServer({ bin, config, dataDir, logFile });
  const { ircPort, httpPort } = server;
  const base = `http://127.0.0.1:${httpPort}/`;
  console.log(`server ready: irc=${ircPort} http=${httpPort}`);

  browser = await launchBrowser();
  if (only === 'conversation') {
    await conversationTests({ newPage, runner, browser, base, ircPort, pages, watch, see, gone, waitStatus, fillJoinForm, say, memberSelector, shot, checkA11y, T });
    await finalChecks();
    return;
  }
  const desktop = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
  const phone = await browser.newContext({
    viewport: { width: 360, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'fr-FR',
  });
  desktop.setDefaultTimeout(T);
  phone.setDefaultTimeout(T);
  const A = (pages.A = await desktop.newPage()); // alice, desktop, English
  const B = (pages.B = await phone.newPage()); // bob, phone, French
  watch('A', A);
  watch('B', B);

  await runner.test('the server serves the client, its hashed assets and /api/rooms', async () => {
    const html = await (await fetch(base)).text();
    const asset = /\/assets\/index-[\w-]+\.js/.exec(html);
    assert(asset, 'index.html references a hashed script under /assets/');
    const js = await fetch(new URL(asset[0], base));
    assert(js.ok && /javascript/.test(js.headers.get('content-type') ?? ''), `asset served as JavaScript (${js.status} ${js.headers.get('content-type')})`);
    const rooms = await (await fetch(new URL('/api/rooms', base))).json();
    const friendship = rooms.find((r) => r.name === '#friendship');
    assert(friendship && friendship.category === 'Friendship' && typeof friendship.members === 'number', 'room entry with category and members');
  });

  await runner.test('join form: language from the browser, labels, screenshots', async () => {
    await Promise.all([A.goto(base), B.goto(base)]);
    await see(A, 'label[for=join-nick]', 'Pseudonym');
    await see(B, 'label[for=join-nick]', 'Pseudo');
    assert((await A.getAttribute('html', 'lang')) === 'en', 'html lang=en');
    assert((await B.getAttribute('html', 'lang')) === 'fr', 'html lang=fr');
    const unlabelled = await A.evaluate(() =>
      [...document.querySelectorAll('input, select')].filter((e) => e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id),
    );
    assert(unlabelled.length === 0, `inputs without label: ${unlabelled}`);
    await shot(A, 'join-desktop');
    await shot(B, 'join-phone');
    await checkA11y(A, 'join (desktop)');
    await checkA11y(B, 'join (phone)');
  });

  await runner.test('join form refuses a bad pseudonym and a missing age, with reasons and a suggestion', async () => {
    await fillJoinForm(A, { nick: '9 lives', age: '' });
    await see(A, '#join-nick-error', 'cannot start with “9”');
    await see(A, '#join-age-error', 'Enter your age');
    assert((await count(A, '.conn')) === 0, 'nothing was sent (still on the join form)');
    await A.click('#join-nick-error .link-button'); // "Use “U9_lives”"
    assert((await A.inputValue('#join-nick')) === 'U9_lives', 'suggestion applied');
    await fillJoinForm(A, { nick: 'alice', age: 'thirty' });
    await see(A, '#join-age-error', 'whole number');
    await fillJoinForm(A, { nick: 'alice', age: '30', town: 'x'.repeat(41) });
    await see(A, '#join-town-error', 'at most 40');
  });

  await runner.test('the server refuses an age below the minimum, shown in words', async () => {
    await fillJoinForm(A, { nick: 'alice', age: 12 });
    await see(A, '#join-age-error', 'open from the age of 15');
  });

  await runner.test('alice joins (desktop, English) and sees the catalogue by category', async () => {
    await fillJoinForm(A, { nick: 'alice', age: 30, gender: 'f', town: 'Lyon' });
    await waitStatus(A, 'connected');
    await see(A, '[data-testid=connection-status]', 'Connected');
    await see(A, '.category h2', 'Friendship');
    await see(A, '.category h2', 'Sports');
    await see(A, '.room-card[data-room="#friendship"] .room-desc', 'Meet new people');
    await see(A, '.room-card[data-room="#friendship"] [data-testid=room-members]', 'Empty');
    await shot(A, 'catalogue-desktop');
    await checkA11y(A, 'catalogue (desktop)');
  });

  await runner.test('catalogue search filters rooms', async () => {
    await A.fill('#room-search', 'foot');
    await see(A, '.room-card[data-room="#football"]');
    assert((await count(A, '.room-card')) === 1, 'only #football matches "foot"');
    await A.fill('#room-search', 'zzzz');
    await see(A, '.catalogue p', 'No room matches');
    await A.fill('#room-search', '');
  });

  await runner.test('alice joins #friendship: room view with topic', async () => {
    await joinFromCatalogue(A, '#friendship');
    await see(A, '[data-testid=topic]', 'Welcome! Be kind.');
    await see(A, memberSelector('alice'));
  });

  await runner.test('bob (phone, French) is told "alice" is taken and takes another pseudonym', async () => {
    await fillJoinForm(B, { nick: 'alice', age: 41, gender: 'm', town: 'Paris' });
    await see(B, '#join-nick-error', 'déjà pris');
    await see(B, '#join-nick-error .link-button', 'Prendre');
    await fillJoinForm(B, { nick: 'bob', age: 41, gender: 'm', town: 'Paris' });
    await waitStatus(B, 'connected');
    await see(B, '[data-testid=connection-status]', 'Connecté');
    await see(B, '.room-card[data-room="#friendship"] [data-testid=room-members]', '1 personne');
    await shot(B, 'catalogue-phone');
  });

  await runner.test('both see each other in the member list with profile badges', async () => {
    await joinFromCatalogue(B, '#friendship');
    await see(A, memberSelector('bob'));
    const badgesA = await A.locator(`${memberSelector('bob')} [data-testid=profile-badges]`).innerText();
    assert(/41/.test(badgesA) && /\bM\b/.test(badgesA) && /Paris/.test(badgesA), `bob's badges on alice's screen: ${JSON.stringify(badgesA)}`);
    await see(A, '.log li.line-join', 'bob joined');
    await openDrawer(B, 'members');
    await see(B, memberSelector('alice'));
    const badgesB = await B.locator(`${memberSelector('alice')} [data-testid=profile-badges]`).innerText();
    assert(/30/.test(badgesB) && /\bF\b/.test(badgesB) && /Lyon/.test(badgesB), `alice's badges on bob's screen: ${JSON.stringify(badgesB)}`);
    await shot(B, 'members-phone');
    await checkA11y(B, 'members drawer (phone)');
    await closeDrawer(B);
  });

  await runner.test('a plain TCP IRC client joins the same room', async () => {
    tcp = new TcpIrcClient(ircPort);
    await tcp.connect();
    await tcp.register('carol');
    tcp.send('JOIN #friendship');
    const names = await tcp.waitFor(/ 353 carol . #friendship :/, { from: 0 });
    assert(/alice/.test(names) && /bob/.test(names), `NAMES over TCP lists alice and bob: ${names}`);
    await see(A, memberSelector('carol'));
    await see(B, '.log li.line-join', 'carol est entré');
  });

  await runner.test('room messages go both ways between browsers and TCP, own messages marked once', async () => {
    await say(A, 'Hello from alice');
    await see(B, '.log li.line-message', 'Hello from alice');
    await tcp.waitFor(/:alice!\S+ PRIVMSG #friendship :Hello from alice$/, { from: 0 });
    await see(A, '.log li.line-message.own', 'Hello from alice');
    await say(B, 'Salut alice, ça va ?');
    await see(A, '.log li.line-message', 'Salut alice, ça va ?');
    await tcp.waitFor((l) => l.endsWith('PRIVMSG #friendship :Salut alice, ça va ?'), { from: 0 });
    tcp.send('PRIVMSG #friendship :hello from a TCP client');
    await see(A, '.log li.line-message', 'hello from a TCP client');
    await see(B, '.log li.line-message', 'hello from a TCP client');
    await sleep(300);
    assert((await count(A, '.log li.line-message', 'Hello from alice')) === 1, 'own message shown exactly once (echo-message)');
    assert((await count(B, '.log li.line-message.own', 'Salut alice')) === 1, "bob's own message marked once");
    assert((await count(A, '.log li.line-message.own', 'Salut alice')) === 0, "bob's message not marked as alice's");
    await shot(A, 'room-desktop');
    await shot(B, 'room-phone');
    await checkA11y(A, 'room (desktop)');
    await checkA11y(B, 'room (phone)');
  });

  await runner.test('empty and oversized messages are refused with a reason', async () => {
    await A.fill('#composer-input', '');
    await A.press('#composer-input', 'Enter');
    await see(A, '#composer-error', 'Type a message first');
    // With draft/multiline (max-bytes=4096 by default) a message is at most 4 batches' worth.
    const long = 'é'.repeat(8193);
    await A.fill('#composer-input', long);
    await see(A, '#composer-bytes', '16386 / 16384');
    await A.press('#composer-input', 'Enter');
    await see(A, '#composer-error', 'Message too long: 16386 bytes, at most 16384');
    await A.fill('#composer-input', '');
    await sleep(300);
    assert((await count(B, '.log li.line-message', 'éééé')) === 0, 'nothing sent');
  });

  await runner.test('server refusals are shown in words (moderated room, invite-only room)', async () => {
    await joinFromCatalogue(A, '#quiet');
    await say(A, 'can anyone hear me?');
    // The message shows, marked as not sent, with why (the server's FAIL code, or its 404).
    await see(A, '.log li[data-delivery=refused]', 'can anyone hear me?');
    const note = await A.locator('.log li[data-delivery=refused] [data-testid=delivery]').first().innerText();
    assert(/^Not sent: (Your message could not be delivered to #quiet|This room is moderated)/.test(note.replace(/^⚠ /, '')), `the reason: ${note}`);
    await A.click('#nav-panel .nav-catalogue');
    await A.locator('.room-card[data-room="#vip"] button').click();
    await see(A, '.banner', 'The room #vip is on invitation only.');
    await A.click('.banner button');
    await gone(A, '.banner');
    await openBuffer(A, '#friendship');
  });

  await runner.test('private conversation from the member context menu (keyboard), unread counter on the phone', async () => {
    await A.focus(`${memberSelector('bob')} button`);
    await A.keyboard.press('Enter');
    await see(A, '[role=menu]');
    await A.waitForFunction(() => document.activeElement?.getAttribute('role') === 'menuitem');
    const focused = await A.evaluate(() => document.activeElement?.textContent);
    assert(focused === 'Private conversation', `menu focuses its first item (${focused})`);
    await A.keyboard.press('Enter');
    await see(A, '.conversation[data-buffer="bob"]');
    await say(A, 'psst, a private word');
    await see(A, '.log li.line-message.own', 'psst');
    // bob is looking at the room: the conversation opens with an unread counter.
    await see(B, '#toggle-nav .badge', '1');
    await openDrawer(B, 'nav');
    await see(B, '#nav-panel .nav-link[data-buffer="alice"] [data-testid=unread]', '1');
    await shot(B, 'unread-phone');
    await B.click('#nav-panel .nav-link[data-buffer="alice"]');
    await see(B, '.conversation[data-buffer="alice"] .log li.line-message', 'psst, a private word');
    assert((await count(B, '#nav-panel [data-testid=unread]')) === 0, 'counter cleared once read');
    await say(B, 'coucou en privé');
    await see(A, '.conversation[data-buffer="bob"] .log li.line-message', 'coucou en privé');
    assert(!(await tcp.lines.some((l) => l.includes('psst'))), 'the TCP client in the room did not get the private message');
    await shot(A, 'private-desktop');
    await shot(B, 'private-phone');
    await checkA11y(A, 'private conversation (desktop)');
  });

  await runner.test('unread counter on a room tab, cleared when opened', async () => {
    // alice is in the private conversation; a room message counts as unread on #friendship.
    tcp.send('PRIVMSG #friendship :message while alice is elsewhere');
    await see(A, '#nav-panel .nav-link[data-buffer="#friendship"] [data-testid=unread]', '1');
    await openBuffer(A, '#friendship');
    assert((await count(A, '#nav-panel .nav-link[data-buffer="#friendship"] [data-testid=unread]')) === 0, 'cleared');
  });

  await runner.test('ignore and stop ignoring from the member context menu (mouse)', async () => {
    await openBuffer(B, '#friendship');
    await A.click(`${memberSelector('carol')} button`, { button: 'right' });
    await A.click('[role=menu] [role=menuitem]:has-text("Ignore")');
    await see(A, '.log li.line-info', 'You ignore carol');
    await see(A, `${memberSelector('carol')} .ignored`, 'ignored');
    tcp.send('PRIVMSG #friendship :words alice should not see');
    await see(B, '.log li.line-message', 'words alice should not see');
    await sleep(300);
    assert((await count(A, '.log li', 'words alice should not see')) === 0, 'ignored message hidden');
    await A.click(`${memberSelector('carol')} button`);
    await A.click('[role=menu] [role=menuitem]:has-text("Stop ignoring")');
    tcp.send('PRIVMSG #friendship :carol is visible again');
    await see(A, '.log li.line-message', 'carol is visible again');
  });

  await runner.test('system lines for topic, voice and kick from an IRC operator over TCP', async () => {
    tcp.send('JOIN #tcproom'); // first in the room: carol gets +o
    await tcp.waitFor(/ 366 carol #tcproom /, { from: 0 });
    await say(A, '/join #tcproom');
    await see(A, '.conversation[data-buffer="#tcproom"]');
    await see(A, memberSelector('carol'));
    assert((await A.locator(`${memberSelector('carol')} .prefix`).innerText()) === '@', 'carol shown as operator');
    tcp.send('TOPIC #tcproom :Topic set over TCP');
    await see(A, '[data-testid=topic]', 'Topic set over TCP');
    await see(A, '.log li.line-topic', 'carol changed the topic to: Topic set over TCP');
    tcp.send('MODE #tcproom +v alice');
    await see(A, `${memberSelector('alice')} .prefix`, '+');
    tcp.send('KICK #tcproom alice :testing kicks');
    await see(A, '.log li.line-kick', 'You were kicked from the room by carol (testing kicks)');
    // A kick is a moderation decision: its statement of reasons comes as a modal dialog.
    const decision = A.locator('dialog[data-testid=decision-dialog]');
    await decision.waitFor({ state: 'visible' });
    await see(A, '[data-testid=decision-action]', 'Removed from the room');
    await see(A, '[data-testid=decision-scope]', '#tcproom');
    await see(A, '[data-testid=decision-statement]', 'testing kicks');
    await A.click('dialog[data-testid=decision-dialog] button[type=submit]');
    await decision.waitFor({ state: 'detached' });
    await see(A, '.conv-header p', 'You are not in this room right now.');
    await A.click('.conv-header button'); // closes the conversation
    await gone(A, '.conversation[data-buffer="#tcproom"]');
    await openBuffer(A, '#friendship');
  });

  await runner.test('nick change with the button; a taken nick is refused in words', async () => {
    await A.click('[data-testid=own-nick]');
    await see(A, '#nick-dialog-input');
    await A.fill('#nick-dialog-input', 'carol');
    await A.click('.dialog button[type=submit]');
    await see(A, '#nick-dialog-error', 'already taken');
    await A.fill('#nick-dialog-input', 'alice_2');
    await A.click('.dialog button[type=submit]');
    await gone(A, '.dialog');
    await see(A, '[data-testid=own-nick]', 'alice_2');
    await see(A, '.log li.line-nick', 'You are now known as alice_2');
    await openBuffer(B, '#friendship');
    await see(B, '.log li.line-nick', 'alice s’appelle maintenant alice_2');
    await openDrawer(B, 'members');
    await see(B, memberSelector('alice_2'));
    await closeDrawer(B);
    await openDrawer(B, 'nav');
    await see(B, '#nav-panel .nav-link[data-buffer="alice_2"]'); // the private tab follows the nick
    await closeDrawer(B);
    await tcp.waitFor(/:alice!\S+ NICK :?alice_2$/, { from: 0 });
  });

  await runner.test('nick change with /nick', async () => {
    await say(B, '/nick bobby');
    await see(A, '.log li.line-nick', 'bob is now known as bobby');
    await see(A, memberSelector('bobby'));
    await see(B, '[data-testid=own-nick]', 'bobby');
  });

  await runner.test('language toggle switches the interface', async () => {
    await A.click('.lang-toggle');
    await see(A, '.conv-header button', 'Quitter le salon');
    await A.waitForFunction(() => document.documentElement.lang === 'fr');
    await see(A, '.log li.line-nick', 'Vous vous appelez maintenant alice_2'); // history re-rendered
    await A.click('.lang-toggle');
    await see(A, '.conv-header button', 'Leave room');
  });

  await runner.test('account panel on the phone: keyboard, checks before sending, fits 360 px', async () => {
    await B.focus('[data-testid=account-button]');
    await B.keyboard.press('Enter');
    await see(B, '[data-testid=account-dialog] h2', 'Compte');
    await see(B, '[data-testid=account-state]', 'Vous discutez en invité·e sous le pseudo bobby');
    const box = await B.locator('[data-testid=account-dialog]').boundingBox();
    assert(box && box.x >= 0 && box.x + box.width <= 360 && box.y >= 0 && box.y + box.height <= 740, `panel inside the 360×740 screen: ${JSON.stringify(box)}`);
    const layoutWidth = await B.evaluate(() => window.innerWidth);
    assert(layoutWidth === 360, `the page is not wider than the phone (layout viewport ${layoutWidth} px)`);
    await B.fill('#register-password', 'court');
    await B.press('#register-password', 'Enter');
    await see(B, '#register-password-error', 'Un mot de passe a 8 caractères au moins.');
    await B.fill('#register-password', 'un-bon-mot-de-passe');
    await B.fill('#register-confirm', 'un-autre-mot-de-passe');
    await B.press('#register-confirm', 'Enter');
    await see(B, '#register-confirm-error', 'Les deux mots de passe ne sont pas identiques.');
    await B.fill('#login-password', '');
    await B.press('#login-password', 'Enter');
    await see(B, '#login-password-error', 'Indiquez le mot de passe.');
    assert((await B.inputValue('#login-account')) === 'bobby', 'the login form proposes the current pseudonym');
    await shot(B, 'account-phone');
    await checkA11y(B, 'account panel (phone)');
    await B.keyboard.press('Escape');
    await gone(B, '[data-testid=account-dialog]');
    await B.waitForFunction(() => document.activeElement?.getAttribute('data-testid') === 'account-button');
  });

  await runner.test('server restart: honest status, reconnection with back-off, rooms rejoined', async () => {
    const code = await stopServer(server.proc);
    assert(code === 0, `server exited 0 on SIGTERM (got ${code})`);
    await see(A, '[data-testid=connection-status]', /Reconnecting/);
    await see(B, '[data-testid=connection-status]', /Reconnexion/);
    await shot(A, 'reconnecting-desktop');
    await see(A, '.log li.line-error', /restarting|Connection lost/);
    server = await startServer({ bin, config, dataDir, logFile, irc: `127.0.0.1:${ircPort}`, http: `127.0.0.1:${httpPort}` });
    await waitStatus(A, 'connected', 40_000);
    await waitStatus(B, 'connected', 40_000);
    await see(A, memberSelector('bobby'), undefined, 15_000);
    await see(A, '[data-testid=own-nick]', 'alice_2');
    await openDrawer(B, 'members');
    await see(B, memberSelector('alice_2'));
    const badges = await B.locator(`${memberSelector('alice_2')} [data-testid=profile-badges]`).innerText();
    assert(/30/.test(badges) && /Lyon/.test(badges), `profile badges again after rejoin: ${JSON.stringify(badges)}`);
    await closeDrawer(B);
    await say(A, 'back after the restart');
    await see(B, '.log li.line-message', 'back after the restart');
    // The private conversation survived on both sides.
    await openBuffer(A, 'bobby');
    await see(A, '.log li.line-message', 'coucou en privé');
  });

  await runner.test('the TCP client reconnects and still shares the room with the browsers', async () => {
    tcp.close();
    tcp = new TcpIrcClient(ircPort);
    await tcp.connect();
    await tcp.register('carol');
    tcp.send('JOIN #friendship');
    await tcp.waitFor(/ 366 carol #friendship /, { from: 0 });
    tcp.send('PRIVMSG #friendship :carol is back');
    await see(B, '.log li.line-message', 'carol is back');
    await say(B, 'welcome back carol 🎉');
    await tcp.waitFor((l) => l.endsWith('PRIVMSG #friendship :welcome back carol 🎉'), { from: 0 });
  });

  await runner.test('leaving a room', async () => {
    await B.click('.conv-header button'); // "Quitter le salon"
    await gone(B, '.conversation[data-buffer="#friendship"]');
    await openBuffer(A, '#friendship');
    await see(A, '.log li.line-part', 'bobby left');
    await gone(A, memberSelector('bobby'));
    await openDrawer(B, 'nav');
    assert((await count(B, '#nav-panel .nav-link[data-buffer="#friendship"]')) === 0, 'room gone from bob\'s list');
    await closeDrawer(B);
  });

  await runner.test('reload as a guest: same nick, same rooms and private tab, no join form', async () => {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    ctx.setDefaultTimeout(T);
    const D = (pages.D = await ctx.newPage());
    watch('D', D);
    // Records whether the join form shows up at any moment of a resumed load.
    await D.addInitScript(() => {
      if (!sessionStorage.getItem('salon.session')) return;
      new MutationObserver(() => {
        if (document.getElementById('join-nick')) window.__sawJoinForm = true;
      }).observe(document, { subtree: true, childList: true });
    });
    await D.goto(base);
    await fillJoinForm(D, { nick: 'dora', age: 27, gender: 'nb', town: 'Nantes' });
    await waitStatus(D, 'connected');
    await joinFromCatalogue(D, '#friendship');
    await joinFromCatalogue(D, '#paris');
    await say(D, '/query carol');
    await see(D, '.conversation[data-buffer="carol"]');
    await say(D, 'hello carol, before the reload');
    await tcp.waitFor(/:dora!\S+ PRIVMSG carol :hello carol, before the reload$/, { from: 0 });
    const mark = tcp.lines.length;

    await D.reload();
    await see(D, '[data-testid=own-nick]', 'dora');
    await waitStatus(D, 'connected');
    assert((await D.evaluate(() => window.__sawJoinForm === true)) === false, 'the join form never showed during the reload');
    assert((await D.locator('[data-testid=own-nick]').innerText()) === 'dora', 'same nick after the reload');
    await see(D, '.conversation[data-buffer="carol"]'); // the conversation shown before
    await tcp.waitFor(/^:dora!\S+ JOIN :?#friendship( |$)/, { from: mark }); // carol shares #friendship
    for (const room of ['#friendship', '#paris']) await see(D, `#nav-panel .nav-link[data-buffer="${room}"]`);
    await see(D, '#nav-panel [data-testid=private-tabs] .nav-link[data-buffer="carol"]');
    await openBuffer(D, '#paris');
    await see(D, memberSelector('dora'));
    tcp.send('PRIVMSG dora :carol answers after the reload');
    await openBuffer(D, 'carol');
    await see(D, '.log li.line-message', 'carol answers after the reload');
    // The profile came back with the guest (PROFILE SET again), as others see it.
    await openBuffer(A, '#friendship');
    await see(A, memberSelector('dora'));
    const badges = await A.locator(`${memberSelector('dora')} [data-testid=profile-badges]`).innerText();
    assert(/27/.test(badges) && /Nantes/.test(badges), `dora's badges after the reload: ${JSON.stringify(badges)}`);
    await shot(D, 'resumed-desktop');
    await checkA11y(D, 'resumed after reload (desktop)');
    await say(D, '/quit');
    await see(D, '#join-nick');
    assert((await D.evaluate(() => sessionStorage.getItem('salon.session'))) === null, 'quitting clears the saved session');
    await ctx.close();
  });

  // Accounts (docs/account-protocol.md): erin registers on a desktop (E); a phone in French (F)
  // logs in to her account; passwords change; the data is downloaded; the account is deleted.
  const erinPw = 'erin-secret-1';
  const erinPw2 = 'erin-secret-2';
  let E;
  let F;

  async function openAccount(page) {
    await page.click('[data-testid=account-button]');
    await see(page, '[data-testid=account-dialog]');
  }
  async function closeAccount(page) {
    await page.keyboard.press('Escape');
    await gone(page, '[data-testid=account-dialog]');
  }
  async function accountLoggedIn(page, name) {
    await page.locator(`[data-testid=account-button][data-account="${name}"]`).waitFor({ timeout: T });
  }
  async function joinWithAccount(page, nick, password) {
    await page.fill('#join-nick', nick);
    if (!(await page.isChecked('#join-has-account'))) await page.check('#join-has-account');
    await page.fill('#join-password', password);
    await page.click('.join-card button[type=submit]');
  }

  await runner.test('accounts (b): register the pseudonym in the panel, reload, back in the rooms and logged in', async () => {
    const ctxE = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB', acceptDownloads: true });
    ctxE.setDefaultTimeout(T);
    E = pages.E = await ctxE.newPage();
    watch('E', E);
    await E.goto(base);
    await fillJoinForm(E, { nick: 'erin', age: 33, gender: 'f', town: 'Brest' });
    await waitStatus(E, 'connected');
    await joinFromCatalogue(E, '#football');
    await joinFromCatalogue(E, '#paris');
    await openAccount(E);
    await see(E, '[data-testid=account-state]', 'You are chatting as a guest under the pseudonym erin.');
    await E.fill('#register-password', erinPw);
    await E.fill('#register-confirm', erinPw);
    await E.click('[data-testid=register-form] button[type=submit]');
    await see(E, '[data-testid=account-message]', 'Registered: you are logged in as erin.');
    await see(E, '[data-testid=account-name]', 'erin');
    await accountLoggedIn(E, 'erin');
    await shot(E, 'account-desktop');
    await checkA11y(E, 'account panel, logged in (desktop)');
    await closeAccount(E);
    await see(E, '[data-testid=account-button] .account-label', 'erin');

    await E.reload();
    await see(E, '[data-testid=own-nick]', 'erin');
    await waitStatus(E, 'connected');
    await accountLoggedIn(E, 'erin');
    for (const room of ['#football', '#paris']) await see(E, `#nav-panel .nav-link[data-buffer="${room}"]`);
    await openBuffer(E, '#football');
    await see(E, memberSelector('erin'));
    assert((await count(E, '#join-nick')) === 0, 'no join form after the reload');
  });

  await runner.test('accounts (c): a second browser logs in to the account from the panel; a wrong password is refused in words', async () => {
    const ctxF = await browser.newContext({ viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    ctxF.setDefaultTimeout(T);
    F = pages.F = await ctxF.newPage();
    watch('F', F);
    await F.goto(base);
    await fillJoinForm(F, { nick: 'fanny', age: 29 });
    await waitStatus(F, 'connected');
    await openAccount(F);
    await F.fill('#login-account', 'erin');
    await F.fill('#login-password', 'not-her-password');
    await F.click('[data-testid=login-form] button[type=submit]');
    await see(F, '#login-error', 'Nom de compte ou mot de passe incorrect.');
    await F.fill('#login-password', erinPw);
    await F.click('[data-testid=login-form] button[type=submit]');
    await see(F, '[data-testid=account-message]', 'Vous êtes connecté·e en tant que erin.');
    await see(F, '[data-testid=account-name]', 'erin');
    await accountLoggedIn(F, 'erin');
    await shot(F, 'account-logged-in-phone');
    await checkA11y(F, 'account panel, logged in (phone)');
    // Logging out: disconnected, back to the join form, nothing kept for a reload.
    await F.click('[data-testid=logout-button]');
    await see(F, '#join-nick');
    assert((await F.evaluate(() => sessionStorage.getItem('salon.session'))) === null, 'logging out clears the saved session');
    // The join form's account mode: a password instead of the profile.
    await F.check('#join-has-account');
    await see(F, 'label[for=join-password]', 'Mot de passe');
    assert((await count(F, '#join-age')) === 0, 'no profile fields for an account');
    await shot(F, 'join-account-phone');
    await checkA11y(F, 'join form with an account (phone)');
  });

  await runner.test('accounts (d): change the password; the old one no longer logs in, the new one does', async () => {
    await openAccount(E);
    await E.fill('#password-current', 'wrong-current-pw');
    await E.fill('#password-new', erinPw2);
    await E.fill('#password-confirm', erinPw2);
    await E.click('[data-testid=password-form] button[type=submit]');
    await see(E, '#password-error', 'Wrong password.');
    await E.fill('#password-current', erinPw);
    await E.click('[data-testid=password-form] button[type=submit]');
    await see(E, '[data-testid=account-message]', 'Password changed.');
    // The tab keeps the new password: a reload logs in again.
    await closeAccount(E);
    await E.reload();
    await waitStatus(E, 'connected');
    await accountLoggedIn(E, 'erin');
    // Log out, then in again from the join form (SASL before CAP END).
    await openAccount(E);
    await E.click('[data-testid=logout-button]');
    await see(E, '#join-nick');
    await joinWithAccount(E, 'erin', erinPw);
    await see(E, '#join-password-error', 'Wrong account name or password.');
    await joinWithAccount(E, 'erin', erinPw2);
    await waitStatus(E, 'connected');
    await accountLoggedIn(E, 'erin');
    await see(E, '[data-testid=own-nick]', 'erin');
  });

  await runner.test('accounts (e): export downloads a JSON file that names the account', async () => {
    await openAccount(E);
    const [download] = await Promise.all([E.waitForEvent('download'), E.click('[data-testid=export-button]')]);
    assert(/^salon-account-erin-\d{4}-\d\d-\d\d\.json$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`);
    const file = await download.path();
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
    assert(doc.format === 'salon.account-export/1' && doc.account?.name === 'erin', `the export names the account: ${JSON.stringify(doc).slice(0, 300)}`);
    assert(doc.account.profile?.town === 'Brest', `the export has the profile kept at registration: ${JSON.stringify(doc.account)}`);
    await see(E, '[data-testid=account-message]', `Downloaded ${download.suggestedFilename()}.`);
  });

  await runner.test('accounts (f): delete the account after a confirmation; logging in to it then fails', async () => {
    await E.fill('#delete-password', erinPw2);
    await E.click('#delete-ask');
    await see(E, '#delete-confirm-text', 'Delete the account erin for good?');
    await E.waitForFunction(() => document.activeElement?.textContent === 'Keep it');
    await E.keyboard.press('Enter'); // "Keep it": nothing happens
    await gone(E, '#delete-confirm-text');
    await accountLoggedIn(E, 'erin');
    await E.click('#delete-ask');
    await E.click('[data-testid=delete-yes]');
    await see(E, '[data-testid=account-message]', 'The account was deleted. You are a guest again.');
    await see(E, '[data-testid=account-state]', 'You are chatting as a guest under the pseudonym erin.');
    await accountLoggedIn(E, '');
    await closeAccount(E);
    await E.click('.topbar button:has-text("Quit")');
    await see(E, '#join-nick');
    await joinWithAccount(F, 'erin', erinPw2);
    await see(F, '#join-password-error', 'Nom de compte ou mot de passe incorrect.');
    assert((await F.getAttribute('#join-password', 'aria-invalid')) === 'true', 'the password field is marked invalid');
    await E.context().close();
  });

  await runner.test('nick protection: NickServ\'s warning offers to log in; after the rename, logging in takes the nick back', async () => {
    // gwen's account is made over TCP, as any IRC client would.
    const reg = new TcpIrcClient(ircPort);
    await reg.connect();
    await reg.register('gwen');
    reg.send('REGISTER * * :gwen-secret-1');
    await reg.waitFor(/ REGISTER SUCCESS gwen /, { from: 0 });
    reg.send('QUIT');
    reg.close();
    await F.uncheck('#join-has-account');
    // A guest on a registered nick: the banner offers to log in before the grace period ends.
    await fillJoinForm(F, { nick: 'gwen', age: 40 });
    await waitStatus(F, 'connected');
    await see(F, '[data-testid=protection-banner]', 'Le pseudo gwen est enregistré. Connectez-vous dans les 10 secondes');
    await F.click('[data-testid=protection-banner] button:has-text("Se connecter")');
    await see(F, '[data-testid=account-dialog]');
    assert((await F.inputValue('#login-account')) === 'gwen', 'the login form names the registered nick');
    assert((await F.evaluate(() => document.activeElement?.id)) === 'login-password', 'the password field has the focus');
    await F.keyboard.type('gwen-secret-1');
    await F.keyboard.press('Enter');
    await see(F, '[data-testid=account-message]', 'Vous êtes connecté·e en tant que gwen.');
    await gone(F, '[data-testid=protection-banner]');
    await F.click('[data-testid=logout-button]');
    await see(F, '#join-nick');
    // This time nobody logs in: the server renames the guest, and the banner says so.
    await F.uncheck('#join-has-account');
    await fillJoinForm(F, { nick: 'gwen', age: 40 });
    await waitStatus(F, 'connected');
    await see(F, '[data-testid=protection-banner]', 'vous êtes maintenant Guest', 30_000);
    const renamed = await F.locator('[data-testid=own-nick]').innerText();
    assert(/^Guest[0-9]+$/.test(renamed), `renamed to Guest<digits>: ${renamed}`);
    await checkA11y(F, 'nick protection banner (phone)');
    await F.click('[data-testid=protection-banner] button:has-text("Se connecter")');
    await F.fill('#login-password', 'gwen-secret-1');
    await F.press('#login-password', 'Enter');
    await see(F, '[data-testid=account-message]', 'Vous êtes connecté·e en tant que gwen.');
    await see(F, '[data-testid=own-nick]', 'gwen'); // the nick taken back after the login
    await F.click('[data-testid=logout-button]');
    await see(F, '#join-nick');
    await F.context().close();
  });

  await runner.test('too many failed logins: the lockout is explained with the wait, in words', async () => {
    // Last of the login tests: the lockout also covers this address for the other logins.
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    ctx.setDefaultTimeout(T);
    const G = (pages.G = await ctx.newPage());
    watch('G', G);
    await G.goto(base);
    let text = '';
    for (let i = 0; i < 10 && !/Too many/.test(text); i++) {
      await joinWithAccount(G, 'gwen', `wrong-password-${i}`);
      await see(G, '#join-password-error');
      text = await G.locator('#join-password-error').innerText();
      assert(/Wrong account name or password\.|Too many attempts/.test(text), `a failed login in words: ${text}`);
    }
    assert(/^Too many attempts\. Try again in \d+ (seconds|minutes)\.$/.test(text), `the lockout with its wait: ${text}`);
    await ctx.close();
  });

  await conversationTests({ newPage, runner, browser, base, ircPort, pages, watch, see, gone, waitStatus, fillJoinForm, say, memberSelector, shot, checkA11y, T });
  await historyTests({ newPage, runner, browser, base, ircPort, pages, watch, see, gone, waitStatus, fillJoinForm, shot, checkA11y, T });

  await runner.test('flooding the server: disconnection explained in words, then reconnection', async () => {
    await openBuffer(A, '#friendship');
    // The server throttles bursts and disconnects a client whose queued input passes recvq
    // (8 KiB by default): 40 long lines at once do that.
    for (let i = 0; i < 40; i++) await say(A, `flood line ${i} ${'x'.repeat(360)}`);
    await see(A, '.log li.line-error', 'too much too fast (flood protection)', 20_000);
    await waitStatus(A, 'connected', 30_000);
    await see(A, memberSelector('alice_2'), undefined, 15_000);
  });

  await runConsoleTests();
  await runModerationTests();
  await runReportTests();
  await runPublicPagesTests();
  await finalChecks();
}

let exitCode = 1;
try {
  await main();
} catch (e) {
  runner.failed++;
  console.log(`FAIL setup: ${e && e.stack ? e.stack : e}`);
} finally {
  tcp?.close();
  await browser?.close().catch(() => {});
  if (server?.proc && !server.proc.exitInfo) await stopServer(server.proc).catch((e) => console.log(String(e)));
  fs.rmSync(tmp, { recursive: true, force: true });
  runner.summary();
  exitCode = runner.failed === 0 && runner.passed > 0 ? 0 : 1;
}
process.exit(exitCode);
