/**
 * My own messages are read for me: the server's read mark does not move for them (they are never
 * counted unread), and the web app reads them through itself. A cleaner who answered in a job's
 * room and then moved the job from the jobs page had read everything: the status notice of their
 * own click must not come to them as news, with a "New messages" line above it.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, chatsButton, messageLog, openPanel, openRoom, panel, send } from './support/app.ts';

const ROOM = /Deep clean/;
const ANSWER = 'On my way, sent from my phone 1';
/** The notice of his own click, as he reads it (stored naming him: "… by Bob Cleaner"). */
const NOTICE = 'Status changed to In progress by you';

describe.runIf(chromiumAvailable())('my own messages, read for me', () => {
  // Bob read the demo room, then answered from his phone: the room's newest message is his own,
  // above his read mark. (Answered in this tab, the tab used to send a `read` for it now and then,
  // which hid what follows.)
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, async (server) => {
    await markDemoRoomRead(server, 'cleaner1');
    await seedBobLines(server, 1, 'On my way, sent from my phone');
  });

  it('leaves the notice of a job the cleaner started after answering read for them, with no "New messages" line above it', async () => {
    const { alice, bob } = app;
    // His chats are here (the socket's `ready`), all read.
    await openPanel(bob.page);
    await expect.poll(() => chatListItem(bob.page, ROOM).textContent(), { timeout: WAIT }).toContain(ANSWER);
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await panel(bob.page).getByRole('button', { name: 'Close chat panel' }).click();

    // He starts the job from its card.
    const card = bob.page.getByRole('region', { name: 'My jobs' }).getByRole('listitem').filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    await card.getByRole('button', { name: 'Start job' }).click();
    await card.getByRole('button', { name: 'Mark completed' }).waitFor({ timeout: WAIT });
    await openPanel(bob.page);
    await expect.poll(() => chatListItem(bob.page, ROOM).textContent(), { timeout: WAIT }).toContain(NOTICE);

    // Alice writes after it: her message reaches Bob after the notice and its count.
    await openRoom(alice.page, ROOM);
    await send(alice.page, 'Great, the key is under the mat');
    await expect.poll(() => chatListItem(bob.page, ROOM).textContent(), { timeout: WAIT }).toContain('the key is under the mat');
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');

    // Only Alice's message is new to him: a "New messages" line goes above it, never above his own click's notice.
    await openRoom(bob.page, ROOM);
    await expect.poll(() => messageLog(bob.page).textContent(), { timeout: WAIT }).toContain('the key is under the mat');
    // By its class: the rows are in the DOM before the list, opening at the line, shows them to the accessibility tree.
    const rowWithLine = messageLog(bob.page).locator('.message-row').filter({ has: bob.page.locator('.unread-separator') });
    expect(await messageLog(bob.page).textContent()).toContain(NOTICE);
    expect((await rowWithLine.allTextContents()).join('\n')).not.toContain(NOTICE);
  });
});
