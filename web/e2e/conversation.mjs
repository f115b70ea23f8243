// Browser tests of what happens around messages (issue 7): typing notifications sent and
// shown, reactions, replies. Run from run.mjs against its server, with two fresh browsers
// (hana: desktop, English; kim: phone, French) and a plain TCP client that negotiated
// message-tags, so that it sees the client tags exactly as sent.
import { TcpIrcClient, assert, sleep } from './lib.mjs';

/** A TCP client with message-tags (and nothing else), registered and in `room`. */
async function tagClient(ircPort, nick, room) {
  const c = new TcpIrcClient(ircPort);
  await c.connect();
  await c.registerWithCaps(nick, ['message-tags']);
  c.send(`JOIN ${room}`);
  await c.waitFor(new RegExp(` 366 ${nick} ${room} `), { from: 0 });
  return c;
}

/** The line of the log that holds `text`. */
function message(page, text) {
  return page.locator('.log li.line-message', { hasText: text }).first();
}

export async function conversationTests(ctx) {
  const { newPage, runner, base, ircPort, pages, watch, see, gone, waitStatus, fillJoinForm, say, memberSelector, shot, checkA11y, T } = ctx;
  const room = '#garden';
  let H;
  let K;
  let tcp;

  await runner.test('conversation: two browsers and a tagged TCP client in a new room', async () => {
    H = await newPage('H', { viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    K = await newPage('K', { viewport: { width: 360, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'fr-FR' });
    for (const [page, nick, age] of [
      [H, 'hana', 34],
      [K, 'kim', 26],
    ]) {
      await page.goto(base);
      await fillJoinForm(page, { nick, age });
      await waitStatus(page, 'connected');
      await page.fill('#join-other', room);
      await page.press('#join-other', 'Enter');
      await see(page, `.conversation[data-buffer="${room}"]`);
    }
    await see(H, memberSelector('kim'));
    tcp = await tagClient(ircPort, 'lou', room);
    await see(H, memberSelector('lou'));
  });

  await runner.test('typing: sent as +typing TAGMSGs while typing, shown in the other browser, gone when the message is sent or the box emptied', async () => {
    const from = tcp.lines.length;
    await K.click('#composer-input');
    await K.keyboard.type('Bonjour', { delay: 30 });
    await see(H, '[data-testid=typing]', 'kim is typing…');
    await tcp.waitFor(/^@(\S+;)?\+typing=active(;\S+)? :kim!\S+ TAGMSG #garden$/, { from });
    await shot(H, 'typing-desktop');
    await K.keyboard.press('Enter');
    await see(H, '.log li.line-message', 'Bonjour');
    await gone(H, '[data-testid=typing]');
    await tcp.waitFor(/^@(\S+;)?\+typing=done(;\S+)? :kim!\S+ TAGMSG #garden$/, { from });
    // Typed, then emptied without sending: "done" (after the 3 s the spec requires between two).
    const again = tcp.lines.length;
    await K.keyboard.type('oups', { delay: 30 });
    await see(H, '[data-testid=typing]', 'kim is typing…');
    await K.fill('#composer-input', '');
    await tcp.waitFor(/^@(\S+;)?\+typing=done(;\S+)? :kim!\S+ TAGMSG #garden$/, { from: again });
    await gone(H, '[data-testid=typing]');
    assert(!tcp.lines.slice(from).some((l) => / TAGMSG /.test(l) && !/^@(\S+;)?\+typing=(active|paused|done)(;\S+)? :kim!/.test(l)), 'only typing TAGMSGs from kim');
  });

  let firstId;
  await runner.test('reactions: the picker on a message, the reaction with its count and who gave it in the other browser', async () => {
    await say(H, 'Who wants to plant tomatoes?');
    await see(K, '.log li.line-message', 'Who wants to plant tomatoes?');
    const line = tcp.lines.find((l) => l.endsWith('PRIVMSG #garden :Who wants to plant tomatoes?'));
    firstId = /(?:^@|;)msgid=([^; ]+)/.exec(line ?? '')?.[1];
    assert(firstId, `the message has a msgid over TCP: ${line}`);
    // kim (phone: the actions are always shown) reacts with the picker.
    const onK = message(K, 'Who wants to plant tomatoes?');
    const from = tcp.lines.length;
    await onK.locator('.action-react').click();
    await see(K, '[data-testid=reaction-picker]');
    await shot(K, 'reaction-picker-phone');
    await K.locator('[data-testid=reaction-picker] button[aria-label="Réagir avec 👍"]').click();
    await gone(K, '[data-testid=reaction-picker]');
    await tcp.waitFor((l) => l.startsWith('@') && l.includes('+draft/react=👍') && l.includes(`+draft/reply=${firstId}`) && / :kim!\S+ TAGMSG #garden$/.test(l), { from });
    const onH = message(H, 'Who wants to plant tomatoes?');
    await onH.locator('.reaction[data-emoji="👍"]').waitFor();
    assert((await onH.locator('.reaction[data-emoji="👍"] .count').innerText()) === '1', 'one 👍');
    assert((await onH.locator('.reaction[data-emoji="👍"]').getAttribute('title')) === '👍 from kim', 'who reacted, in words');
    // hana (desktop: hover shows the actions) reacts too, from the keyboard.
    await onH.hover();
    await onH.locator('.action-react').focus();
    await H.keyboard.press('Enter');
    await see(H, '[data-testid=reaction-picker]');
    await H.keyboard.press('ArrowRight'); // ❤️
    await H.keyboard.press('ArrowLeft'); // back to 👍
    await H.keyboard.press('Enter');
    const chipK = message(K, 'Who wants to plant tomatoes?').locator('.reaction[data-emoji="👍"]');
    await K.waitForFunction((el) => el?.querySelector('.count')?.textContent === '2', await chipK.elementHandle());
    assert((await chipK.getAttribute('title')) === '👍 de vous, hana', `kim sees both, herself as "vous": ${await chipK.getAttribute('title')}`);
    assert((await chipK.getAttribute('aria-pressed')) === 'true', 'kim’s own reaction is marked');
    // A reaction from the TCP client counts too.
    tcp.send(`@+draft/react=🎉;+draft/reply=${firstId} TAGMSG #garden`);
    await message(H, 'Who wants to plant tomatoes?').locator('.reaction[data-emoji="🎉"]').waitFor();
    await shot(H, 'reactions-desktop');
    await checkA11y(H, 'reactions (desktop)');
    await checkA11y(K, 'reactions (phone)');
  });

  await runner.test('replies: quoted above the composer, "in reply to" on the message in both browsers, a click jumps to the original', async () => {
    const onK = message(K, 'Who wants to plant tomatoes?');
    await onK.locator('.action-reply').click();
    await see(K, '[data-testid=replying]', 'Réponse à hana : Who wants to plant tomatoes?');
    // Escape cancels; reply again.
    await K.press('#composer-input', 'Escape');
    await gone(K, '[data-testid=replying]');
    await onK.locator('.action-reply').click();
    await see(K, '[data-testid=replying]', 'hana');
    await shot(K, 'replying-phone');
    const from = tcp.lines.length;
    await K.keyboard.type('Moi ! J’ai des graines.');
    await K.keyboard.press('Enter');
    await gone(K, '[data-testid=replying]');
    await tcp.waitFor((l) => l.includes(`+draft/reply=${firstId}`) && / :kim!\S+ PRIVMSG #garden :Moi ! J’ai des graines\.$/.test(l), { from });
    const answerH = message(H, 'Moi ! J’ai des graines.');
    await answerH.locator('[data-testid=reply-ref]').waitFor();
    assert((await answerH.locator('[data-testid=reply-ref]').innerText()).includes('in reply to hana: Who wants to plant tomatoes?'), 'the reply names the original in English');
    await see(K, '.log li.line-message [data-testid=reply-ref]', 'en réponse à hana : Who wants to plant tomatoes?');
    // A reply from the TCP client, well below the original, shows on both; clicking its
    // reference brings the original into view and gives it the focus.
    for (let i = 0; i < 25; i++) tcp.send(`PRIVMSG #garden :filler ${i}`);
    tcp.send(`@+draft/reply=${firstId} PRIVMSG #garden :me too`);
    await see(H, '.log li.line-message', 'me too');
    await see(K, '.log li.line-message', 'me too');
    const meToo = message(H, 'me too').locator('[data-testid=reply-ref]');
    assert((await meToo.innerText()).includes('in reply to hana: Who wants to plant tomatoes?'), 'the TCP reply names the original');
    await sleep(200);
    const original = message(H, 'Who wants to plant tomatoes?');
    const inView = () =>
      original.evaluate((el) => {
        const log = el.closest('.log').getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return r.top >= log.top && r.bottom <= log.bottom;
      });
    assert(!(await inView()), 'the original has scrolled out of view');
    await meToo.click();
    await H.waitForFunction((id) => document.activeElement?.getAttribute('data-msgid') === id, firstId);
    assert(await original.evaluate((el) => el.classList.contains('flash')), 'the original is highlighted');
    assert(await inView(), 'the original is scrolled into view');
    await shot(H, 'reply-desktop');
    await checkA11y(K, 'reply (phone)');
  });

  await runner.test('conversation: clean up', async () => {
    tcp?.send('QUIT');
    tcp?.close();
    for (const p of [H, K]) await p?.context().close();
  });
}
