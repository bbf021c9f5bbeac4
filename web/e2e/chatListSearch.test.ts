/**
 * A support agent with a long chat list finds a conversation by typing a client's name, without
 * its accents, opens it from the keyboard, comes back to the same search, and clears it with Escape.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { User } from '@ecc/protocol';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, openPanel, panel, signIn } from './support/app.ts';
import { seedSupportRooms, type ManyRooms } from './support/manyRooms.ts';

const COUNT = 600;

describe.runIf(chromiumAvailable())('searching the chat list of a support agent with many rooms', () => {
  let many: ManyRooms;
  let zoeRoomId = 0;
  const app = signedInApp({ sam: 'support1' }, async (server) => {
    const stored = await server.store.findUserByUsername('support1');
    if (!stored) throw new Error('demo data missing');
    // Her room first, so the hundreds after it are more recent: far down the list.
    const zoe: User = await server.store.createUser({ username: 'zoe.lefevre', displayName: 'Zoë Lefèvre', role: 'client', passwordHash: stored.passwordHash });
    zoeRoomId = await server.store.createRoom({ type: 'support', name: `Support · ${zoe.displayName}`, jobId: null, participantIds: [zoe.id, stored.id] });
    await server.store.appendMessages([{ roomId: zoeRoomId, senderId: zoe.id, type: 'text', content: 'My oven was not cleaned', clientId: 'zoe-1' }]);
    many = await seedSupportRooms(server, COUNT);
  });

  const list = (page: Page) => panel(page).getByRole('list', { name: 'Conversations' });
  const search = (page: Page) => panel(page).getByRole('searchbox', { name: 'Search conversations' });
  const drawnIds = (page: Page) => list(page).locator('[data-room-id]').evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-room-id'))));
  const setSize = (page: Page) => list(page).getByRole('listitem').first().getAttribute('aria-setsize');

  it('types a name without its accents, opens the match with the keyboard, and finds the search again on Back', async () => {
    const page = app.sam.page;
    await openPanel(page);
    await list(page).locator('[data-room-id]').first().waitFor({ timeout: WAIT });
    expect(await drawnIds(page)).not.toContain(zoeRoomId);

    await search(page).click();
    await page.keyboard.type('zoe lefev', { delay: 20 });
    await expect.poll(() => drawnIds(page), { timeout: WAIT }).toEqual([zoeRoomId]);
    expect(await list(page).textContent()).toContain('Zoë Lefèvre: My oven was not cleaned');

    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-room-id')), { timeout: WAIT }).toBe(String(zoeRoomId));
    await page.keyboard.press('Enter');
    await panel(page).getByRole('heading', { name: 'Support · Zoë Lefèvre' }).waitFor({ timeout: WAIT });

    await panel(page).getByRole('button', { name: 'Back to conversations' }).click();
    expect(await search(page).inputValue()).toBe('zoe lefev');
    await expect.poll(() => drawnIds(page), { timeout: WAIT }).toEqual([zoeRoomId]);

    // Escape clears the search (all rooms again, the newest first), a second one closes the panel.
    await search(page).focus();
    await page.keyboard.press('Escape');
    expect(await search(page).inputValue()).toBe('');
    await expect.poll(() => setSize(page), { timeout: WAIT }).toBe(String(COUNT + 1));
    expect((await drawnIds(page))[0]).toBe(many.rooms.at(-1)?.id);
    await page.keyboard.press('Escape');
    await panel(page).waitFor({ state: 'hidden', timeout: WAIT });
    await openPanel(page);
    expect(await search(page).inputValue()).toBe('');
  });

  it('on a touch phone, keeps the end of what is typed clear of the × (a tap there to go on typing cleared the search)', async () => {
    const { page, context } = await signIn(app.browser, app.server.url, 'support1', TOUCH_PHONE);
    await openPanel(page);
    await search(page).fill('booking question from a client about the oven');
    const clear = await panel(page).getByRole('button', { name: 'Clear search' }).boundingBox();
    // Where the box's text may go: inside its border and padding.
    const textEnd = await search(page).evaluate((el) => {
      const style = getComputedStyle(el);
      return el.getBoundingClientRect().right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
    });
    expect(clear && clear.x).toBeGreaterThanOrEqual(textEnd);
    await context.close();
  });
});
