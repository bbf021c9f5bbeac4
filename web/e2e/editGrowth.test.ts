/**
 * An edit typed at length grows its box (up to its cap): Save and Cancel, under it, stay in the
 * conversation's view as it grows, on a phone used with a finger and on a desktop. They slid under the
 * message box, the form brought into view only when the edit began.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { markDemoRoomRead, seedBobLines, signedInApp } from './support/fixture.ts';
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

/** The list's scroll position: the reader's own, as their wheel left it. */
const scrollTop = (page: Page) => page.locator('.message-list').evaluate((el) => el.scrollTop);

describe.runIf(chromiumAvailable())('an edit form that grows without the user typing in it', () => {
  const app = signedInApp({}, async (s) => {
    await seedBobLines(s, 60, 'Line');
    await markDemoRoomRead(s, 'cleaner1');
    await markDemoRoomRead(s, 'client1');
  });

  it('leaves the list where the reader scrolled it (focus still in the box) when the message is edited on another device', async () => {
    const { page, context } = await signIn(app.browser, app.server.url, 'cleaner1');
    const other = await signIn(app.browser, app.server.url, 'cleaner1');
    await openRoom(page, ROOM);
    await send(page, 'Edit me please');
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Edit me please' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const box = messageLog(page).getByLabel('Edit text');
    await box.waitFor({ timeout: WAIT });
    await box.press('End');
    await page.keyboard.type(' more');
    // The reader scrolls up to read something; the focus stays in the box.
    await page.locator('.message-list').hover();
    await page.mouse.wheel(0, -250);
    await page.waitForTimeout(400);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Edit text');
    const before = await scrollTop(page);

    await openRoom(other.page, ROOM);
    const theirs = messageLog(other.page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Edit me please' });
    await theirs.hover();
    await theirs.getByRole('button', { name: 'Edit' }).click();
    const otherBox = messageLog(other.page).getByLabel('Edit text');
    await otherBox.fill('Edited on my other device with quite a lot of new words');
    await otherBox.press('Enter');
    // The form grew by the "Changed elsewhere" note; the list stays where the reader left it.
    await messageLog(page).getByText('Changed elsewhere while you were editing.').waitFor({ timeout: WAIT });
    await page.waitForTimeout(500);
    expect(Math.abs((await scrollTop(page)) - before)).toBeLessThan(2);
    await context.close();
    await other.context.close();
  });

  it('keeps the line being typed in view on a short screen, typing at the start of a long edit', async () => {
    const { page, context } = await signIn(app.browser, app.server.url, 'cleaner1', { width: 700, height: 330 });
    await openRoom(page, ROOM);
    await send(page, 'Short');
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).filter({ hasText: 'Short' });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const box = messageLog(page).getByLabel('Edit text');
    await box.waitFor({ timeout: WAIT });
    await box.press('End');
    await page.keyboard.type(' line two words words words and line three words words words words');
    await box.press('Control+Home');
    for (let i = 0; i < 12; i++) {
      await page.keyboard.type('abcdefgh ');
      const list = await page.locator('.message-list').boundingBox();
      const typed = await box.boundingBox();
      // The box's first line, where the caret is, is inside the conversation's view.
      expect(typed!.y).toBeGreaterThanOrEqual(list!.y - 1);
      expect(typed!.y + 20).toBeLessThanOrEqual(list!.y + list!.height);
    }
    await context.close();
  });
});
