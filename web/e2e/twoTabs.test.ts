/**
 * One person with the chat open twice (two windows, each its own socket, as
 * a laptop and a phone): what one reads is read in the other too, down to
 * where the other's "New messages" line goes; what one sends does not move
 * the other's reading place.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, chatsButton, messageLog, openRoom, panel, send, wheelTo } from './support/app.ts';

const ROOM = /Deep clean/;

describe.runIf(chromiumAvailable())('the same person in two windows', () => {
  // Enough history, read, to read further up.
  const app = signedInApp({ aliceHere: 'client1', aliceThere: 'client1', bob: 'cleaner1' }, async (server) => {
    await seedBobLines(server, 40, 'Earlier note');
    await markDemoRoomRead(server, 'client1');
  });

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

  it('leaves the other window where its reader is when one window sends', async () => {
    const { aliceHere, aliceThere, bob } = app;
    await openRoom(aliceHere.page, ROOM);
    await openRoom(aliceThere.page, ROOM);
    await openRoom(bob.page, ROOM);
    await wheelTo(aliceHere.page, 'start');

    await send(aliceThere.page, 'Sent from my phone');
    await expect.poll(() => messageLog(bob.page).getByText('Sent from my phone').count(), { timeout: WAIT }).toBe(1);
    await panel(aliceThere.page).getByRole('button', { name: 'Close chat panel' }).click();
    // Bob's answer, after it, is offered below (no window reads it): the reader is still up there.
    await send(bob.page, 'Got it');
    const offer = aliceHere.page.getByRole('button', { name: /1 new message/ });
    await expect.poll(() => offer.count(), { timeout: WAIT }).toBe(1);
    const atEnd = await aliceHere.page.locator('.message-list').evaluate((el) => el.scrollTop + el.clientHeight >= el.scrollHeight - 40);
    expect(atEnd).toBe(false);
  });
});
