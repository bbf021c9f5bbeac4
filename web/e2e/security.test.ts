/**
 * What must never happen: a third user seeing someone else's room, or message
 * text turning into markup or script.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, messageLog, openPanel, openRoom, send } from './support/app.ts';

const ROOM = /Deep clean/;
const XSS = '<img src=x onerror="window.__pwned = 1; alert(1)"><script>window.__pwned = 2</script>';

describe.runIf(chromiumAvailable())('privacy and injection', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1', carol: 'client2' });

  it('keeps markup in a message as text: no element, no script, no dialog', async () => {
    const { alice, bob } = app;
    const dialogs: string[] = [];
    for (const page of [alice.page, bob.page]) page.on('dialog', (d) => void d.dismiss().then(() => dialogs.push(d.message())));
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    await send(alice.page, XSS);
    for (const page of [alice.page, bob.page]) {
      const log = messageLog(page);
      await expect.poll(() => log.textContent(), { timeout: WAIT }).toContain('<img src=x onerror=');
      expect(await log.locator('img').count()).toBe(0);
      expect(await log.locator('script').count()).toBe(0);
      expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    }
    await openPanel(bob.page);
    expect(dialogs).toEqual([]);
  });

  it('does not show a third user the room or its messages', async () => {
    const { alice, bob, carol } = app;
    await send(alice.page, 'Private: the key is under the mat');
    await expect.poll(() => messageLog(bob.page).textContent(), { timeout: WAIT }).toContain('the key is under the mat');
    await openPanel(carol.page);
    // Carol's own list has loaded (or is empty), and it has no trace of Alice and Bob's room.
    await expect.poll(() => carol.page.getByRole('dialog', { name: 'Chats' }).textContent(), { timeout: WAIT }).not.toContain('Loading conversations');
    expect(await chatListItem(carol.page, ROOM).count()).toBe(0);
    expect(await carol.page.content()).not.toContain('the key is under the mat');
    expect(await carol.page.content()).not.toContain('onerror');
  });

  it('signing out in one tab ends the session in the other tabs too', async () => {
    const { carol } = app;
    const otherTab = await carol.context.newPage();
    await otherTab.goto('/');
    await otherTab.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
    await otherTab.getByRole('button', { name: 'Sign out' }).click();
    await otherTab.getByLabel('Username').waitFor({ timeout: WAIT });
    // The first tab's socket was closed with 4401: it returns to the sign-in page by itself.
    await carol.page.getByLabel('Username').waitFor({ timeout: WAIT });
    expect(await carol.page.getByRole('button', { name: /^Chats/ }).count()).toBe(0);
  });
});
