/**
 * The session ending under a user who is typing (signed out on another device, or its time up):
 * what they had not sent comes back when they sign in again on this tab, and only for them.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, send } from './support/app.ts';

describe.runIf(chromiumAvailable())('unsent messages and drafts when the session ends', () => {
  const app = signedInApp({ alice: 'client1' });

  const composer = (page: Page) => page.getByLabel('Message', { exact: true });
  const savedKeys = (page: Page) => page.evaluate(() => Object.keys(sessionStorage).filter((k) => k.startsWith('ecc.chat.')));

  /** Alice, in the job room, offline with a message on its way and a half-typed draft; then her session ends elsewhere. */
  async function endSessionWithUnsent(queued: string, draft: string): Promise<void> {
    const { alice, server } = app;
    await openRoom(alice.page, /Deep clean/);
    await alice.context.setOffline(true);
    await send(alice.page, queued);
    await composer(alice.page).fill(draft);
    await expect.poll(() => savedKeys(alice.page), { timeout: WAIT }).toHaveLength(1);
    const res = await alice.context.request.post(`${server.url}/api/auth/logout`, { headers: { Origin: server.url } });
    expect(res.status()).toBeLessThan(300);
    await alice.context.setOffline(false);
    await alice.page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });
  }

  async function signInHere(page: Page, username: string): Promise<void> {
    await page.getByLabel('Username').fill(username);
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
  }

  it('gives the same user back the draft and sends the queued message once they sign in again on the tab', async () => {
    const { alice, server } = app;
    await endSessionWithUnsent('The spare key is with the neighbour', 'and the alarm is off until');
    expect(await alice.page.getByRole('alert').textContent()).toBe(
      'You were signed out: your session ended. Please sign in again. What you had not sent yet (messages, drafts, edits, deletions) comes back when you sign in again here.',
    );
    // Nothing waits in the tab's storage while nobody is signed in.
    expect(await savedKeys(alice.page)).toEqual([]);

    await signInHere(alice.page, 'client1');
    await openRoom(alice.page, /Deep clean/);
    await expect.poll(() => composer(alice.page).inputValue(), { timeout: WAIT }).toBe('and the alarm is off until');
    await messageLog(alice.page).getByText('The spare key is with the neighbour').waitFor({ timeout: WAIT });
    await expect
      .poll(async () => (await server.store.history({ roomId: server.demo!.roomId, limit: 50 })).messages.filter((m) => m.content === 'The spare key is with the neighbour').length, { timeout: WAIT })
      .toBe(1);
    await composer(alice.page).fill('');
  });

  it('gives another user signing in on the tab nothing of it', async () => {
    const { alice } = app;
    await endSessionWithUnsent('My door code is 1357', 'and the cat is called');
    await signInHere(alice.page, 'cleaner1');
    await openRoom(alice.page, /Deep clean/);
    await alice.page.waitForTimeout(1000);
    expect(await composer(alice.page).inputValue()).toBe('');
    expect(await alice.page.getByText('My door code is 1357').count()).toBe(0);
    expect(await savedKeys(alice.page)).toEqual([]);
  });
});
