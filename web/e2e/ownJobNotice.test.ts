/**
 * A job's notice in its room ("Bob Cleaner accepted the job", "Status changed to Cancelled by
 * Alice Client") is news to the other person, not to the one who clicked: their badge must not go
 * up for their own click, nor their room show it under a "New messages" line. The one who clicked
 * reads it as theirs ("You accepted the job", "… by you"); the other person, by the mover's name —
 * and so does a client whose job support staff with her very name moved (known by the notice's actorId).
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, chatsButton, messageLog, openPanel, openRoom, panel, wheelTo } from './support/app.ts';

describe.runIf(chromiumAvailable())("the notice of one's own job change", () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('leaves the unread count of the cleaner who accepted a job as it was', async () => {
    const { bob } = app;
    // The demo room holds one message Bob has not read.
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 1 unread');
    await bob.page.getByRole('listitem', { name: /Window cleaning, terraced house/ }).getByRole('button', { name: 'Accept job' }).click();
    await openPanel(bob.page);
    await expect.poll(() => chatListItem(bob.page, /Window cleaning, terraced house/).textContent(), { timeout: WAIT }).toContain('You accepted the job');
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
    await expect.poll(() => chatListItem(alice.page, /Deep clean/).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by you');
    await expect.poll(() => chatsButton(alice.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    await expect.poll(() => chatsButton(bob.page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats, 2 unread');
    await openPanel(bob.page);
    await expect.poll(() => chatListItem(bob.page, /Deep clean/).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by Alice Client');

    await openRoom(alice.page, /Deep clean/);
    await expect.poll(() => messageLog(alice.page).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by you');
    expect(await messageLog(alice.page).getByText('New messages', { exact: true }).count()).toBe(0);
  });
});

describe.runIf(chromiumAvailable())("the notice of one's own job change into the room open on screen", () => {
  // Enough read history for the room to scroll.
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    await seedBobLines(server, 40, 'Earlier line');
    await markDemoRoomRead(server, 'client1');
  });

  it('comes under no "New messages" line, not even for a moment, when the reader is a little way up', async () => {
    const page = app.alice.page;
    await openRoom(page, /Deep clean/);
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    // Up from the newest by less than the rows drawn below the view: what comes next is drawn, unseen.
    await wheelTo(page, 'end');
    await page.mouse.wheel(0, -150);
    await expect.poll(() => page.locator('.message-list').evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight), { timeout: WAIT }).toBeGreaterThan(100);
    // Every line drawn, however briefly.
    await page.evaluate(() => {
      const w = window as unknown as { linesDrawn: number };
      w.linesDrawn = 0;
      new MutationObserver(() => {
        if (document.querySelector('[role="separator"][aria-label="New messages"]')) w.linesDrawn += 1;
      }).observe(document.body, { childList: true, subtree: true });
    });

    // The notice comes on the socket before the answer, as it is sent; over a loopback the answer can
    // overtake it. Held until the notice is drawn: the order the line was seen to flash in.
    const notice = messageLog(page).getByText('Status changed to Cancelled by you');
    await page.route('**/api/jobs/*/status', async (route) => {
      const response = await route.fetch();
      await notice.waitFor({ state: 'attached', timeout: WAIT });
      await route.fulfill({ response });
    });
    const card = page.getByRole('listitem', { name: /Deep clean of a 2-bedroom flat/ });
    await card.getByRole('button', { name: 'Cancel job' }).click();
    await card.getByRole('button', { name: 'Yes, cancel job' }).click();
    await expect.poll(() => notice.count(), { timeout: WAIT }).toBe(1);
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    expect(await page.evaluate(() => (window as unknown as { linesDrawn: number }).linesDrawn)).toBe(0);
  });
});

describe.runIf(chromiumAvailable())("a job change by support staff with the client's name", () => {
  // Display names are not unique: support staff named as the client, in none of her job rooms.
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    const demoPassword = (await server.store.findUserByUsername('support1'))?.passwordHash ?? '';
    await server.store.createUser({ username: 'support-alice', displayName: 'Alice Client', role: 'support', passwordHash: demoPassword });
  });

  it('reads to the client by their name, not as her own cancel', async () => {
    const { server } = app;
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    const { token } = await server.login('support-alice');
    const res = await fetch(`${server.url}/api/jobs/${server.demo!.assignedJobId}/status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'cancelled' }),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => messageLog(page).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by Alice Client');
    expect(await messageLog(page).textContent()).not.toContain('by you');
    await panel(page).getByRole('button', { name: 'Back to conversations' }).click();
    await expect.poll(() => chatListItem(page, /Deep clean/).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by Alice Client');
  });
});

describe.runIf(chromiumAvailable())('a job change the client makes in another app (her own token, the API)', () => {
  const app = signedInApp({ alice: 'client1' });

  it('is hers in her open tab too: read for her there, her badge as it was', async () => {
    const { server } = app;
    const { page } = app.alice;
    await openPanel(page);
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
    const { token } = await server.login('client1');
    const res = await fetch(`${server.url}/api/jobs/${server.demo!.assignedJobId}/status`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ status: 'cancelled' }),
    });
    expect(res.status).toBe(200);
    await expect.poll(() => chatListItem(page, /Deep clean/).textContent(), { timeout: WAIT }).toContain('Status changed to Cancelled by you');
    await expect.poll(() => chatsButton(page).getAttribute('aria-label'), { timeout: WAIT }).toBe('Chats');
  });
});
