/**
 * A shared computer: after "Sign out", the next person at the same browser must find nothing of
 * the one before — not their unsent draft in the tab's storage, not the photos of their chats in
 * the browser's cache — and the sign-in page must still work.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom } from './support/app.ts';

const ROOM = /Deep clean/;

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Everything the page's origin keeps in web storage, as "key=value" lines. */
function webStorage(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [sessionStorage, localStorage].flatMap((s) => Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? '')}`)),
  );
}

/** Whether the browser's HTTP cache holds `url` (read from the cache only, never from the network). */
function cached(page: Page, url: string): Promise<boolean> {
  return page.evaluate(
    (u) =>
      fetch(u, { cache: 'only-if-cached', mode: 'same-origin' }).then(
        (res) => res.ok,
        () => false,
      ),
    url,
  );
}

describe.runIf(chromiumAvailable())('signing out on a shared computer', () => {
  const app = signedInApp({ alice: 'client1' });

  it("leaves neither the user's draft in web storage nor their chat's photos in the browser's cache", async () => {
    const { page } = app.alice;
    await openRoom(page, ROOM);
    await page.getByLabel('Attach a photo or PDF').setInputFiles({ name: 'keys-under-mat.png', mimeType: 'image/png', buffer: PNG });
    const sendButton = page.getByRole('button', { name: 'Send' });
    await expect.poll(() => sendButton.isEnabled(), { timeout: WAIT }).toBe(true);
    await sendButton.click();
    const preview = messageLog(page).getByRole('img', { name: 'keys-under-mat.png' });
    await expect.poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: WAIT }).toBe(1);
    const photoUrl = await preview.evaluate((img: HTMLImageElement) => img.src);
    await page.getByLabel('Message', { exact: true }).fill('The door code is 4711');

    // What the test looks for is there before signing out.
    await expect.poll(async () => (await webStorage(page)).join('\n'), { timeout: WAIT }).toContain('4711');
    expect(await cached(page, photoUrl)).toBe(true);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor({ timeout: WAIT });

    // Nothing at all: the app keeps only the signed-in user's unsent messages and drafts there.
    expect(await webStorage(page)).toEqual([]);
    expect(await cached(page, photoUrl)).toBe(false);

    // The next person signs in on the same page: the sign-in page still works after the cache was cleared.
    await page.getByLabel('Username').fill('client2');
    await page.getByLabel('Password').fill('demo');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
    // And after a reload, which loads the app's files again.
    await page.reload();
    await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
  });
});
