/**
 * Reading older messages while new ones arrive: the view stays where the
 * reader is, a "new messages" button says something came in, and the sender
 * does not see "Seen" until the reader actually gets to it.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, chatsButton, messageLog, openRoom, send, wheelTo } from './support/app.ts';

const ROOM = /Deep clean/;
const SEEDED = 40;

describe.runIf(chromiumAvailable())('new messages while reading older ones', () => {
  // Enough messages that the room scrolls.
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, (server) => seedBobLines(server, SEEDED, 'Earlier line'));

  /** Whether the message with exactly this text is inside the scrolled view of the conversation. */
  async function inView(page: Page, text: string): Promise<boolean> {
    const bubble = messageLog(page).getByText(text, { exact: true });
    if ((await bubble.count()) === 0) return false;
    return bubble.evaluate((el) => {
      const view = el.closest('.message-list')?.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return view !== undefined && box.top >= view.top && box.bottom <= view.bottom;
    });
  }

  it('opens a room with many new messages at the first of them, under a "New messages" line', async () => {
    const { alice } = app;
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe(`Chats, ${SEEDED} unread`);
    await openRoom(alice.page, ROOM);
    const line = messageLog(alice.page).getByRole('separator', { name: 'New messages' });
    await expect.poll(() => line.isVisible(), { timeout: WAIT }).toBe(true);
    // The first new one is in view and the newest is not: the list did not jump past them to the end.
    await expect.poll(() => inView(alice.page, 'Earlier line 1'), { timeout: WAIT }).toBe(true);
    expect(await inView(alice.page, `Earlier line ${SEEDED}`)).toBe(false);
    // Above the line, what was read before.
    const texts = await messageLog(alice.page).locator('.message-row').allTextContents();
    const lineAt = texts.findIndex((t) => t.includes('New messages'));
    expect(texts[lineAt]).toContain('Earlier line 1');
    expect(texts.slice(0, lineAt).some((t) => t.includes('Earlier line'))).toBe(false);
    // The new ones below the view are not read yet (Bob would see "Seen" for lines Alice never had on screen)...
    await new Promise((r) => setTimeout(r, 1000));
    expect(await chatsButton(alice.page).getAttribute('aria-label')).toBe(`Chats, ${SEEDED} unread`);
    // ...until the list reaches the newest.
    await expect
      .poll(async () => {
        await wheelTo(alice.page, 'end');
        return inView(alice.page, `Earlier line ${SEEDED}`);
      }, { timeout: WAIT })
      .toBe(true);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
  });

  it('keeps a message that arrives while scrolled up unread, offers to jump to it, and reads it there', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    // Settled at the newest (nothing is new for Alice any more: no "New messages" line to open at).
    await expect.poll(() => inView(alice.page, `Earlier line ${SEEDED}`), { timeout: WAIT }).toBe(true);
    await wheelTo(alice.page, 'start');
    expect(await inView(alice.page, `Earlier line ${SEEDED}`)).toBe(false);

    await send(bob.page, 'The door code is 4711');
    // Bob's room opened at its "New messages" line, far from the end: what he sends is shown all the same.
    await expect.poll(() => inView(bob.page, 'The door code is 4711'), { timeout: WAIT }).toBe(true);
    const jump = alice.page.getByRole('button', { name: '1 new message ↓' });
    await jump.waitFor({ timeout: WAIT });
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    const bobsMessage = messageLog(bob.page).getByRole('article').filter({ hasText: 'The door code is 4711' });
    await expect.poll(() => bobsMessage.locator('.delivery').textContent(), { timeout: WAIT }).toBe('Sent');

    await jump.click();
    await expect.poll(() => messageLog(alice.page).getByText('The door code is 4711').isVisible(), { timeout: WAIT }).toBe(true);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await expect.poll(() => bobsMessage.locator('.delivery').textContent(), { timeout: WAIT }).toBe('Seen');
    expect(await jump.count()).toBe(0);
  });

  it('does not move the newest message out of view when it is pointed at (its actions float over it)', async () => {
    const { alice } = app;
    const scroller = alice.page.locator('.message-list');
    await wheelTo(alice.page, 'end');
    await expect.poll(() => inView(alice.page, 'The door code is 4711'), { timeout: WAIT }).toBe(true);
    const heightBefore = await scroller.evaluate((el) => el.scrollHeight);
    const newest = messageLog(alice.page).getByRole('article').filter({ hasText: 'The door code is 4711' });
    await newest.hover();
    await newest.getByRole('button', { name: /Reply/ }).waitFor({ state: 'visible', timeout: WAIT });
    expect(await scroller.evaluate((el) => el.scrollHeight)).toBe(heightBefore);
    expect(await inView(alice.page, 'The door code is 4711')).toBe(true);
  });
});
