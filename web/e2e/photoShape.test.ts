/**
 * A photo in a message is shown whole, at its own shape: a panorama of a wall is not cropped to
 * the middle of it, nor a sideways phone photo (EXIF orientation) shown as stored. The box is
 * kept from before the photo arrives (the server sends its size), so the row does not grow when
 * it loads and push the messages being read. The shapes are Chromium's own (naturalWidth and
 * naturalHeight of the files), so the server's reading of the orientation is held to the browser.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { afterFrame, exifSegment, pngExif } from '@ecc/server/testing';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom } from './support/app.ts';

const ROOM = /Deep clean/;

/** A photo of `width`×`height` pixels drawn and encoded by the browser (a real PNG or JPEG). */
async function drawnPhoto(page: Page, width: number, height: number, type: 'image/png' | 'image/jpeg'): Promise<Buffer> {
  const base64 = await page.evaluate(
    async ({ width, height, type }) => {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const g = canvas.getContext('2d');
      if (!g) throw new Error('no 2d canvas');
      const gradient = g.createLinearGradient(0, 0, width, height);
      gradient.addColorStop(0, '#0f766e');
      gradient.addColorStop(1, '#f97316');
      g.fillStyle = gradient;
      g.fillRect(0, 0, width, height);
      const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, type, 0.9));
      if (!blob) throw new Error('the canvas gave no image');
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let text = '';
      for (const byte of bytes) text += String.fromCharCode(byte);
      return btoa(text);
    },
    { width, height, type },
  );
  return Buffer.from(base64, 'base64');
}

describe.runIf(chromiumAvailable())('photo shape', () => {
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' });

  async function sendPhoto(page: Page, name: string, bytes: Buffer, mimeType: string) {
    await page.getByLabel('Attach a photo or PDF').setInputFiles({ name, mimeType, buffer: bytes });
    const sendButton = page.getByRole('button', { name: 'Send' });
    await expect.poll(() => sendButton.isEnabled(), { timeout: WAIT }).toBe(true);
    await sendButton.click();
  }

  it('shows a wide photo and a sideways phone photo whole, at their own shape, and the row keeps its height as they load', async () => {
    const { alice, bob } = app;
    await openRoom(alice.page, ROOM);
    await openRoom(bob.page, ROOM);
    // Bob's copies of the files are held back until his rows are measured, as on a slow phone.
    let release = () => {};
    const arrived = new Promise<void>((resolve) => (release = resolve));
    await bob.page.route('**/api/attachments/**', async (route) => {
      await arrived;
      await route.continue();
    });
    // A panorama of a wall (4:1), and notes photographed sideways: stored 800×200, EXIF orientation 6
    // (shown 200×800) — in a JPEG's first segment; in a PNG's eXIf chunk (after IHDR, which ends at
    // byte 33); in a JPEG segment after the frame header, its "Exif" header padded with 0xff.
    await sendPhoto(alice.page, 'wall.png', await drawnPhoto(alice.page, 960, 240, 'image/png'), 'image/png');
    const stored = await drawnPhoto(alice.page, 800, 200, 'image/jpeg');
    const sideways = Buffer.concat([stored.subarray(0, 2), exifSegment(6), stored.subarray(2)]);
    await sendPhoto(alice.page, 'note.jpg', sideways, 'image/jpeg');
    const storedPng = await drawnPhoto(alice.page, 800, 200, 'image/png');
    await sendPhoto(alice.page, 'note.png', Buffer.concat([storedPng.subarray(0, 33), pngExif(6), storedPng.subarray(33)]), 'image/png');
    await sendPhoto(alice.page, 'late.jpg', afterFrame(stored, exifSegment(6, 'II', 0xff)), 'image/jpeg');

    const names = ['wall.png', 'note.jpg', 'note.png', 'late.jpg'];
    const photos = names.map((name) => messageLog(bob.page).getByRole('img', { name }));
    const measure = () =>
      Promise.all(
        photos.map((img) =>
          img.evaluate((el: HTMLImageElement) => {
            const box = el.getBoundingClientRect();
            const row = el.closest('[data-seq]')?.getBoundingClientRect();
            return { loaded: el.complete && el.naturalWidth > 0, natural: el.naturalWidth / el.naturalHeight, shown: box.width / box.height, row: row?.height ?? -1 };
          }),
        ),
      );
    for (const img of photos) await expect.poll(() => img.count(), { timeout: WAIT }).toBe(1);
    const before = await measure();
    expect(before.map((p) => p.loaded)).toEqual(names.map(() => false));

    release();
    await expect.poll(async () => (await measure()).every((p) => p.loaded), { timeout: WAIT }).toBe(true);
    const after = await measure();
    // As the browser draws the files: the panorama 4:1, the notes turned upright (1:4).
    expect(after.map((p) => p.natural)).toEqual([4, 0.25, 0.25, 0.25]);
    // Each box as the browser draws its photo (named, to tell which one is off).
    expect(after.map((p, i) => [names[i], Math.abs(p.shown - p.natural) / p.natural < 0.02])).toEqual(names.map((name) => [name, true]));
    // Nothing moved when the files arrived.
    expect(after.map((p) => p.row)).toEqual(before.map((p) => p.row));
    await bob.page.unroute('**/api/attachments/**');
  });
});
