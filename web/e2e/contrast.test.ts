/**
 * Text contrast: the secondary text a user reads on every screen (times, hints, receipts,
 * placeholders, badges, my messages in their states) stands out from what it is drawn on by the
 * 4.5:1 WCAG AA asks of text this size. Measured from the colours the browser computes, through
 * every background and opacity under the text (support/contrast.ts): only a browser shows it.
 * In the light and the dark colour scheme alike (the system's setting, theme.css).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openPanel, openRoom, panel, send } from './support/app.ts';
import { AA_TEXT, contrastOf } from './support/contrast.ts';

type Check = [name: string, text: Locator, part?: 'text' | 'placeholder'];

/** Every check's text is there and reads at AA; the failures are listed together, with their ratios. */
async function expectReadable(checks: Check[]): Promise<void> {
  const low: string[] = [];
  for (const [name, text, part] of checks) {
    await text.first().waitFor({ timeout: WAIT });
    const ratio = await contrastOf(text.first(), part);
    if (ratio < AA_TEXT) low.push(`${name}: ${ratio.toFixed(2)}:1`);
  }
  expect(low).toEqual([]);
}

describe.runIf(chromiumAvailable()).each(['light', 'dark'] as const)('text contrast, %s', (colorScheme) => {
  // Bob's lines arrive unread: the badges show.
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, (server) => seedBobLines(server, 3, 'Hello line'));
  beforeAll(async () => {
    await app.alice.page.emulateMedia({ colorScheme });
    await app.bob.page.emulateMedia({ colorScheme });
  });

  it('reads at AA on the sign-in page, the jobs page and the chat list', async () => {
    const { server, browser } = app;
    const signedOut = await browser.newContext({ baseURL: server.url, viewport: { width: 1280, height: 860 }, colorScheme });
    const signInPage = await signedOut.newPage();
    await signInPage.goto('/');
    await signInPage.getByLabel('Username').fill('client1');
    await signInPage.getByLabel('Password').fill('wrong password');
    await signInPage.getByRole('button', { name: 'Sign in' }).click();
    await expectReadable([
      ['sign-in demo hint', signInPage.locator('.demo-hint')],
      ['wrong password error', signInPage.locator('.form-error')],
    ]);
    await signedOut.close();

    const { page } = app.alice;
    await expectReadable([
      ['jobs page intro, on the page background', page.locator('.hero p')],
      ['job number', page.locator('.job-id')],
      ['job fact label', page.locator('.job-facts dt')],
      ['empty job title placeholder', page.getByLabel('Job title'), 'placeholder'],
      ['unread badge on the Chats button', page.getByTestId('chat-badge')],
      ['role chip', page.locator('.role-chip')],
      ['open job chip', page.locator('.status-open')],
      ['assigned job chip', page.locator('.status-assigned')],
    ]);
    await openPanel(page);
    await expectReadable([
      ['chat list time', panel(page).locator('.chat-list-time')],
      ['unread badge of a room', panel(page).locator('.chat-list-item .badge')],
    ]);
  });

  it('reads at AA in a conversation: times, notices, receipts, typing, the placeholder and the actions', async () => {
    const { alice, bob } = app;
    const { page } = alice;
    await openRoom(page, /Deep clean/);
    await send(page, 'Keys under the mat');
    await messageLog(page).getByText('Sent').waitFor({ timeout: WAIT });
    await openRoom(bob.page, /Deep clean/);
    await bob.page.getByLabel('Message', { exact: true }).pressSequentially('On my way');
    const theirs = page.locator('.message.theirs').last();
    await theirs.hover();
    // Shown on hover, after a short fade.
    await expect.poll(() => theirs.locator('.message-actions').evaluate((el) => getComputedStyle(el).opacity), { timeout: WAIT }).toBe('1');
    await expectReadable([
      ['presence under the room name', page.locator('.chat-room-facts')],
      ['start of the conversation', page.locator('.conversation-start')],
      ['system notice', page.locator('.system-message')],
      ["time of the other's message", theirs.locator('.message-meta time')],
      ['time of my message', page.locator('.message.mine .message-meta time')],
      ['receipt under my message', page.locator('.delivery')],
      ['typing line', page.locator('.typing-indicator').filter({ hasText: 'typing' })],
      ['message box placeholder', page.getByLabel('Message', { exact: true }), 'placeholder'],
      ['Reply on a message', theirs.locator('.message-actions button')],
    ]);
    await bob.page.getByLabel('Message', { exact: true }).fill('');
  });

  it('reads at AA on my own messages as they are sent, quote and are deleted', async () => {
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    // From the keyboard: the actions show while the message holds the focus (a hover is lost when the list scrolls).
    const press = async (button: Locator) => {
      await button.focus();
      await page.keyboard.press('Enter');
    };
    await press(page.locator('.message.theirs').last().getByRole('button', { name: /^Reply to/ }));
    await send(page, 'Noted');
    const reply = page.locator('.message.mine').filter({ hasText: 'Noted' });
    // Stored (Bob has the room open: "Seen" at once).
    await reply.getByText(/^(Sent|Seen)$/).waitFor({ timeout: WAIT });
    await press(reply.getByRole('button', { name: 'Delete' }));
    // Deleted, the reply keeps no quote: the quote is measured on another one first.
    await expectReadable([
      ['name in my reply quote', reply.locator('.reply-sender')],
      ['excerpt in my reply quote', reply.locator('.reply-excerpt')],
    ]);
    await press(reply.getByRole('button', { name: 'Confirm delete' }));
    await expectReadable([['my deleted message', page.locator('.message.mine .message-text.deleted')]]);

    // Offline, my message waits as "Sending…".
    await page.context().setOffline(true);
    try {
      await send(page, 'Sent when back');
      const pending = page.locator('.message.pending').filter({ hasText: 'Sent when back' });
      await expectReadable([
        ['my message being sent', pending.locator('.message-text')],
        ['its time', pending.locator('time')],
        ['"Sending…" under it', pending.locator('.delivery')],
        ['offline banner', page.locator('.connection-banner.visible')],
      ]);
    } finally {
      await page.context().setOffline(false);
    }
  });

  it("reads at AA in a finished job's chat: the notice of when it closes", async () => {
    const { server } = app;
    const { page } = app.alice;
    const { token } = await server.login('client1');
    for (const status of ['in_progress', 'completed']) {
      const res = await fetch(`${server.url}/api/jobs/${server.demo!.assignedJobId}/status`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ status }),
      });
      expect(res.status).toBe(200);
    }
    await openRoom(page, /Deep clean/);
    await expectReadable([['notice of when the chat closes', page.locator('.closing-notice').filter({ hasText: 'The chat closes' })]]);
  });
});
