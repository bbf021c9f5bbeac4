/**
 * Messages that come back to back into the room open at its newest, in the tab in front: the list
 * glides down to each (react-virtuoso's smooth follow), and the next comes while it is still on its
 * way. The reader watches every one of them arrive: none is "unseen", so no "New messages" line is
 * drawn above any of them, at any moment, and the room is read up to the newest.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ChatClient } from '@ecc/client';
import { nodeWebSocket } from '@ecc/client/node';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, chatsButton, messageLog, openRoom, panel } from './support/app.ts';
import { messageInView } from './support/scrollView.ts';

const ROOM = /Deep clean/;

/**
 * Starts recording whether a "New messages" line is ever drawn in the conversation (even for a
 * frame); `linesDrawn` reads what was recorded since.
 */
async function watchForLine(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { linesDrawn: string[]; lineWatch?: MutationObserver };
    w.lineWatch?.disconnect();
    w.linesDrawn = [];
    const look = () => {
      for (const line of document.querySelectorAll('.message-list [role="separator"][aria-label="New messages"]')) {
        const text = line.closest('.message-row')?.querySelector('.message-text')?.textContent ?? '?';
        if (!w.linesDrawn.includes(text)) w.linesDrawn.push(text);
      }
    };
    w.lineWatch = new MutationObserver(look);
    w.lineWatch.observe(document.body, { childList: true, subtree: true });
    look();
  });
}

function linesDrawn(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { linesDrawn: string[] }).linesDrawn);
}

describe.runIf(chromiumAvailable())('messages that come back to back into the room open at its newest', () => {
  let bob: ChatClient;
  let roomId = 0;
  const app = signedInApp(
    { alice: 'client1' },
    async (server) => {
      // Enough read history for the room to scroll.
      await seedBobLines(server, 40, 'Earlier line');
      await markDemoRoomRead(server, 'client1');
      const demo = server.demo;
      const bobUser = demo?.users.cleaner1;
      if (!demo || !bobUser) throw new Error('demo data missing');
      roomId = demo.roomId;
      const { token } = await server.login('cleaner1');
      bob = new ChatClient({ url: server.url, userId: bobUser.id, WebSocket: nodeWebSocket(token) });
      const ready = new Promise<void>((resolve) => bob.on('ready', () => resolve()));
      bob.connect();
      await ready;
    },
    // Bob writes them in one go.
    { config: { limits: { sendRateLimit: 1000 } } },
  );
  afterAll(() => bob.close());

  /** Alice's unread count of the room on the server. */
  async function aliceUnread(): Promise<number> {
    const alice = app.server.demo?.users.client1;
    if (!alice) throw new Error('demo data missing');
    const [count] = await app.server.store.unreadFor([{ userId: alice.id, roomId }]);
    return count?.unread ?? -1;
  }

  /**
   * Bob sends `count` lines back to back: each as soon as the one before is drawn in Alice's list,
   * which is then still gliding down to it (`paced`), or all in one go. Alice, at the newest, watches
   * them come: no "New messages" line is drawn at any moment, and they are all read.
   */
  async function burst(page: Page, label: string, count: number, paced = true): Promise<void> {
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await watchForLine(page);
    const texts = Array.from({ length: count }, (_, i) => `${label} ${i + 1}`);
    const sent: Promise<unknown>[] = [];
    for (const content of texts) {
      sent.push(bob.send({ roomId, content }));
      if (paced) await messageLog(page).locator('.message-text').filter({ hasText: new RegExp(`^${content}$`) }).waitFor({ timeout: WAIT });
    }
    await Promise.all(sent);
    const newest = texts.at(-1) ?? '';
    await expect.poll(() => messageInView(page, newest), { timeout: WAIT }).toBe(true);
    // Read up to the newest: on the server, and so in the badge.
    await expect.poll(aliceUnread, { timeout: WAIT }).toBe(0);
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    expect(await linesDrawn(page)).toEqual([]);
    expect(await messageLog(page).getByRole('separator', { name: 'New messages' }).count()).toBe(0);
  }

  it('draws no "New messages" line and reads them all, two, five or twenty back to back', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await expect.poll(() => messageInView(page, 'Earlier line 40'), { timeout: WAIT }).toBe(true);
    await burst(page, 'Two in a row', 2);
    await burst(page, 'Five in a row', 5);
    await burst(page, 'Twenty in a row', 20);
    // Sent in one go, they come in one draw: one follow down to the last.
    await burst(page, 'Twenty at once', 20, false);
  });

  it('on a slow machine too (the page run four and six times slower)', async () => {
    const page = app.alice.page;
    // Shown afresh, at the newest and read: no line (were one left by the test above).
    await openRoom(page, ROOM);
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    const cdp = await page.context().newCDPSession(page);
    try {
      for (const rate of [4, 6]) {
        await cdp.send('Emulation.setCPUThrottlingRate', { rate });
        await burst(page, `Slowed ${rate}x, two`, 2);
        await burst(page, `Slowed ${rate}x, five`, 5);
        await burst(page, `Slowed ${rate}x, twenty`, 20);
      }
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await cdp.detach();
    }
  });

  it('draws no line above one that comes as the room is being opened at its newest (on a slow machine)', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    const cdp = await page.context().newCDPSession(page);
    try {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 6 });
      await panel(page).getByRole('button', { name: 'Back to conversations' }).click();
      await watchForLine(page);
      await chatListItem(page, ROOM).getByRole('button').click();
      // While the list is still on its way down to the newest.
      await bob.send({ roomId, content: 'As you opened it' });
      await expect.poll(() => messageInView(page, 'As you opened it'), { timeout: WAIT }).toBe(true);
      await expect.poll(aliceUnread, { timeout: WAIT }).toBe(0);
      expect(await linesDrawn(page)).toEqual([]);
    } finally {
      await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
      await cdp.detach();
    }
  });
});
