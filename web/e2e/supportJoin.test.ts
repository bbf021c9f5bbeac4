/**
 * Support staff stepping into a job's chat, in a browser against a real server: "Join job chat" on the
 * job's card opens its room in the chat panel; the client, already in that room, sees live that support
 * joined and what support writes.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, panel, send } from './support/app.ts';

describe.runIf(chromiumAvailable())("support staff join a job's chat", () => {
  const app = signedInApp({ sam: 'support1', alice: 'client1' });

  it('"Join job chat" opens the room; Alice sees the notice and support\'s message live', async () => {
    const alice = app.alice.page;
    await openRoom(alice, 'Deep clean of a 2-bedroom flat');

    const { page } = app.sam;
    const card = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    await card.getByRole('button', { name: /^Join job chat/ }).click();
    await panel(page).getByRole('heading', { level: 2, name: /Deep clean of a 2-bedroom flat/ }).waitFor({ timeout: WAIT });
    // The whole conversation is there to read: what Alice and Bob said before support came.
    await expect.poll(() => messageLog(page).textContent(), { timeout: WAIT }).toContain('Sam Support from support joined the conversation');
    await send(page, 'Hello both, I am here to help settle this');
    // Once in the room, the card offers its chat instead.
    await card.getByRole('button', { name: /^Open chat/ }).waitFor({ timeout: WAIT });

    await expect.poll(() => messageLog(alice).textContent(), { timeout: WAIT }).toContain('Sam Support from support joined the conversation');
    await expect.poll(() => messageLog(alice).textContent(), { timeout: WAIT }).toContain('Hello both, I am here to help settle this');
  });
});
