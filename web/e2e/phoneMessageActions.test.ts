/**
 * A message's Reply, Edit and Delete on a phone (touch, no hover): shown under every message they
 * crowded the conversation, so they are shown for the message the finger taps, and for it only.
 * Hidden, they stay in the page for a screen reader and the keyboard (a focused action shows them).
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, messageLog, openRoom, signIn } from './support/app.ts';

const ROOM = /Deep clean/;

/** The message actions a person sees in the conversation: drawn, and not covered or cut away at their middle. */
async function seenActions(page: Page): Promise<string[]> {
  return messageLog(page)
    .locator('.message-actions button')
    .evaluateAll((buttons) =>
      buttons
        .filter((el) => {
          const box = el.getBoundingClientRect();
          if (box.width < 2 || box.height < 2) return false;
          const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
          return top !== null && el.contains(top);
        })
        .map((el) => `${el.closest('[role="article"]')?.getAttribute('aria-label')}: ${el.getAttribute('aria-label') ?? el.textContent}`),
    );
}

function textOf(message: Locator): Locator {
  return message.locator('.message-text');
}

describe.runIf(chromiumAvailable())('message actions on a phone', () => {
  const app = signedInApp({});

  it('shows no actions until a message is tapped, then that message\'s only, and they work', async () => {
    const { page } = await signIn(app.browser, app.server.url, 'client1', TOUCH_PHONE);
    await openRoom(page, ROOM);
    const log = messageLog(page);
    const mine = log.getByRole('article', { name: 'From You' }).last();
    const theirs = log.getByRole('article', { name: 'From Bob Cleaner' }).last();
    await mine.waitFor({ timeout: WAIT });
    expect(await seenActions(page)).toEqual([]);
    // Not seen, still there for a screen reader.
    expect(await mine.getByRole('button', { name: 'Edit' }).count()).toBe(1);

    await textOf(theirs).tap();
    await expect.poll(() => seenActions(page), { timeout: WAIT }).toEqual(['From Bob Cleaner: Reply to Bob Cleaner']);
    await theirs.getByRole('button', { name: 'Reply to Bob Cleaner' }).tap();
    await page.getByRole('button', { name: 'Cancel reply' }).waitFor({ timeout: WAIT });
    await page.getByRole('button', { name: 'Cancel reply' }).tap();

    await textOf(mine).tap();
    await expect.poll(() => seenActions(page), { timeout: WAIT }).toEqual(['From You: Reply to You', 'From You: Edit', 'From You: Delete']);
    await mine.getByRole('button', { name: 'Edit' }).tap();
    await log.getByRole('textbox', { name: 'Edit text' }).waitFor({ timeout: WAIT });
    await mine.getByRole('button', { name: 'Cancel' }).tap();

    // A tap elsewhere in the conversation puts them away again.
    await page.getByLabel('Message', { exact: true }).tap();
    await expect.poll(() => seenActions(page), { timeout: WAIT }).toEqual([]);
  });

  it('shows the actions of a message reached with the keyboard', async () => {
    const { page } = await signIn(app.browser, app.server.url, 'client1', TOUCH_PHONE);
    await openRoom(page, ROOM);
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).last();
    await mine.getByRole('button', { name: 'Delete' }).focus();
    await expect.poll(() => seenActions(page), { timeout: WAIT }).toEqual(['From You: Reply to You', 'From You: Edit', 'From You: Delete']);
  });
});
