/**
 * What must never happen: a third user seeing someone else's room, or message
 * text turning into markup or script.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, messageLog, openPanel, openRoom, send } from './support/app.ts';

const ROOM = /Deep clean/;
const XSS = '<img src=x onerror="window.__pwned = 1; alert(1)"><script>window.__pwned = 2</script>';
// A right-to-left override (U+202E) before a link to evil.example whose path is a trusted address written backwards.
const SPOOF = 'Your invoice: \u202Ehttps://evil.example/moc.elgoog//:sptth';

/** The link's characters in the order a reader sees them on screen: line by line, left to right. */
function textAsShown(link: Locator): Promise<string> {
  return link.evaluate((a) => {
    const chars: { top: number; x: number; c: string }[] = [];
    const walker = document.createTreeWalker(a, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
      for (let i = 0; i < node.data.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getBoundingClientRect();
        chars.push({ top: Math.round(box.top), x: box.x, c: node.data[i] ?? '' });
      }
    }
    return chars
      .sort((p, q) => p.top - q.top || p.x - q.x)
      .map((ch) => ch.c)
      .join('');
  });
}

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

  it('shows a link as it goes: a right-to-left override before it does not turn its text into another address', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    await send(alice.page, SPOOF);
    const link = messageLog(bob.page).locator('a[href^="https://evil.example/"]');
    await link.waitFor({ timeout: WAIT });
    expect(await textAsShown(link)).toBe('https://evil.example/moc.elgoog//:sptth');
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
