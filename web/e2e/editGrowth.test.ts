/**
 * An edit typed at length grows its box (up to its cap): Save and Cancel, under it, stay in the
 * conversation's view as it grows, on a phone used with a finger and on a desktop. They slid under the
 * message box, the form brought into view only when the edit began.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, messageLog, openRoom, send, signIn } from './support/app.ts';

const ROOM = /Deep clean/;
const MORE = ' and then some more words about the keys, the alarm code and which windows must stay shut, typed on and on until it takes many lines';

/** Where Save and Cancel are against the conversation's visible box: both wholly inside it, or not. */
async function buttonsInView(page: Page): Promise<{ save: boolean; cancel: boolean }> {
  const list = await page.locator('.message-list').boundingBox();
  const inside = async (name: string) => {
    const box = await messageLog(page).getByRole('button', { name, exact: true }).boundingBox();
    return !!list && !!box && box.y >= list.y - 0.5 && box.y + box.height <= list.y + list.height + 0.5;
  };
  return { save: await inside('Save'), cancel: await inside('Cancel') };
}

describe.runIf(chromiumAvailable())('an edit typed at length', () => {
  const app = signedInApp({});

  for (const [device, setting] of [['a phone', TOUCH_PHONE], ['a desktop', { width: 1280, height: 860 }]] as const) {
    it(`keeps Save and Cancel in view as the box grows, on ${device}`, async () => {
      const { page, context } = await signIn(app.browser, app.server.url, 'cleaner1', setting);
      await openRoom(page, ROOM);
      const short = `Short note from ${device}`;
      await send(page, short);
      const mine = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: short });
      await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
      if (device === 'a phone') {
        await mine.locator('.message-text').tap();
        await mine.getByRole('button', { name: 'Edit' }).tap();
      } else {
        await mine.hover();
        await mine.getByRole('button', { name: 'Edit' }).click();
      }
      const box = messageLog(page).getByLabel('Edit text');
      await box.waitFor({ timeout: WAIT });
      await expect.poll(() => buttonsInView(page), { timeout: WAIT }).toEqual({ save: true, cancel: true });
      await box.press('End');
      await page.keyboard.type(MORE);
      // The box grew to several lines (the text is in it), and the buttons under it are still seen.
      expect((await box.boundingBox())?.height ?? 0).toBeGreaterThan(100);
      expect(await buttonsInView(page)).toEqual({ save: true, cancel: true });
      await context.close();
    });
  }
});
