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

// The smallest file the server types as a PDF (by its first bytes).
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

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

  it('a PDF with a long name stays inside its message, and a reply to it quotes the file', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    const name = `Invoice_for_deep_cleaning_of_the_flat_at_12_Rosemary_Lane_${Date.now()}_final_v2.pdf`;
    await alice.page.getByLabel('Attach a photo or PDF').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
    const sendButton = alice.page.getByRole('button', { name: 'Send' });
    await expect.poll(() => sendButton.isEnabled(), { timeout: WAIT }).toBe(true);
    await sendButton.click();

    const link = messageLog(bob.page).getByRole('link', { name: `📎 ${name}` });
    await expect.poll(() => link.count(), { timeout: WAIT }).toBe(1);
    // The name wraps inside the bubble: the conversation does not scroll sideways.
    const overflow = await messageLog(bob.page).evaluate((log) => {
      const scroller = log.querySelector('[data-virtuoso-scroller]') ?? log;
      return scroller.scrollWidth - scroller.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    const box = await link.boundingBox();
    const logBox = await messageLog(bob.page).boundingBox();
    expect(box && logBox && box.x + box.width <= logBox.x + logBox.width).toBe(true);

    // Bob answers the file: the composer and the sent reply say what he answers.
    await link.hover();
    await messageLog(bob.page).getByRole('button', { name: 'Reply' }).last().click();
    await expect.poll(() => bob.page.locator('.composer-reply').textContent(), { timeout: WAIT }).toContain(`📎 ${name}`);
    await bob.page.getByLabel('Message', { exact: true }).fill('Paid, thanks');
    await bob.page.getByLabel('Message', { exact: true }).press('Enter');
    const quote = messageLog(alice.page).locator('.reply-quote').last();
    await expect.poll(() => quote.textContent(), { timeout: WAIT }).toContain('📎 File');
  });

  it('a photo dragged onto the open room is attached and can be sent', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    const dataTransfer = await alice.page.evaluateHandle((base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const transfer = new DataTransfer();
      transfer.items.add(new File([bytes], 'balcony.png', { type: 'image/png' }));
      return transfer;
    }, PNG.toString('base64'));
    const room = alice.page.locator('.chat-room');
    await room.dispatchEvent('dragenter', { dataTransfer });
    await room.dispatchEvent('dragover', { dataTransfer });
    await room.dispatchEvent('drop', { dataTransfer });
    const chip = alice.page.getByRole('group', { name: 'Attached file' });
    await expect.poll(() => chip.textContent(), { timeout: WAIT }).toContain('balcony.png');
    const sendButton = alice.page.getByRole('button', { name: 'Send' });
    await expect.poll(() => sendButton.isEnabled(), { timeout: WAIT }).toBe(true);
    await sendButton.click();
    const preview = messageLog(bob.page).getByRole('img', { name: 'balcony.png' });
    await expect.poll(() => preview.count(), { timeout: WAIT }).toBe(1);
  });

  it('a photo picked but not sent is Alice\'s alone, and removing it deletes it', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    const uploaded = alice.page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/attachments'));
    await alice.page.getByLabel('Attach a photo or PDF').setInputFiles({ name: 'wrong-photo.png', mimeType: 'image/png', buffer: PNG });
    const { url } = (await (await uploaded).json()) as { url: string };
    const fetchAs = (page: typeof bob.page) => page.evaluate(async (u) => (await fetch(u)).status, url);
    // Uploaded as soon as it is picked, yet Bob cannot fetch it through its id: nothing was sent to him.
    expect(await fetchAs(alice.page)).toBe(200);
    expect(await fetchAs(bob.page)).toBe(404);
    const removed = alice.page.waitForResponse((r) => r.request().method() === 'DELETE');
    await alice.page.getByRole('button', { name: 'Remove wrong-photo.png' }).click();
    expect((await removed).status()).toBe(204);
    expect(await fetchAs(alice.page)).toBe(404);
    expect(await fetchAs(bob.page)).toBe(404);
  });

  it('shows the end of a long picked file name (its version, its type), cutting it in the middle', async () => {
    const { alice } = app;
    await openRoom(alice.page, ROOM);
    const name = 'Cleaning_checklist_for_the_flat_at_12_Rosemary_Lane_version_2.pdf';
    await alice.page.getByLabel('Attach a photo or PDF').setInputFiles({ name, mimeType: 'application/pdf', buffer: PDF });
    const chip = alice.page.getByRole('group', { name: 'Attached file' });
    await expect.poll(() => chip.textContent(), { timeout: WAIT }).toContain(name);
    // The name's last character is drawn inside the name's box, not clipped away behind an ellipsis.
    const lastCharInside = await chip.locator('.composer-attachment-name').evaluate((box) => {
      const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
      let last: Text | null = null;
      while (walker.nextNode()) last = walker.currentNode as Text;
      if (!last?.data) return false;
      const range = document.createRange();
      range.setStart(last, last.data.length - 1);
      range.setEnd(last, last.data.length);
      return range.getBoundingClientRect().right <= box.getBoundingClientRect().right + 0.5;
    });
    expect(lastCharInside).toBe(true);
    await alice.page.getByRole('button', { name: `Remove ${name}` }).click();
  });
});
