/**
 * Support removing a client's message (the contract lets a support participant delete any message of
 * its room): the client is told support removed it, in the room and in the chat list, rather than
 * seeing the bare deletion of their own messages, and the agent sees that they removed it.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, messageLog, openRoom, panel, send } from './support/app.ts';

/** The support room as each sees it listed: the client's is called "Support", the agent's names the client. */
const ALICE_ROOM = 'Support';
const SAM_ROOM = 'Support · Alice Client';

describe.runIf(chromiumAvailable())('a message removed by support', () => {
  const app = signedInApp({ alice: 'client1', sam: 'support1' }, async (server) => {
    const alice = await server.store.findUserByUsername('client1');
    if (!alice) throw new Error('demo data missing');
    await server.store.openSupportRoom(alice, (agent) => `${agent.displayName} will help you here.`);
  });

  it('reads "Removed by support" for the client, in the room and the chat list, and "You removed this message" for the agent', async () => {
    const { alice, sam } = app;
    await openRoom(alice.page, ALICE_ROOM);
    await send(alice.page, 'My card number is 4111 1111 1111 1111');
    await openRoom(sam.page, SAM_ROOM);
    const theirs = messageLog(sam.page).getByRole('article', { name: 'From Alice Client' }).filter({ hasText: 'My card number' });
    await theirs.hover({ timeout: WAIT });
    await theirs.getByRole('button', { name: 'Delete' }).click();
    await theirs.getByRole('button', { name: 'Confirm delete' }).click();

    await expect.poll(() => messageLog(sam.page).getByText('You removed this message').count(), { timeout: WAIT }).toBe(1);
    const mine = messageLog(alice.page).getByRole('article', { name: 'From You' }).last();
    await expect.poll(() => mine.textContent(), { timeout: WAIT }).toContain('Removed by support');
    expect(await messageLog(alice.page).getByText('My card number').count()).toBe(0);
    await panel(alice.page).getByRole('button', { name: 'Back to conversations' }).click();
    await expect.poll(() => chatListItem(alice.page, ALICE_ROOM).textContent(), { timeout: WAIT }).toContain('Removed by support');
  });
});
