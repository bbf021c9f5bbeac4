/**
 * A file going up a slow uplink (Chromium's own throttling, 100 KB/s, against the real server)
 * shows how far it has got on its chip, and taken off mid-way its upload stops.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, openRoom } from './support/app.ts';

const ROOM = /Deep clean/;

// A PDF (the server types it by its first bytes) of 600 KB: some 6 s at 100 KB/s.
const pdf = (kb: number) => Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(kb * 1024, 0x20), Buffer.from('\n%%EOF\n')]);

/** Chromium sends at most `bytesPerSecond` from this page (DevTools' network throttling); -1 lifts it. */
async function throttleUplink(page: Page, bytesPerSecond: number): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: bytesPerSecond });
}

const percentShown = (text: string | null) => Number(/Uploading… (\d+) %/.exec(text ?? '')?.[1] ?? NaN);

describe.runIf(chromiumAvailable())('upload progress', () => {
  const app = signedInApp({ alice: 'client1' });

  it('shows the share sent on the chip, a percentage between 0 and 100, before the file is ready', async () => {
    const { alice } = app;
    await openRoom(alice.page, ROOM);
    await throttleUplink(alice.page, 100 * 1024);
    await alice.page.getByLabel('Attach a photo or PDF').setInputFiles({ name: 'floor plan.pdf', mimeType: 'application/pdf', buffer: pdf(600) });
    const chip = alice.page.getByRole('group', { name: 'Attached file' });
    await expect.poll(async () => percentShown(await chip.textContent()), { timeout: WAIT }).toBeGreaterThan(0);
    const shown = percentShown(await chip.textContent());
    expect(shown).toBeLessThan(100);
    const bar = chip.getByRole('progressbar', { name: 'Upload of floor plan.pdf' });
    const value = Number(await bar.getAttribute('aria-valuenow'));
    expect(value).toBeGreaterThan(0);
    expect(value).toBeLessThan(100);
    await throttleUplink(alice.page, -1);
    // Uploaded: its size in place of the share, and it can be sent.
    await expect.poll(() => chip.textContent(), { timeout: WAIT }).toContain('600 KB');
    expect(await bar.count()).toBe(0);
    await alice.page.getByRole('button', { name: 'Remove floor plan.pdf' }).click();
  });

  it('taken off while it goes up, the upload stops: the request is cancelled', async () => {
    const { alice } = app;
    await openRoom(alice.page, ROOM);
    await throttleUplink(alice.page, 100 * 1024);
    const failed = alice.page.waitForEvent('requestfailed', { predicate: (r) => r.method() === 'POST' && r.url().endsWith('/attachments'), timeout: WAIT });
    await alice.page.getByLabel('Attach a photo or PDF').setInputFiles({ name: 'wrong plan.pdf', mimeType: 'application/pdf', buffer: pdf(600) });
    const chip = alice.page.getByRole('group', { name: 'Attached file' });
    await expect.poll(async () => percentShown(await chip.textContent()), { timeout: WAIT }).toBeGreaterThan(0);
    await alice.page.getByRole('button', { name: 'Remove wrong plan.pdf' }).click();
    expect(await chip.count()).toBe(0);
    expect((await failed).failure()?.errorText).toBe('net::ERR_ABORTED');
    await throttleUplink(alice.page, -1);
  });
});
