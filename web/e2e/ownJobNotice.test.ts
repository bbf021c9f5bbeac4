/**
 * A job's notice in its room ("Bob Cleaner accepted the job", "Status changed to Cancelled by
 * Alice Client") is news to the other person, not to the one who clicked: their badge must not go
 * up for their own click, nor their room show it under a "New messages" line.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, chatsButton, messageLog, openPanel, openRoom } from './support/app.ts';

describe.runIf(chromiumAvailable())("the notice of one's own job change", () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('leaves the unread count of the cleaner who accepted a job as it was', async () => {
    const { bob } = app;
    // The demo room holds one message Bob has not read.
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    await bob.page.getByRole('listitem', { name: /Window cleaning, terraced house/ }).getByRole('button', { name: 'Accept job' }).click();
    await openPanel(bob.page);
    await expect.poll(() => chatListItem(bob.page, /Window cleaning, terraced house/).textContent(), { timeout: WAIT }).toContain('Bob Cleaner accepted the job');
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
  });

  it("counts a client's cancel as news for the cleaner only, and shows it to the client with no \"New messages\" line", async () => {
    const { alice, bob } = app;
    // Alice has read the demo room; Bob still has his one unread message there.
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    const card = alice.page.getByRole('listitem', { name: /Deep clean of a 2-bedroom flat/ });
    await card.getByRole('button', { name: 'Cancel job' }).click();
    await card.getByRole('button', { name: 'Yes, cancel job' }).click();
    await openPanel(alice.page);
    await expect.poll(() => chatListItem(alice.page, /Deep clean/).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by Alice Client');
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 2 unread');

    await openRoom(alice.page, /Deep clean/);
    await expect.poll(() => messageLog(alice.page).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by Alice Client');
    expect(await messageLog(alice.page).getByText('New messages', { exact: true }).count()).toBe(0);
  });
});
