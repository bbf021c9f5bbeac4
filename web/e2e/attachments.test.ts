/**
 * Attaching a photo end to end: Alice picks a PNG in the composer, it uploads
 * over HTTP, she sends it without text, and Bob sees it as an image preview
 * served to him with his own session cookie.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom } from './support/app.ts';

const ROOM = /Deep clean/;

// A 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe.runIf(chromiumAvailable())('attachments', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  it('sends a picked photo, and the other person sees its preview', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);

    await alice.page.getByLabel('Attach a photo or PDF').setInputFiles({ name: 'kitchen.png', mimeType: 'image/png', buffer: PNG });
    const chip = alice.page.getByRole('group', { name: 'Attached file' });
    await expect.poll(() => chip.textContent(), { timeout: WAIT }).toContain('kitchen.png');
    const sendButton = alice.page.getByRole('button', { name: 'Send' });
    await expect.poll(() => sendButton.isEnabled(), { timeout: WAIT }).toBe(true);
    await sendButton.click();
    await expect.poll(() => chip.count(), { timeout: WAIT }).toBe(0);

    const preview = messageLog(bob.page).getByRole('img', { name: 'kitchen.png' });
    await expect.poll(() => preview.count(), { timeout: WAIT }).toBe(1);
    // Loaded, not a broken image: the url is served to a participant with the session cookie.
    await expect
      .poll(() => preview.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: WAIT })
      .toBe(1);
    const link = messageLog(bob.page).getByRole('link', { name: 'kitchen.png' });
    expect(await link.getAttribute('target')).toBe('_blank');
  });
});
