/**
 * A message the server refuses (here: written faster than the send limit allows) is marked
 * "Not sent" with Retry and Discard, in a real browser: the one at the end of the conversation
 * must stay in view with them, or the writer sees only half of why it failed.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom } from './support/app.ts';

const ROOM = /Deep clean/;

describe.runIf(chromiumAvailable())('a message the server refuses', () => {
  // Enough history for the conversation to scroll. The usual 30 sends, over a minute rather than 10 s
  // so a slow machine still hits it: the 31st of a burst is refused, its line cut off as the burst's
  // rows settle (a lone refused message, the list at rest, happened to stay in view).
  const app = signedInApp(
    { alice: 'client1' },
    async (server) => {
      await seedBobLines(server, 30, 'Earlier note');
      await markDemoRoomRead(server, 'client1');
    },
    { config: { limits: { sendRateLimit: 30, sendRateWindowMs: 60_000 } } },
  );

  it('keeps the newest "Not sent" line, with its Retry and Discard, in view at the end of the conversation', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    const box = page.getByLabel('Message', { exact: true });
    for (let i = 1; i <= 31; i++) {
      await box.fill(`Checklist item ${i}`);
      await box.press('Enter');
    }
    const discard = messageLog(page).getByRole('button', { name: 'Discard' }).last();
    await discard.waitFor({ timeout: WAIT });
    // Below the log's bottom edge is hidden (the panel clips it): how far Discard's line reaches past it.
    const hiddenBelow = async () => {
      const [button, log] = await Promise.all([discard.boundingBox(), messageLog(page).boundingBox()]);
      return button && log ? Math.max(0, Math.round(button.y + button.height - (log.y + log.height))) : -1;
    };
    await page.waitForTimeout(500); // the list settles (a fix that comes late would leave the reader looking at a cut line)
    await expect.poll(hiddenBelow, { timeout: 2_000 }).toBe(0);
  });
});
