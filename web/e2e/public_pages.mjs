// Browser tests of the public pages, /report (the notice form, DSA Art. 16) and /transparency
// (the figures, Art. 15/24), against a server of their own with `[reports]
// form_per_ip_per_hour = 3` (so the limit is reached within the suite) and an administrator
// (moda, registered over TCP) who closes one notice through the web API. In the browser: the
// links from the join screen, the form's own checks, the child-safety "no contact needed"
// words, a notice sent and its reference followed by ?ref=, a refusal the server ties to a
// field shown next to it, references malformed and unknown, the 429 with its wait, a closed
// notice's outcome in words, and the figures reflecting the notices just sent; on a desktop
// in English and a phone in French (360×740).
import fs from 'node:fs';
import path from 'node:path';
import { TcpIrcClient, assert, sleep, startServer, stopServer } from './lib.mjs';

const ADMIN = { account: 'moda', password: 'moda-secret-1' };
const FORM_LIMIT = 3;

function writeConfig(file, distDir) {
  fs.writeFileSync(
    file,
    `# Written by web/e2e/public_pages.mjs
log_level = "info"

[web]
root = ${JSON.stringify(distDir)}

[moderation]
admins = ["${ADMIN.account}"]

[reports]
form_per_ip_per_hour = ${FORM_LIMIT}

[[rooms]]
name = "#lobby"
category = "Everyone"
description = "Open to all"
`,
  );
}

export async function publicPagesTests(ctx) {
  const { newPage, runner, bin, distDir, tmpDir, shotsDir, see, gone, shot, checkA11y } = ctx;
  const config = path.join(tmpDir, 'public.toml');
  writeConfig(config, distDir);
  const logFile = path.join(shotsDir, 'server-public.log');
  fs.writeFileSync(logFile, '');
  const dataDir = path.join(tmpDir, 'public-data');
  let server;
  let base;
  let D; // desktop, English
  let P; // phone, French
  const sent = []; // { ref, category } of the notices stored
  let noticesApi = null;

  function needNoticesApi() {
    if (noticesApi !== 400) throw new Error(`the server has no notices API: POST /api/notices with an empty object answered ${noticesApi} (400 expected; 404 means this binary predates it): ${bin}`);
  }

  /** Elements sticking out of the screen on the right (a phone must not scroll sideways). */
  function overflowing(page) {
    return page.evaluate(() =>
      [...document.querySelectorAll('.public *')]
        .filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > window.innerWidth + 1)
        .map((el) => `${el.tagName.toLowerCase()}.${el.className}`)
        .slice(0, 5),
    );
  }

  async function fillNotice(page, { category, target, text, name = '', email = '', goodFaith = true }) {
    await page.selectOption('#notice-category', category);
    await page.fill('#notice-target', target);
    await page.fill('#notice-text', text);
    await page.fill('#notice-contact_name', name);
    await page.fill('#notice-contact_email', email);
    if ((await page.isChecked('#notice-good_faith')) !== goodFaith) await page.click('#notice-good_faith');
  }

  const focusedId = (page) => page.evaluate(() => document.activeElement?.id ?? '');

  await runner.test('public pages: a server of their own (form limit 3 an hour); the API answers as documented', async () => {
    server = await startServer({ bin, config, dataDir, logFile });
    base = `http://127.0.0.1:${server.httpPort}`;
    const empty = await fetch(`${base}/api/notices`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    noticesApi = empty.status;
    needNoticesApi();
    const long = await fetch(`${base}/api/notices`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ category: 'spam', target: 'x'.repeat(201), text: 'too long a target', good_faith: true }),
    });
    const body = await long.json();
    assert(long.status === 400 && body.field === 'target', `a 201-byte target: 400 with field target (${long.status} ${JSON.stringify(body)})`);
    const figures = await fetch(`${base}/api/transparency`);
    assert(figures.status === 200, `GET /api/transparency: 200 (${figures.status})`);
  });
  if (!server) return;

  try {
    await runner.test('public pages: the join screen links to both; /report shows the form, no IRC connection', async () => {
      D = await newPage('public-desktop', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
      const sockets = [];
      D.on('websocket', (ws) => sockets.push(ws.url()));
      await D.goto(`${base}/`);
      await see(D, '.join-footer a', 'Report illegal content');
      await see(D, '.join-footer a', 'Transparency');
      await D.click('.join-footer a:has-text("Report illegal content")');
      await D.waitForURL(/\/report$/);
      await see(D, 'h1', 'Report illegal content');
      await see(D, '.public-foot a', 'Transparency');
      assert((await D.title()).startsWith('Report illegal content'), `the title names the page: ${await D.title()}`);
      const options = await D.locator('#notice-category option').allInnerTexts();
      assert(
        JSON.stringify(options.slice(1)) ===
          JSON.stringify(['Child sexual abuse', 'Grooming of a minor', 'Intimate images shared without consent', 'Threats of violence', 'Hate speech', 'Harassment', 'Illegal goods or services', 'Spam or scam', 'Something else']),
        `the nine categories in words, child safety first: ${options.join(' | ')}`,
      );
      await sleep(300);
      assert(!sockets.some((u) => /\/irc/.test(u)), `no IRC connection from /report: ${sockets.join(', ')}`);
      await checkA11y(D, 'report form (desktop)');
    });

    await runner.test('public pages: the form checks its fields before sending, the first one at fault focused', async () => {
      await D.click('.notice-form button[type=submit]');
      await see(D, '[data-testid=notice-category-error]', 'Choose the kind of content.');
      await see(D, '[data-testid=notice-target-error]', 'Say what the content is or where it is.');
      await see(D, '[data-testid=notice-text-error]', 'Explain why');
      await see(D, '[data-testid=notice-good_faith-error]', 'good faith');
      assert((await focusedId(D)) === 'notice-category', `focus on the category (${await focusedId(D)})`);
      assert((await D.getAttribute('#notice-target', 'aria-invalid')) === 'true', 'the target is marked invalid');
      await D.fill('#notice-contact_email', 'not an address');
      await D.click('.notice-form button[type=submit]');
      await see(D, '[data-testid=notice-contact_email-error]', 'e-mail address');
      await D.fill('#notice-target', 'x'.repeat(205));
      await see(D, '#notice-target-counter', '5 characters too many');
      await D.fill('#notice-contact_email', '');
    });

    await runner.test('public pages: for child safety the page says no contact details are needed (anonymous)', async () => {
      await D.selectOption('#notice-category', 'spam');
      await gone(D, '[data-testid=notice-child-safety]');
      for (const c of ['child_abuse', 'grooming', 'non_consensual']) {
        await D.selectOption('#notice-category', c);
        await see(D, '[data-testid=notice-child-safety]', 'your contact details are not required: you can send the notice anonymously');
      }
      await D.selectOption('#notice-category', 'hate');
      await gone(D, '[data-testid=notice-child-safety]');
    });

    await runner.test('public pages: a notice is sent and its reference shown, with the link that follows it', async () => {
      needNoticesApi();
      await fillNotice(D, { category: 'hate', target: '#lobby, a message by tom at 21:00', text: 'Insults against a religion,\nrepeated three times.', name: 'Rea Example', email: 'rea@example.org' });
      await D.click('.notice-form button[type=submit]');
      await see(D, '[data-testid=notice-received] h2', 'Notice received');
      const ref = (await D.locator('[data-testid=notice-ref]').innerText()).trim();
      assert(/^R-[0-9a-f]{10}$/.test(ref), `the reference R-… shown: ${ref}`);
      await see(D, '[data-testid=notice-received]', 'Keep this reference to follow your notice.');
      assert((await focusedId(D)) === 'notice-received-title', 'focus on "Notice received"');
      sent.push({ ref, category: 'hate' });
      await shot(D, 'public-report-received-desktop');
      const href = await D.getAttribute('[data-testid=notice-follow-link]', 'href');
      assert(href === `/report?ref=${ref}`, `the follow link: ${href}`);
    });

    await runner.test('public pages: /report?ref= shows the notice received, waiting for a moderator', async () => {
      needNoticesApi();
      const { ref } = sent[0];
      await D.click('[data-testid=notice-follow-link]');
      await D.waitForURL(new RegExp(`/report\\?ref=${ref}$`));
      await see(D, '[data-testid=notice-status][data-status=open]');
      await see(D, '[data-testid=notice-status-words]', 'Received, waiting for a moderator');
      await see(D, '[data-testid=notice-status]', 'Hate speech');
      await see(D, '[data-testid=notice-status] h3', `Notice ${ref}`);
      assert((await D.inputValue('#notice-ref')) === ref, 'the reference in the follow field');
      await shot(D, 'public-report-follow-desktop');
      await checkA11y(D, 'report follow (desktop)');
    });

    await runner.test('public pages: references malformed and unknown are refused in words next to the field', async () => {
      await D.fill('#notice-ref', 'R-12');
      await D.click('.follow-form button[type=submit]');
      await see(D, '#notice-ref-error', 'This is not a reference');
      await gone(D, '[data-testid=notice-status]');
      assert((await focusedId(D)) === 'notice-ref', 'focus back on the reference');
      await D.fill('#notice-ref', 'R-0000000000');
      await D.click('.follow-form button[type=submit]');
      await see(D, '#notice-ref-error', 'No notice has this reference.');
      assert((await D.getAttribute('#notice-ref', 'aria-invalid')) === 'true', 'the field is marked invalid');
    });

    await runner.test('public pages: a refusal the server ties to a field (a too-long target, client checks bypassed) shows next to it', async () => {
      needNoticesApi();
      await D.goto(`${base}/report`);
      // The client would never send this: the request is rewritten on its way to the real server.
      await D.route('**/api/notices', (route) => {
        const body = JSON.parse(route.request().postData() ?? '{}');
        return route.continue({ postData: JSON.stringify({ ...body, target: 'x'.repeat(300) }) });
      });
      await fillNotice(D, { category: 'spam', target: '#lobby', text: 'Adverts for a casino.' });
      await D.click('.notice-form button[type=submit]');
      await see(D, '[data-testid=notice-target-error][data-source=server]', 'The server refused this: say who or where in at most 200 bytes');
      assert((await focusedId(D)) === 'notice-target', `focus on the target (${await focusedId(D)})`);
      assert((await D.getAttribute('#notice-target', 'aria-describedby'))?.includes('notice-target-error'), 'the field is described by its error');
      assert((await D.locator('[data-testid=notice-received]').count()) === 0, 'nothing received');
      await D.unroute('**/api/notices');
      await shot(D, 'public-report-server-error-desktop');
    });

    await runner.test('public pages: on the phone in French, an anonymous child-safety notice, inside 360 px', async () => {
      needNoticesApi();
      P = await newPage('public-phone', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
      await P.goto(`${base}/`);
      await see(P, '.join-footer a', 'Signaler un contenu illicite');
      await see(P, '.join-footer a', 'Transparence');
      await P.goto(`${base}/report`);
      await see(P, 'h1', 'Signaler un contenu illicite');
      await P.selectOption('#notice-category', 'child_abuse');
      await see(P, '[data-testid=notice-child-safety]', 'vos coordonnées ne sont pas nécessaires : vous pouvez envoyer le signalement de façon anonyme');
      await see(P, 'label[for=notice-good_faith]', 'J’affirme de bonne foi que les informations de ce signalement sont exactes et complètes.');
      await fillNotice(P, { category: 'child_abuse', target: 'Un lien posté dans #lobby vers 21 h', text: 'Des images d’un enfant.' });
      assert((await overflowing(P)).length === 0, `nothing sticks out on the right: ${(await overflowing(P)).join(', ')}`);
      // The shot shows the category and the child-safety words at the top of the screen.
      await P.evaluate(() => document.getElementById('notice-category')?.closest('.field')?.scrollIntoView({ block: 'start' }));
      await shot(P, 'public-report-phone');
      await P.click('.notice-form button[type=submit]');
      await see(P, '[data-testid=notice-received] h2', 'Signalement reçu');
      await see(P, '[data-testid=notice-received]', 'Conservez cette référence pour suivre votre signalement.');
      const ref = (await P.locator('[data-testid=notice-ref]').innerText()).trim();
      assert(/^R-[0-9a-f]{10}$/.test(ref), `a reference: ${ref}`);
      sent.push({ ref, category: 'child_abuse' });
      assert((await overflowing(P)).length === 0, 'the reference fits');
      await shot(P, 'public-report-received-phone');
      await P.click('[data-testid=notice-follow-link]');
      await see(P, '[data-testid=notice-status-words]', 'Reçu, en attente d’un modérateur');
      await see(P, '[data-testid=notice-status]', 'Abus sexuel sur mineur');
      await checkA11y(P, 'report follow (phone, French)');
    });

    await runner.test(`public pages: past ${FORM_LIMIT} notices an hour from one address, the 429 says when to try again`, async () => {
      needNoticesApi();
      // The third notice of the hour, by the API; the fourth, from the form, is refused.
      const third = await fetch(`${base}/api/notices`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ category: 'threat', target: 'bob', text: 'He says he will hurt someone.', good_faith: true }),
      });
      const body = await third.json();
      assert(third.status === 201 && /^R-/.test(body.reference), `the third notice stored (${third.status} ${JSON.stringify(body)})`);
      sent.push({ ref: body.reference, category: 'threat' });
      await D.goto(`${base}/report`);
      await fillNotice(D, { category: 'spam', target: '#lobby', text: 'Adverts again.' });
      await D.click('.notice-form button[type=submit]');
      await see(D, '[data-testid=notice-form-error][data-status="429"]', 'Too many notices were sent from your address in the last hour. Try again in');
      const text = await D.locator('[data-testid=notice-form-error]').innerText();
      assert(/Try again in \d+ (minutes|seconds)\./.test(text), `the wait in words: ${text}`);
    });

    await runner.test('public pages: a notice closed by a moderator shows "Decided" and the outcome in words', async () => {
      needNoticesApi();
      const irc = new TcpIrcClient(server.ircPort);
      await irc.connect();
      await irc.registerWithCaps(ADMIN.account, ['standard-replies']);
      irc.send(`REGISTER * * :${ADMIN.password}`);
      await irc.waitFor(/ REGISTER SUCCESS moda /, { from: 0 });
      irc.close();
      const login = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(ADMIN) });
      assert(login.status === 200, `the administrator logs in (${login.status})`);
      const { csrf_token: csrf } = await login.json();
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const { ref } = sent[2];
      const close = await fetch(`${base}/api/reports/${ref}/close`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, Cookie: cookie },
        body: JSON.stringify({ outcome: 'action_taken', note: 'muted bob' }),
      });
      assert(close.status === 200, `the notice closed (${close.status} ${await close.text()})`);
      await D.goto(`${base}/report?ref=${ref}`);
      await see(D, '[data-testid=notice-status][data-status=closed][data-outcome=action_taken]');
      await see(D, '[data-testid=notice-status-words]', 'Decided');
      await see(D, '[data-testid=notice-outcome-words]', 'Action was taken on the content or its author.');
      await see(D, '[data-testid=notice-status] dt', 'Decided');
      const page = await D.locator('[data-testid=notice-status]').innerText();
      assert(!/muted bob|moda/.test(page), 'neither the note nor the moderator is shown');
      await shot(D, 'public-report-decided-desktop');
    });

    await runner.test('public pages: /transparency counts the notices just sent, in tables with captions', async () => {
      needNoticesApi();
      await D.goto(`${base}/report`);
      await D.click('.public-foot a:has-text("Transparency")');
      await D.waitForURL(/\/transparency$/);
      await see(D, 'h1', 'Transparency report');
      await see(D, '[data-testid=transparency]');
      // The server reads the figures again within a second of a notice stored or closed.
      let total = -1;
      for (let i = 0; i < 6; i++) {
        total = Number(await D.getAttribute('[data-testid=total-notices]', 'data-count'));
        if (total >= sent.length) break;
        await sleep(700);
        await D.reload();
        await see(D, '[data-testid=transparency]');
      }
      assert(total === sent.length, `the total counts the ${sent.length} notices sent (${total})`);
      const row = async (table, key) => Number(await D.getAttribute(`[data-testid=${table}] tr[data-key=${key}] td[data-count]`, 'data-count'));
      assert((await row('by-category', 'hate')) === 1 && (await row('by-category', 'child_abuse')) === 1 && (await row('by-category', 'threat')) === 1, 'one notice in each category sent');
      await see(D, '[data-testid=by-category] tr[data-key=child_abuse] th', 'Child sexual abuse');
      assert((await row('by-source', 'public_form')) === sent.length, 'all from the public form');
      await see(D, '[data-testid=by-source] tr[data-key=public_form] th', 'Notices from the public form');
      assert((await row('by-outcome', 'action_taken')) === 1, 'the decision counted');
      assert(Number(await D.getAttribute('[data-testid=total-decisions]', 'data-count')) === 1, 'one decision');
      const median = await D.locator('[data-testid=median]').innerText();
      assert(/^\d+\s(s|min|h|d)( \d+\s(s|min|h))?$/.test(median), `the median humanised: ${median}`);
      await see(D, '[data-testid=transparency-period]', 'From ');
      for (const id of ['by-category', 'by-source', 'by-outcome', 'by-type']) assert((await D.locator(`[data-testid=${id}] caption`).count()) === 1, `${id} has a caption`);
      const headings = await D.locator('.public-main h2').allInnerTexts();
      assert(headings.join('|') === 'In short|Notices|Decisions|Moderation actions', `the sections' headings: ${headings.join('|')}`);
      await see(D, '.public-foot a', 'Report illegal content');
      await shot(D, 'public-transparency-desktop');
      await checkA11y(D, 'transparency (desktop)');
    });

    await runner.test('public pages: /transparency on the phone in French fits 360 px; focus rings show', async () => {
      await P.goto(`${base}/transparency`);
      await see(P, 'h1', 'Rapport de transparence');
      await see(P, '[data-testid=by-category] tr[data-key=grooming] th', 'Pédopiégeage');
      await see(P, '[data-testid=transparency-period]', 'Du ');
      assert((await overflowing(P)).length === 0, `nothing sticks out on the right: ${(await overflowing(P)).join(', ')}`);
      const wide = await P.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
      assert(wide, 'the page does not scroll sideways');
      await shot(P, 'public-transparency-phone');
      await checkA11y(P, 'transparency (phone, French)');
      await D.goto(`${base}/transparency`);
      await see(D, '[data-testid=transparency]');
      await D.keyboard.press('Tab');
      await D.keyboard.press('Tab');
      const ring = await D.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert(ring !== 'none', `a visible focus ring on ${await D.evaluate(() => document.activeElement?.outerHTML.slice(0, 60))}`);
    });
  } finally {
    for (const p of [D, P]) await p?.context().close().catch(() => {});
    if (server?.proc && !server.proc.exitInfo) await stopServer(server.proc).catch((e) => console.log(String(e)));
  }
}
