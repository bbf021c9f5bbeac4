/**
 * The chat from the keyboard alone, in a real browser: where focus goes when
 * a view it was in goes away. (The component tests cannot show these: they
 * mock react-virtuoso's viewport, which draws a list differently.)
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, openRoom, panel } from './support/app.ts';

const ROOM = /Deep clean/;

/** What has keyboard focus, as a short description: the room id of a chat-list row, else its tag and name. */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement)) return 'nothing';
    if (el.dataset.roomId) return `room ${el.dataset.roomId}`;
    return `${el.tagName} ${el.getAttribute('aria-label') ?? el.textContent?.trim() ?? ''}`;
  });
}

describe.runIf(chromiumAvailable())('keyboard use of the chat', () => {
  const app = signedInApp({ alice: 'client1' });

  it('Back to conversations puts focus on the room just left, in a list of a few rooms', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    const roomId = app.server.demo?.roomId;
    await panel(page).getByRole('button', { name: 'Back to conversations' }).focus();
    await page.keyboard.press('Enter');
    // The list of a client's few rooms is drawn twice (hidden, then shown): the row drawn last takes it.
    await expect.poll(() => focused(page), { timeout: WAIT }).toBe(`room ${roomId}`);
  });
});
