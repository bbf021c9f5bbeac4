/**
 * An edit being typed is kept in the room's draft, not in its row: it is there
 * as it was left after scrolling far enough for the list to drop the row, after
 * going back to the chat list, and after a reload of the tab.
 */
import { describe, expect, it } from 'vitest';
import type { TestServer } from '@ecc/server/testing';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, backInRoom, messageLog, openRoom, send, wheelTo } from './support/app.ts';

const ROOM = /Deep clean/;
const EDITED = 'Gate code 4711, then the second door on the left, key under the blue pot';

/** A conversation long enough that scrolling to its start takes Alice's newest message out of the list. */
async function seedLongRoom(server: TestServer): Promise<void> {
  await seedBobLines(server, 120, 'Earlier line');
  await markDemoRoomRead(server, 'client1');
}

describe.runIf(chromiumAvailable())('an edit in progress', () => {
  const app = signedInApp({ alice: 'client1' }, seedLongRoom);

  it('is kept while its row is scrolled out of the list, the room is left, and the tab is reloaded', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await send(page, 'Meet at the north entrance');
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Meet at the north entrance' });
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    // In the conversation: while a room opens, rows standing in for its list (OpeningRows, inert) show the box too.
    const editBox = messageLog(page).getByLabel('Edit text');
    await editBox.fill(EDITED);

    // Far up the conversation: react-virtuoso has unmounted the row being edited.
    await wheelTo(page, 'start');
    await expect.poll(() => editBox.count(), { timeout: WAIT }).toBe(0);
    expect(await mine.count()).toBe(0);
    await wheelTo(page, 'end');
    await expect.poll(() => editBox.count(), { timeout: WAIT }).toBe(1);
    expect(await editBox.inputValue()).toBe(EDITED);

    // Back to the list, then the room again.
    await openRoom(page, ROOM);
    await expect.poll(() => editBox.count(), { timeout: WAIT }).toBe(1);
    expect(await editBox.inputValue()).toBe(EDITED);

    await page.reload();
    await backInRoom(page, ROOM);
    await expect.poll(() => editBox.count(), { timeout: WAIT }).toBe(1);
    expect(await editBox.inputValue()).toBe(EDITED);

    // Saved, the edit ends: the message shows it, and a later reload brings no box back.
    // The list is shown (not hidden while react-virtuoso settles on its newest message) before a key goes to it.
    await editBox.waitFor({ state: 'visible', timeout: WAIT });
    await editBox.press('Enter');
    const edited = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: EDITED });
    await expect.poll(() => edited.textContent(), { timeout: WAIT }).toContain('(edited)');
    expect(await editBox.count()).toBe(0);
    await page.reload();
    await backInRoom(page, ROOM);
    await expect.poll(() => edited.count(), { timeout: WAIT }).toBe(1);
    expect(await editBox.count()).toBe(0);
  });
});
