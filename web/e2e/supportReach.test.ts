/**
 * Support staff reaching a client first, in a browser against a real server: "Message client" on a job's card
 * opens the client's support room in the chat panel; what support writes there reaches the client live, in
 * their chat list under "Support", in the same room their own "Contact support" opens, with the "New messages"
 * line above the greeting (it is news to them: they did not open it).
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, messageLog, openPanel, openRoom, panel, send } from './support/app.ts';

describe.runIf(chromiumAvailable())('support staff message a job\'s client', () => {
  const app = signedInApp({ sam: 'support1', alice: 'client1' });

  it('"Message client" opens a chat the client sees live, and answers in', async () => {
    const { page } = app.sam;
    const card = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    await card.getByRole('button', { name: 'Message client Alice Client' }).click();
    await panel(page).getByRole('heading', { level: 2, name: 'Support · Alice Client' }).waitFor({ timeout: WAIT });
    await expect.poll(() => messageLog(page).textContent(), { timeout: WAIT }).toContain('Sam Support from support started this conversation');
    await send(page, 'Hello Alice, about your deep clean: did the cleaner arrive?');

    // Alice did nothing: the conversation is in her list, the message in it.
    const alice = app.alice.page;
    await openPanel(alice);
    await expect.poll(() => chatListItem(alice, 'did the cleaner arrive?').count(), { timeout: WAIT }).toBe(1);
    await openRoom(alice, 'did the cleaner arrive?');
    await expect.poll(() => messageLog(alice).textContent(), { timeout: WAIT }).toContain('Hello Alice, about your deep clean: did the cleaner arrive?');
    // Both are news to her (she did not contact support): the "New messages" line is above the greeting, not below it.
    const line = messageLog(alice).getByRole('separator', { name: 'New messages' });
    await line.waitFor({ timeout: WAIT });
    const lineBox = await line.boundingBox();
    const greetingBox = await messageLog(alice).getByText('Sam Support from support started this conversation').boundingBox();
    expect(lineBox && greetingBox && lineBox.y + lineBox.height <= greetingBox.y).toBe(true);
    await send(alice, 'Yes, all fine, thanks');
    await expect.poll(() => messageLog(page).textContent(), { timeout: WAIT }).toContain('Yes, all fine, thanks');

    // Her own "Contact support" is the same conversation, not a second one.
    await alice.getByRole('button', { name: 'Contact support' }).click();
    await expect.poll(() => messageLog(alice).textContent(), { timeout: WAIT }).toContain('did the cleaner arrive?');
    await panel(alice).getByRole('button', { name: 'Back to conversations' }).click();
    await expect.poll(() => chatListItem(alice, /Support/).count(), { timeout: WAIT }).toBe(1);
  });
});
