/**
 * One person with the chat open twice (two windows, each its own socket):
 * what one reads is read in the other too, down to where the other's
 * "New messages" line goes.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatsButton, messageLog, openRoom, panel, send } from './support/app.ts';

const ROOM = /Deep clean/;

describe.runIf(chromiumAvailable())('the same person in two windows', () => {
  const app = signedInApp({ aliceHere: 'client1', aliceThere: 'client1', bob: 'cleaner1' });

  it('puts the "New messages" line below what the other window read', async () => {
    const { aliceHere, aliceThere, bob } = app;
    await openRoom(bob.page, ROOM);
    for (const text of ['Running late', 'Stuck in traffic', 'There in ten']) await send(bob.page, text);
    await expect.poll(() => chatsButton(aliceHere.page).getAttribute('aria-label'), { timeout: WAIT }).toMatch(/^Chats, \d+ unread$/);

    // Read in the other window, which then closes the room.
    await openRoom(aliceThere.page, ROOM);
    await expect.poll(() => chatsButton(aliceHere.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await panel(aliceThere.page).getByRole('button', { name: 'Close chat panel' }).click();

    await send(bob.page, 'Parking now');
    await expect.poll(() => chatsButton(aliceHere.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    await openRoom(aliceHere.page, ROOM);
    const rowWithLine = messageLog(aliceHere.page).locator('.message-row').filter({ has: aliceHere.page.getByRole('separator', { name: 'New messages' }) });
    await expect.poll(() => rowWithLine.textContent(), { timeout: WAIT }).toContain('Parking now');
    expect(await rowWithLine.count()).toBe(1);
  });
});
