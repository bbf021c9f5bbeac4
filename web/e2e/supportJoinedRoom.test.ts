/**
 * A job's chat after support staff joined it, in a browser against a real server: the client's header
 * names her cleaner and the agent, and her message the cleaner has not opened reads "Sent" — the agent's
 * read mark, set at the join notice after everything, made it "Seen" — until the cleaner opens the room.
 * On the narrowest phone the names are read whole, on two lines if need be.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { wholeShown } from './support/textShown.ts';
import { TOUCH_PHONE, WAIT, messageLog, openRoom, panel, send, signIn } from './support/app.ts';

const ROOM = /Deep clean of a 2-bedroom flat/;
const KEY = 'The key is under the blue flowerpot by the back door';

describe.runIf(chromiumAvailable())("a job's chat that support joined", () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1', sam: 'support1' });

  it('names Bob and Sam to Alice, and her message reads "Sent" until Bob opens it', async () => {
    const alice = app.alice.page;
    await openRoom(alice, ROOM);
    await send(alice, KEY);
    const mine = messageLog(alice).getByRole('article', { name: 'From You' }).filter({ hasText: KEY });
    const receipt = () => mine.locator('.delivery').textContent();
    await expect.poll(receipt, { timeout: WAIT }).toBe('Sent');

    const card = app.sam.page.getByRole('region', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    await card.getByRole('button', { name: /^Join job chat/ }).click();
    await expect.poll(() => messageLog(app.sam.page).textContent(), { timeout: WAIT }).toContain(KEY);

    // Alice is told who is reading now; the agent reading does not make her message "Seen".
    const people = panel(alice).locator('.chat-room-header .chat-room-other');
    await expect.poll(() => people.textContent(), { timeout: WAIT }).toBe('Bob Cleaner, Sam Support (support)');
    // Whose presence it is, with two people named: Bob's ("· Online" after the two names read as Sam's).
    expect(await presenceOf(panel(alice).locator('.chat-room-header'))).toEqual(['Bob Cleaner: Online']);
    await expect.poll(() => messageLog(alice).textContent(), { timeout: WAIT }).toContain('Sam Support from support joined the conversation');
    // Sam's own read, sent as his room opened, has reached Alice's tab once his message after it has.
    await send(app.sam.page, 'Hello both, I am here to help');
    await expect.poll(() => messageLog(alice).textContent(), { timeout: WAIT }).toContain('Hello both, I am here to help');
    expect(await receipt()).toBe('Sent');

    // Bob opens the room: now it is seen.
    await openRoom(app.bob.page, ROOM);
    await expect.poll(receipt, { timeout: WAIT }).toBe('Seen');
    // Bob's header names Alice first, then Sam.
    expect(await panel(app.bob.page).locator('.chat-room-header .chat-room-other').textContent()).toBe('Alice Client, Sam Support (support)');
  });

  it("shows the agent's header the client and the cleaner and whether each is there, and the names whole on 320 and 375 px phones", async () => {
    const samHeader = panel(app.sam.page).locator('.chat-room-header');
    await expect.poll(() => samHeader.locator('.chat-room-other').textContent(), { timeout: WAIT }).toBe('Alice Client, Bob Cleaner');
    await samHeader.getByText('Bob Cleaner:').waitFor({ timeout: WAIT });
    // On a desktop (mouse, 1280 px) the two wrap in the panel's width: every line starts inside the header, nothing clipped.
    expect(await linesStartInside(samHeader)).toEqual([]);
    expect(await wholeShown(samHeader.locator('.chat-room-presence'))).toBe(true);
    await expect.poll(() => presenceOf(samHeader), { timeout: WAIT }).toEqual(['Alice Client: Online', 'Bob Cleaner: Online']);
    const phone = await signIn(app.browser, app.server.url, 'support1', { ...TOUCH_PHONE, viewport: { width: 320, height: 640 } });
    await openRoom(phone.page, ROOM);
    const phoneHeader = panel(phone.page).locator('.chat-room-header');
    await phoneHeader.getByText('Bob Cleaner:').waitFor({ timeout: WAIT });
    expect({ names: await wholeShown(phoneHeader.locator('.chat-room-other')), presence: await wholeShown(phoneHeader.locator('.chat-room-presence')) }).toEqual({ names: true, presence: true });
    await phone.context.close();
    for (const width of [320, 375]) {
      const { page, context } = await signIn(app.browser, app.server.url, 'client1', { ...TOUCH_PHONE, viewport: { width, height: 640 } });
      await openRoom(page, ROOM);
      const header = panel(page).locator('.chat-room-header');
      await header.getByText('Sam Support').waitFor({ timeout: WAIT });
      expect({
        width,
        names: await wholeShown(header.locator('.chat-room-other')),
        status: await wholeShown(header.getByText('Assigned')),
        presence: await wholeShown(header.locator('.chat-room-presence')),
        whose: await presenceOf(header),
      }).toEqual({ width, names: true, status: true, presence: true, whose: ['Bob Cleaner: Online'] });
      await context.close();
    }
  });
});

/** Each person's presence the header shows ("Bob Cleaner: Online"), or the one presence alone ("Online") when it names nobody. */
function presenceOf(header: Locator): Promise<string[]> {
  return header.locator('.chat-room-presence').evaluate((el) => {
    const people = [...el.querySelectorAll('.person')];
    return people.length > 0 ? people.map((p) => p.textContent ?? '') : [el.querySelector('.presence-text')?.textContent ?? ''];
  });
}

/** The words of the presence drawn left of the header's text column (cut off: "ob Cleaner: Online"), each with its left. */
function linesStartInside(header: Locator): Promise<string[]> {
  return header.evaluate((root) => {
    const column = root.querySelector('.chat-room-title')!.getBoundingClientRect();
    const outside: string[] = [];
    const walker = document.createTreeWalker(root.querySelector('.chat-room-presence')!, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const range = document.createRange();
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) if (r.width > 0 && r.left < column.left - 0.5) outside.push(`${node.textContent ?? ''} @${Math.round(r.left - column.left)}`);
    }
    return outside;
  });
}
