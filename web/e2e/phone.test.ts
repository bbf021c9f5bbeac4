/**
 * The chat on a phone-sized screen (375×667), where the chat panel fills the
 * screen and covers the page under it: what the page says about the
 * connection must still be seen, and the keyboard must not wander off to the
 * page's controls nobody can see.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, messageLog, openRoom, panel, send, signIn, wheelTo, type SignedIn } from './support/app.ts';

const ROOM = /Deep clean/;
const PHONE = { width: 375, height: 667 };

/** Shown, and not covered by anything at its middle: what a person looking at the screen sees. */
function seen(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) return false;
    const top = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    return top !== null && el.contains(top);
  });
}

/** Where keyboard focus is: in the chat panel, nowhere (<body>, or out in the browser's own controls), or on the page under it. */
function focusPlace(page: Page): Promise<'panel' | 'nowhere' | string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return 'nowhere';
    if (el.closest('[role="dialog"]')) return 'panel';
    return `page: ${el.tagName} ${el.textContent?.trim() ?? ''}`;
  });
}

describe.runIf(chromiumAvailable())('the chat on a phone', () => {
  const app = signedInApp({});
  let phone: SignedIn;

  async function alice(): Promise<SignedIn> {
    phone ??= await signIn(app.browser, app.server.url, 'client1', PHONE);
    return phone;
  }

  it('says that it is offline over the open room, until the connection is back', async () => {
    const { context, page } = await alice();
    await openRoom(page, ROOM);
    await context.setOffline(true);
    const offline = page.getByText('You are offline. Messages you send will go out when the connection is back.');
    await expect.poll(async () => (await Promise.all((await offline.all()).map(seen))).some(Boolean), { timeout: WAIT }).toBe(true);
    await send(page, 'Sent from the bus');
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(1);

    await context.setOffline(false);
    await expect.poll(() => messageLog(page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
    expect(await offline.count()).toBe(0);
  });

  it('keeps Tab and Shift+Tab inside the open room, which fills the screen', async () => {
    const { page } = await alice();
    await openRoom(page, ROOM);
    const places: string[] = [];
    await page.getByLabel('Message', { exact: true }).focus();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      places.push(await focusPlace(page));
    }
    await page.getByRole('button', { name: 'Back to conversations' }).focus();
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Shift+Tab');
      places.push(await focusPlace(page));
    }
    expect(places.filter((place) => place !== 'panel' && place !== 'nowhere')).toEqual([]);
    expect(places).toContain('panel');
  });

  it('asks the browser to fit the page above the on-screen keyboard, so the message box is not under it', async () => {
    // Headless Chromium has no on-screen keyboard to raise: what can be checked is that the page asks
    // for it. Without it (Chrome on Android since 108) the keyboard covers the bottom of the
    // full-screen panel, where the message box is, instead of the panel ending above the keyboard.
    const { page } = await alice();
    const viewport = await page.locator('meta[name="viewport"]').getAttribute('content');
    expect(viewport?.split(',').map((part) => part.trim())).toContain('interactive-widget=resizes-content');
  });

  it('keeps the message box above an iPhone keyboard, which shrinks only the visual viewport', async () => {
    // Safari on the iPhone ignores interactive-widget. Nothing here raises its keyboard: this page's
    // visualViewport is a stand-in that reports what Safari's does then (the layout stays 667 px high).
    const { context, page } = await signIn(app.browser, app.server.url, 'client1', PHONE);
    await context.addInitScript(() => {
      const viewport = new EventTarget();
      let height: number | null = null;
      let top = 0;
      Object.defineProperties(viewport, {
        height: { get: () => height ?? window.innerHeight },
        width: { get: () => window.innerWidth },
        offsetTop: { get: () => top },
        offsetLeft: { get: () => 0 },
        scale: { get: () => 1 },
      });
      Object.defineProperty(window, 'visualViewport', { get: () => viewport });
      (window as unknown as { keyboard: (h: number | null, t: number) => void }).keyboard = (h, t) => {
        height = h;
        top = t;
        viewport.dispatchEvent(new Event('resize'));
      };
    });
    await page.reload();
    await openRoom(page, ROOM);
    const keyboard = (h: number | null, t: number) =>
      page.evaluate(([h, t]) => (window as unknown as { keyboard: (h: number | null, t: number) => void }).keyboard(h, t), [h, t] as const);
    const box = () => page.getByLabel('Message', { exact: true }).evaluate((el) => el.getBoundingClientRect().bottom);
    const panelBox = () => panel(page).evaluate((el) => ({ top: el.getBoundingClientRect().top, height: el.getBoundingClientRect().height }));

    // The keyboard is up, 300 px high, and Safari scrolled the layout 40 px to show the focused box.
    await keyboard(367, 40);
    await expect.poll(panelBox, { timeout: WAIT }).toEqual({ top: 40, height: 367 });
    expect(await box()).toBeLessThanOrEqual(40 + 367);
    // Down again: the panel fills the screen.
    await keyboard(null, 0);
    await expect.poll(panelBox, { timeout: WAIT }).toEqual({ top: 0, height: PHONE.height });
    await context.close();
  });

  it('scrolls the conversation, never the page hidden under the panel', async () => {
    const { page } = await alice();
    await page.getByRole('button', { name: 'Close chat panel' }).click();
    await page.evaluate(() => window.scrollTo(0, 0));
    await openRoom(page, ROOM);
    const pageScroll = () => page.evaluate(() => window.scrollY);
    // The page under it is long enough to scroll.
    expect(await page.evaluate(() => document.documentElement.scrollHeight > window.innerHeight)).toBe(true);

    // A swipe on the room's header, and one on the conversation already at its end.
    await page.mouse.move(PHONE.width / 2, 30);
    await page.mouse.wheel(0, 300);
    await wheelTo(page, 'end');
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(300);
    expect(await pageScroll()).toBe(0);
    // The conversation itself still scrolls.
    await wheelTo(page, 'start');

    await page.getByRole('button', { name: 'Back to conversations' }).click();
    const list = panel(page).getByRole('list', { name: 'Conversations' });
    await list.waitFor({ timeout: WAIT });
    await list.hover();
    await page.mouse.wheel(0, 300);
    await page.waitForTimeout(300);
    expect(await pageScroll()).toBe(0);

    // Closed, the page scrolls again.
    await page.getByRole('button', { name: 'Close chat panel' }).click();
    await page.mouse.wheel(0, 300);
    await expect.poll(pageScroll, { timeout: WAIT }).toBeGreaterThan(0);
  });
});
