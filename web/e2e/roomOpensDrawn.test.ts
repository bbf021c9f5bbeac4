/**
 * A room opened from the chat list shows its messages from the first frame its list is drawn in:
 * react-virtuoso hid its list while it settled on the "New messages" line (or the newest), so for
 * a quarter of a second the room showed an empty list, with "4 new messages ↓" over it (the hidden
 * list sat at its top). Every frame from the click on is recorded in the page (framesDrawn.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { TestServer } from '@ecc/server/testing';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, chatListItem, messageLog, openPanel, panel, send, signIn } from './support/app.ts';
import { startFrames, stopFrames, type Frame } from './support/framesDrawn.ts';

const SUPPORT_ROOM = 'Support · Alice Client';
/** Read by Sam before: more than a screen, so the room opens at its line with history above it. */
const EARLIER = 30;

/** Alice's support room with Sam, and `EARLIER` messages of hers that Sam has read. */
async function seedSupportRoom(server: TestServer): Promise<void> {
  const alice = await server.store.findUserByUsername('client1');
  const sam = await server.store.findUserByUsername('support1');
  if (!alice || !sam) throw new Error('demo data missing');
  const room = await server.store.openSupportRoom(alice, (agent) => `${agent.displayName} will answer you here.`);
  if (!room) throw new Error('no support room');
  const stored = await server.store.appendMessages(
    Array.from({ length: EARLIER }, (_, i) => ({ roomId: room.roomId, senderId: alice.id, type: 'text' as const, content: `Earlier question ${i + 1}`, clientId: `earlier-${i + 1}` })),
  );
  const last = stored.at(-1);
  if (!last?.ok) throw new Error('seeding the support room failed');
  await server.store.markRead(room.roomId, sam.id, last.message.seq);
}

/** Alice writes four messages to support from her open support room; the last one is returned. */
async function aliceWrites(alice: Page, batch: string): Promise<string> {
  let last = '';
  for (let i = 1; i <= 4; i++) {
    last = `${batch} question ${i}`;
    await send(alice, last);
    await messageLog(alice).getByText(last).waitFor({ timeout: WAIT });
  }
  return last;
}

/** Opens the room from the chat list once `last` reached it, recording every frame until `last` is shown and a second more. */
async function openRecorded(page: Page, last: string): Promise<Frame[]> {
  await openPanel(page);
  const back = panel(page).getByRole('button', { name: 'Back to conversations' });
  if (await back.isVisible()) await back.click();
  await expect.poll(() => chatListItem(page, SUPPORT_ROOM).textContent(), { timeout: WAIT }).toContain(last);
  await startFrames(page, SUPPORT_ROOM);
  await chatListItem(page, SUPPORT_ROOM).getByRole('button').click();
  await expect.poll(() => messageLog(page).getByText(last).isVisible(), { timeout: WAIT }).toBe(true);
  // Frames more, in which a late move or button would show.
  await page.waitForTimeout(1000);
  return stopFrames(page);
}

/**
 * What a reader should not see, frame by frame, once the room's header is drawn: the list empty
 * ("Loading messages…" is said only until its first rows), "new messages ↓" before any row is
 * drawn, and the "New messages" line or the newest message moving once drawn (it opened there, it
 * stays there: the rows standing in for the list are where its own come).
 */
function wrongFrames(frames: Frame[]): string[] {
  const from = frames.findIndex((f) => f.header);
  let drawn = false;
  let lineAt: number | null = null;
  let newestAt: number | null = null;
  return frames.slice(from).flatMap((f, i) => {
    const wrong: string[] = [];
    if (f.rows > 0) drawn = true;
    if (f.rows === 0 && !(f.loading && !drawn)) wrong.push('no message shown');
    if (f.newButton && f.rows === 0) wrong.push('"new messages ↓" over no message');
    if (f.line !== null && lineAt !== null && Math.abs(f.line - lineAt) > 1) wrong.push(`the line moved from ${lineAt} to ${f.line}`);
    lineAt = f.line ?? lineAt;
    if (f.newestEnd !== null && newestAt !== null && Math.abs(f.newestEnd - newestAt) > 1) wrong.push(`the newest message moved from ${newestAt} to ${f.newestEnd} px above the end`);
    newestAt = f.newestEnd ?? newestAt;
    return wrong.length > 0 ? [`frame ${from + i}: ${wrong.join(', ')}`] : [];
  });
}

for (const [where, device] of [
  ['a touch phone', TOUCH_PHONE],
  ['a desktop', { viewport: { width: 1280, height: 860 } }],
] as const) {
  describe.runIf(chromiumAvailable())(`a room opened from the chat list on ${where}`, () => {
    const app = signedInApp({ alice: 'client1' }, seedSupportRoom);

    it('shows its 4 new messages in the first frame it draws, with no empty list nor "4 new messages ↓" flashing: opened first, again, and read', async () => {
      const alice = app.alice.page;
      await alice.getByRole('button', { name: 'Contact support' }).click();
      await messageLog(alice).getByText(`Earlier question ${EARLIER}`).waitFor({ timeout: WAIT });
      const sam = await signIn(app.browser, app.server.url, 'support1', device);

      // Opened first: its messages are fetched ("Loading messages…"), then drawn.
      const first = await openRecorded(sam.page, await aliceWrites(alice, 'First'));
      expect(first.some((f) => f.header && f.rows > 0)).toBe(true);
      expect(wrongFrames(first)).toEqual([]);

      // Opened again, its messages already held: drawn at once.
      await panel(sam.page).getByRole('button', { name: 'Back to conversations' }).click();
      const second = await aliceWrites(alice, 'Second');
      const again = await openRecorded(sam.page, second);
      expect(again.some((f) => f.header && f.rows > 0)).toBe(true);
      expect(again.some((f) => f.line !== null)).toBe(true);
      expect(wrongFrames(again)).toEqual([]);

      // Read, it opens at the newest: drawn at once too.
      await panel(sam.page).getByRole('button', { name: 'Back to conversations' }).click();
      await expect.poll(() => chatListItem(sam.page, SUPPORT_ROOM).textContent(), { timeout: WAIT }).not.toMatch(/unread/);
      const read = await openRecorded(sam.page, second);
      expect(read.some((f) => f.header && f.rows > 0)).toBe(true);
      expect(wrongFrames(read)).toEqual([]);
    });
  });
}
