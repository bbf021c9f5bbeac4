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

  it('Contact support puts focus in the support chat\'s message box, also when that chat is open already', async () => {
    const page = app.alice.page;
    const contactSupport = page.getByRole('button', { name: 'Contact support' });
    const supportBox = async () => {
      await panel(page).getByRole('heading', { name: 'Support' }).waitFor({ timeout: WAIT });
      return page.evaluate(() => document.activeElement?.matches('textarea[id^="composer-"]') ?? false);
    };
    await contactSupport.focus();
    await page.keyboard.press('Enter');
    await expect.poll(supportBox, { timeout: WAIT }).toBe(true);
    // Pressed again (the panel stays open beside the page on a wide screen): the button, busy a moment, must not drop the focus.
    await contactSupport.focus();
    await page.keyboard.press('Enter');
    await expect.poll(supportBox, { timeout: WAIT }).toBe(true);
    await expect.poll(() => contactSupport.isEnabled(), { timeout: WAIT }).toBe(true);
    expect(await supportBox()).toBe(true);
  });
});
