/**
 * Reading older messages while new ones arrive: the view stays where the
 * reader is, a "new messages" button says something came in, and the sender
 * does not see "Seen" until the reader actually gets to it.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatsButton, messageLog, openRoom, send } from './support/app.ts';

const ROOM = /Deep clean/;
const SEEDED = 40;

describe.runIf(chromiumAvailable())('new messages while reading older ones', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, async (server) => {
    const demo = server.demo;
    const bobId = demo?.users.cleaner1?.id;
    if (!demo || !bobId) throw new Error('demo data missing');
    // Enough messages that the room scrolls.
    const results = await server.store.appendMessages(
      Array.from({ length: SEEDED }, (_, i) => ({
        roomId: demo.roomId,
        senderId: bobId,
        type: 'text' as const,
        content: `Earlier line ${i + 1}`,
        clientId: `reading-${i + 1}`,
      })),
    );
    expect(results.every((r) => r.ok)).toBe(true);
  });

  it('keeps a message that arrives while scrolled up unread, offers to jump to it, and reads it there', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    const scroller = alice.page.locator('.message-list');
    await expect.poll(() => scroller.evaluate((el) => el.scrollTop > 0 && el.scrollTop + el.clientHeight >= el.scrollHeight - 4), { timeout: WAIT }).toBe(true);
    await scroller.evaluate((el) => el.scrollTo({ top: 0 }));
    await expect.poll(() => messageLog(alice.page).textContent(), { timeout: WAIT }).toContain('Earlier line 1');

    await send(bob.page, 'The door code is 4711');
    const jump = alice.page.getByRole('button', { name: '1 new message ↓' });
    await jump.waitFor({ timeout: WAIT });
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    const bobsMessage = messageLog(bob.page).getByRole('article').filter({ hasText: 'The door code is 4711' });
    await expect.poll(() => bobsMessage.locator('.delivery').textContent(), { timeout: WAIT }).toBe('Sent');

    await jump.click();
    await expect.poll(() => alice.page.getByText('The door code is 4711').isVisible(), { timeout: WAIT }).toBe(true);
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await expect.poll(() => bobsMessage.locator('.delivery').textContent(), { timeout: WAIT }).toBe('Seen');
    expect(await jump.count()).toBe(0);
  });
});
