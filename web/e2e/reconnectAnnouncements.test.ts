/**
 * What a screen reader says of the messages that came while the reader's connection was down:
 * once back, how many came and from whom, not only the newest as if it were the only one (the
 * reconnect names a room's newest before the missed ones are fetched).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatsButton, openRoom, panel, send } from './support/app.ts';

const ROOM = /Deep clean/;

/** Bob writes three lines while Alice's browser is offline; then she is back online. */
async function threeWhileAway(alice: { page: Page; context: { setOffline(offline: boolean): Promise<void> } }, bob: Page, tag: string): Promise<void> {
  await alice.context.setOffline(true);
  await alice.page.getByRole('status').filter({ hasText: 'You are offline' }).waitFor({ timeout: WAIT });
  for (const n of [1, 2, 3]) await send(bob, `${tag} ${n}`);
  await expect.poll(() => bob.getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
  await alice.context.setOffline(false);
}

describe.runIf(chromiumAvailable())('messages missed while offline, said to a screen reader once back', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('in the open room: "3 new messages from Bob Cleaner"', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    await threeWhileAway(alice, bob.page, 'Running late');
    const line = alice.page.locator('.arrival-status');
    await expect.poll(() => line.textContent(), { timeout: WAIT }).toBe('3 new messages from Bob Cleaner');
  });

  it('with the chat panel closed: the same, beside the Chats button', async () => {
    const { alice, bob } = app;
    await panel(alice.page).getByRole('button', { name: 'Close chat panel' }).click();
    await threeWhileAway(alice, bob.page, 'Parking');
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 3 unread');
    const line = alice.page.getByTestId('elsewhere-arrivals');
    await expect.poll(() => line.textContent(), { timeout: WAIT }).toBe('3 new messages from Bob Cleaner');
  });
});
