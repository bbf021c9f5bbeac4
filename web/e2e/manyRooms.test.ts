/**
 * A support agent with 3,000 rooms (support rooms never close): the chat list draws only the rows
 * in view, yet shows the right rooms in the right order, scrolls to the last one, moves a room
 * from far down to the top with its badge when a message arrives, and keeps keyboard use working.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ChatClient } from '@ecc/client';
import { nodeWebSocket } from '@ecc/client/node';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, openPanel, panel } from './support/app.ts';
import { seedSupportRooms, type ManyRooms } from './support/manyRooms.ts';

const COUNT = 3000;

describe.runIf(chromiumAvailable())('the chat list of a support agent with 3,000 rooms', () => {
  let many: ManyRooms;
  const app = signedInApp({ sam: 'support1' }, async (server) => {
    many = await seedSupportRooms(server, COUNT);
  });

  const list = (page: Page) => panel(page).getByRole('list', { name: 'Conversations' });
  const row = (page: Page, roomId: number) => list(page).locator(`[data-room-id="${roomId}"]`);
  /** The room ids of the rows drawn, top to bottom. */
  const drawnIds = (page: Page) => list(page).locator('[data-room-id]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-room-id'))));
  const focusedRoomId = (page: Page) => page.evaluate(() => Number(document.activeElement?.getAttribute('data-room-id') ?? NaN));

  /** The list freshly opened, scrolled to its top. */
  async function showList(page: Page): Promise<void> {
    await openPanel(page);
    const back = panel(page).getByRole('button', { name: 'Back to conversations' });
    if (await back.isVisible()) await back.click();
    await panel(page).getByRole('button', { name: 'Close chat panel' }).click();
    await openPanel(page);
    await list(page).locator('[data-room-id]').first().waitFor({ timeout: WAIT });
  }

  it('shows the most recently active rooms first, with their unread badges, drawing only the rows in view', async () => {
    const page = app.sam.page;
    await showList(page);
    const newestFirst = [...many.rooms].reverse();
    const ids = await drawnIds(page);
    expect(ids.length).toBeGreaterThan(5);
    expect(ids.length).toBeLessThan(60);
    expect(ids).toEqual(newestFirst.slice(0, ids.length).map((r) => r.id));
    // Room i is unread when i is a multiple of 10: the top room (3000) is, the next nine are not.
    await expect.poll(() => row(page, newestFirst[0]!.id).textContent(), { timeout: WAIT }).toContain('1 unread');
    expect(await row(page, newestFirst[1]!.id).textContent()).not.toContain('unread');
    expect(await row(page, newestFirst[0]!.id).textContent()).toContain(`${newestFirst[0]!.client.displayName}: ${newestFirst[0]!.question}`);
    expect(await list(page).getByRole('listitem').first().getAttribute('aria-setsize')).toBe(String(COUNT));
  });

  it('scrolls down to the last (oldest) room', async () => {
    const page = app.sam.page;
    await showList(page);
    const scroller = panel(page).locator('.chat-list-scroller');
    const oldest = many.rooms[0]!;
    await scroller.hover();
    for (let i = 0; i < 400 && !(await row(page, oldest.id).isVisible()); i++) await page.mouse.wheel(0, 4000);
    await expect.poll(() => row(page, oldest.id).isVisible(), { timeout: WAIT }).toBe(true);
    expect(await row(page, oldest.id).textContent()).toContain(oldest.question);
    const ids = await drawnIds(page);
    expect(ids.at(-1)).toBe(oldest.id);
  });

  it('moves a room from far down to the top with its badge when its client writes', async () => {
    const page = app.sam.page;
    await showList(page);
    const far = many.rooms[5]!;
    const { token } = await app.server.login(far.client.username);
    const client = new ChatClient({ url: app.server.url, userId: far.client.id, WebSocket: nodeWebSocket(token) });
    try {
      client.connect();
      await client.send({ roomId: far.id, content: 'Is anyone there? The cleaner did not come.' });
      await expect.poll(async () => (await drawnIds(page))[0], { timeout: WAIT }).toBe(far.id);
      const top = list(page).getByRole('listitem').first();
      await expect.poll(() => top.textContent(), { timeout: WAIT }).toContain('Is anyone there?');
      expect(await top.textContent()).toContain('1 unread');
      // The others moved down one place, in the same order.
      const ids = await drawnIds(page);
      expect(ids.slice(1, 4)).toEqual([...many.rooms].reverse().slice(0, 3).map((r) => r.id));
    } finally {
      client.close();
    }
  });

  it('goes row by row with Tab past the rows first drawn, and to the last room with End', async () => {
    const page = app.sam.page;
    await showList(page);
    const order = await drawnIds(page);
    await row(page, order[0]!).focus();
    await expect.poll(() => focusedRoomId(page), { timeout: WAIT }).toBe(order[0]);
    // At a quick key-repeat pace.
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      await page.waitForTimeout(30);
    }
    // 40 rows down: further than the rows drawn at first, in list order.
    const all = [order[0]!, ...[...many.rooms].reverse().map((r) => r.id).filter((id) => id !== order[0])];
    expect(await focusedRoomId(page)).toBe(all[40]);
    await page.keyboard.press('ArrowDown');
    expect(await focusedRoomId(page)).toBe(all[41]);
    await page.keyboard.press('End');
    await expect.poll(() => focusedRoomId(page), { timeout: WAIT }).toBe(all.at(-1));
    await page.keyboard.press('Home');
    await expect.poll(() => focusedRoomId(page), { timeout: WAIT }).toBe(all[0]);
  });

  it('opens a room far down with Enter, and Back returns focus to its row', async () => {
    const page = app.sam.page;
    await showList(page);
    const first = list(page).locator('[data-room-id]').first();
    await first.focus();
    await expect.poll(() => page.evaluate(() => document.activeElement?.hasAttribute('data-room-id')), { timeout: WAIT }).toBe(true);
    await page.keyboard.press('End');
    const last = many.rooms[0]!;
    await expect.poll(() => focusedRoomId(page), { timeout: WAIT }).toBe(last.id);
    await page.keyboard.press('Enter');
    await page.getByLabel('Message', { exact: true }).waitFor({ timeout: WAIT });
    const back = panel(page).getByRole('button', { name: 'Back to conversations' });
    await back.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => focusedRoomId(page), { timeout: WAIT }).toBe(last.id);
  });
});
