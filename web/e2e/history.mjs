// Browser tests of room history and multi-line messages (issue 7): joining a room after others
// talked (CHATHISTORY: their messages in order, the new-messages divider, a date separator),
// the read position across leaving and joining again (MARKREAD), a reload that asks only for
// what it missed (CHATHISTORY AFTER), and a multi-line message (draft/multiline) that a TCP
// client without the capability receives as separate lines while the browsers show one
// message. Run from run.mjs against its server with fresh browsers: pia (desktop, English),
// quentin (phone, French), and ned over TCP (message-tags only, no draft/multiline).
import { TcpIrcClient, assert, sleep } from './lib.mjs';

/** Frames a page sent and received over its WebSockets (reloads included). */
function recordFrames(page) {
  const frames = { sent: [], received: [] };
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => frames.sent.push(String(f.payload)));
    ws.on('framereceived', (f) => frames.received.push(String(f.payload)));
  });
  return frames;
}

/** The log of the conversation on screen, as [kind, text] pairs (date separators, divider, lines). */
async function logItems(page) {
  return page.$$eval('.conversation .log li', (els) =>
    els.map((e) => [
      e.classList.contains('date-sep') ? 'date' : e.classList.contains('new-divider') ? 'divider' : e.getAttribute('data-kind'),
      e.querySelector('.text')?.textContent ?? e.textContent,
    ]),
  );
}

/** Waits for a condition on what the test has recorded (frames), at most `ms`. */
async function until(cond, what, ms = 10_000) {
  for (const end = Date.now() + ms; !cond(); ) {
    if (Date.now() > end) throw new Error(`timed out waiting for: ${what}`);
    await sleep(50);
  }
}

const messagesOf = (items) => items.filter(([k]) => k === 'message').map(([, t]) => t);

/** The item right after the divider, skipping date separators. */
function afterDivider(items) {
  const i = items.findIndex(([k]) => k === 'divider');
  return i < 0 ? null : items.slice(i + 1).find(([k]) => k !== 'date') ?? null;
}

export async function historyTests(ctx) {
  const { newPage, runner, base, ircPort, pages, watch, see, gone, waitStatus, fillJoinForm, shot, checkA11y, T } = ctx;
  const room = '#orchard';
  let P;
  let Q;
  let framesP;
  let framesQ;
  let ned;

  async function enter(page, nick, age) {
    await page.goto(base);
    await fillJoinForm(page, { nick, age });
    await waitStatus(page, 'connected');
  }
  async function joinRoom(page) {
    await page.fill('#join-other', room);
    await page.press('#join-other', 'Enter');
    await see(page, `.conversation[data-buffer="${room}"]`);
  }
  const phone = { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' };

  await runner.test('history: the server offers batch, draft/chathistory, draft/read-marker and draft/multiline', async () => {
    ned = new TcpIrcClient(ircPort);
    await ned.connect();
    ned.send('CAP LS 302');
    const ls = await ned.waitFor(/ CAP \* LS :/, { from: 0 });
    const offered = new Set(ls.replace(/^.* CAP \* LS :/, '').split(' ').map((c) => c.split('=')[0]));
    const missing = ['batch', 'draft/chathistory', 'draft/read-marker', 'draft/multiline'].filter((c) => !offered.has(c));
    assert(missing.length === 0, `the server does not offer ${missing.join(', ')}`);
    ned.send('CAP REQ :message-tags server-time');
    ned.send('NICK ned');
    ned.send('USER ned 0 * :ned over TCP');
    ned.send('CAP END');
    await ned.waitFor(/^:\S+ 001 /, { from: 0 });
    ned.send(`JOIN ${room}`);
    await ned.waitFor(/ 366 ned #orchard /, { from: 0 });
  });

  await runner.test('history: joining a room after others talked shows their messages in order, the divider and the day', async () => {
    P = await newPage('P', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    framesP = recordFrames(P);
    await enter(P, 'pia', 31);
    await joinRoom(P);
    ned.send(`PRIVMSG ${room} :first apple`);
    await see(P, '.log li.line-message', 'first apple');
    await P.fill('#composer-input', 'second apple, from pia');
    await P.press('#composer-input', 'Enter');
    await ned.waitFor(/ PRIVMSG #orchard :second apple, from pia$/, { from: 0 });
    ned.send(`PRIVMSG ${room} :third apple`);
    await see(P, '.log li.line-message', 'third apple');
    // A reaction before quentin arrives: replayed too (draft/event-playback).
    const firstId = await P.locator('.log li.line-message', { hasText: 'first apple' }).getAttribute('data-msgid');
    assert(firstId, 'the message has a msgid');
    ned.send(`@+draft/react=👍;+draft/reply=${firstId} TAGMSG ${room}`);
    await P.locator('.log li.line-message', { hasText: 'first apple' }).locator('.reaction[data-emoji="👍"]').waitFor();

    Q = await newPage('Q', phone);
    framesQ = recordFrames(Q);
    await enter(Q, 'quentin', 45);
    await joinRoom(Q);
    await see(Q, '.log li.line-message', 'third apple');
    assert(framesQ.sent.includes(`CHATHISTORY LATEST ${room} * 50`), `asked for the latest messages: ${framesQ.sent.filter((f) => f.startsWith('CHATHISTORY'))}`);
    ned.send(`PRIVMSG ${room} :live, after quentin joined`);
    await see(Q, '.log li.line-message', 'live, after quentin joined');
    const items = await logItems(Q);
    assert(JSON.stringify(messagesOf(items)) === JSON.stringify(['first apple', 'second apple, from pia', 'third apple', 'live, after quentin joined']), `in order, each once: ${JSON.stringify(items)}`);
    const selfJoin = items.findIndex(([k, t]) => k === 'join' && /Vous êtes entré·e/.test(t));
    assert(items.filter(([k, t]) => k === 'join' && /Vous êtes entré·e/.test(t)).length === 1, `"you joined" once (live and replayed): ${JSON.stringify(items)}`);
    assert(selfJoin > items.findIndex(([k]) => k === 'message'), 'the history comes before "you joined"');
    assert(items.some(([k, t]) => k === 'join' && /ned est entré·e/.test(t)), `earlier joins replayed: ${JSON.stringify(items)}`);
    const chip = Q.locator('.log li.line-message', { hasText: 'first apple' }).locator('.reaction[data-emoji="👍"]');
    assert((await chip.getAttribute('title')) === '👍 de ned', 'the reaction given before the join, replayed');
    assert(JSON.stringify(afterDivider(items)) === JSON.stringify(['message', 'first apple']), `the divider before the first message never read: ${JSON.stringify(items)}`);
    assert(items[0][0] === 'date' && /Aujourd’hui|Hier/.test(items[0][1]), `a date separator first: ${JSON.stringify(items[0])}`);
    await see(Q, '[data-testid=date-sep]', 'Aujourd’hui');
    await shot(Q, 'history-phone');
    await checkA11y(Q, 'room with history (phone)');
  });

  await runner.test('history: leaving and joining again, the divider sits between what was read and what is new', async () => {
    // quentin read everything up to "live, after quentin joined": the client tells the server.
    await until(() => framesQ.sent.some((f) => /^MARKREAD #orchard timestamp=\S+Z$/.test(f)), 'MARKREAD #orchard sent by the client');
    await Q.click('.conv-header button'); // Quitter le salon
    await gone(Q, `.conversation[data-buffer="${room}"]`);
    ned.send(`PRIVMSG ${room} :while quentin was away`);
    await see(P, '.log li.line-message', 'while quentin was away');
    const from = framesQ.received.length;
    await joinRoom(Q);
    await see(Q, '.log li.line-message', 'while quentin was away');
    assert(framesQ.received.slice(from).some((f) => / MARKREAD #orchard timestamp=\S+Z$/.test(f)), 'the server gave the read marker on JOIN');
    const items = await logItems(Q);
    assert(JSON.stringify(afterDivider(items)) === JSON.stringify(['message', 'while quentin was away']), `divider before the new message only: ${JSON.stringify(items)}`);
    assert(messagesOf(items).filter((t) => t === 'first apple').length === 1, 'the old messages are there, once');
  });

  await runner.test('multi-line: Shift+Enter, one batch; the TCP client without draft/multiline gets separate lines, the browsers one message', async () => {
    const before = await P.locator('#composer-input').evaluate((el) => el.getBoundingClientRect().height);
    await P.click('#composer-input');
    await P.keyboard.type('Line one');
    await P.keyboard.press('Shift+Enter');
    await P.keyboard.type('line two');
    await P.keyboard.press('Shift+Enter');
    await P.keyboard.type('line three');
    const after = await P.locator('#composer-input').evaluate((el) => el.getBoundingClientRect().height);
    assert(after > before, `the box grew with its lines (${before} → ${after} px)`);
    await shot(P, 'multiline-composer-desktop');
    const from = ned.lines.length;
    const sentFrom = framesP.sent.length;
    await P.keyboard.press('Enter');
    for (const text of ['Line one', 'line two', 'line three']) {
      await ned.waitFor(new RegExp(`:pia!\\S+ PRIVMSG #orchard :${text}$`), { from });
    }
    const plain = ned.lines.slice(from).filter((l) => / PRIVMSG #orchard :/.test(l)).map((l) => l.replace(/^.* PRIVMSG #orchard :/, ''));
    assert(JSON.stringify(plain) === JSON.stringify(['Line one', 'line two', 'line three']), `separate lines, in order: ${JSON.stringify(plain)}`);
    assert(!ned.lines.slice(from).some((l) => / BATCH /.test(l)), 'no batch for a client without the capability');
    // Frame events come through the browser's DevTools channel, which may lag behind what the
    // server already delivered over TCP: wait for the frame (up to 5 s) before judging.
    const sentBatch = () => framesP.sent.slice(sentFrom).some((f) => /^BATCH \+\S+ draft\/multiline #orchard$/.test(f));
    for (let waited = 0; !sentBatch() && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    assert(sentBatch(), 'pia sent a draft/multiline batch');
    for (const page of [P, Q]) {
      const li = page.locator('.log li.line-message', { hasText: 'line two' });
      await li.first().waitFor();
      assert((await li.count()) === 1, 'one message');
      assert((await li.locator('.text.multi').innerText()) === 'Line one\nline two\nline three', 'with its line breaks');
    }
    // A long line: cut for the wire, whole on screen.
    const long = Array.from({ length: 90 }, (_, i) => `word${i}`).join(' ');
    const from2 = ned.lines.length;
    await P.fill('#composer-input', long);
    await P.press('#composer-input', 'Enter');
    await see(Q, '.log li.line-message', 'word89');
    const pieces = ned.lines.slice(from2).filter((l) => / PRIVMSG #orchard :/.test(l)).map((l) => l.replace(/^.* PRIVMSG #orchard :/, ''));
    assert(pieces.length >= 2 && pieces.join('') === long, `several lines over TCP that join back into the message: ${pieces.length}`);
    assert((await Q.locator('.log li.line-message', { hasText: 'word89' }).count()) === 1, 'one message on the phone');
    await shot(Q, 'multiline-phone');
  });

  await runner.test('history: a reloaded tab keeps its messages and asks only for what came after', async () => {
    const sentFrom = framesQ.sent.length;
    // ned speaks once quentin's old page has gone, before the new one is back in the room.
    const quit = ned.waitFor(/^(@\S+ )?:quentin!\S+ QUIT /, { timeoutMs: 15_000 }).then(() => ned.send(`PRIVMSG ${room} :during the reload`));
    await Q.reload();
    await quit;
    await waitStatus(Q, 'connected');
    await see(Q, '.log li.line-message', 'during the reload');
    const asked = framesQ.sent.slice(sentFrom).filter((f) => f.startsWith('CHATHISTORY'));
    assert(asked.length >= 1 && asked.every((f) => /^CHATHISTORY AFTER #orchard timestamp=\S+Z 50$/.test(f)), `only what came after was asked for: ${JSON.stringify(asked)}`);
    const items = await logItems(Q);
    const messages = messagesOf(items);
    for (const text of ['first apple', 'while quentin was away', 'during the reload']) {
      assert(messages.filter((t) => t === text).length === 1, `"${text}" once after the reload: ${JSON.stringify(messages)}`);
    }
    assert(messages.filter((t) => t.startsWith('Line one')).length === 1, 'the multi-line message once, whole');
    assert(JSON.stringify(afterDivider(items)) === JSON.stringify(['message', 'during the reload']), `the divider before what was missed: ${JSON.stringify(items)}`);
  });

  await runner.test('history: a newcomer gets the multi-line message from history as one message', async () => {
    const R = await newPage('R', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    await enter(R, 'rosa', 52);
    await joinRoom(R);
    const li = R.locator('.log li.line-message', { hasText: 'line two' });
    await li.first().waitFor();
    assert((await li.count()) === 1 && (await li.locator('.text.multi').innerText()) === 'Line one\nline two\nline three', 'replayed whole');
    await checkA11y(R, 'room with history (desktop)');
    await R.context().close();
  });

  await runner.test('history: clean up', async () => {
    ned?.send('QUIT');
    ned?.close();
    for (const p of [P, Q]) await p?.context().close();
  });
}
