/**
 * The chat from the keyboard alone, in a real browser: where focus goes when
 * a view it was in goes away, and that the focus ring can be seen. (The component tests cannot show these: they
 * mock react-virtuoso's viewport, which draws a list differently.)
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, messageLog, openRoom, panel, send, signIn } from './support/app.ts';

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

/**
 * The contrast of `control`'s focus ring, focused from the keyboard, against what it is drawn on
 * (the nearest opaque background around the control, or the control's own for a ring drawn inside it).
 */
async function focusRingContrast(page: Page, control: Locator): Promise<number> {
  await page.keyboard.press('Shift'); // the last input is the keyboard: focus() shows the ring
  await control.focus();
  return control.evaluate((el) => {
    if (!el.matches(':focus-visible')) return 0;
    const rgb = (css: string) => (css.match(/[\d.]+/g) ?? []).map(Number);
    const luminance = ([r = 0, g = 0, b = 0]: number[]) => {
      const lin = (c: number) => ((c /= 255) <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
      return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
    };
    const style = getComputedStyle(el);
    if (style.outlineStyle === 'none' || parseFloat(style.outlineWidth) < 2) return 0;
    // A ring drawn inside (negative offset, for a scroller whose edges the panel clips) sits on the element's own background.
    let around = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement;
    while (around && rgb(getComputedStyle(around).backgroundColor)[3] !== undefined && rgb(getComputedStyle(around).backgroundColor)[3] !== 1) {
      around = around.parentElement;
    }
    const [ring, back] = [luminance(rgb(style.outlineColor)), luminance(rgb(around ? getComputedStyle(around).backgroundColor : 'rgb(255, 255, 255)'))];
    return (Math.max(ring, back) + 0.05) / (Math.min(ring, back) + 0.05);
  });
}

/**
 * The sides where `control`'s focus ring, focused from the keyboard, is cut off by a box around it that
 * clips (the chat panel, a list's scroller): drawn there, the ring shows as a bare line or not at all.
 */
async function ringCutOff(page: Page, control: Locator): Promise<string[]> {
  await page.keyboard.press('Shift');
  await control.focus();
  return control.evaluate((el) => {
    if (!el.matches(':focus-visible')) return ['no ring'];
    const style = getComputedStyle(el);
    const reach = parseFloat(style.outlineWidth) + parseFloat(style.outlineOffset);
    const box = el.getBoundingClientRect();
    const ring = { left: box.left - reach, top: box.top - reach, right: box.right + reach, bottom: box.bottom + reach };
    const cut = new Set<string>();
    for (let around = el.parentElement; around; around = around.parentElement) {
      if (getComputedStyle(around).overflow === 'visible') continue;
      const outer = around.getBoundingClientRect();
      const left = outer.left + around.clientLeft;
      const top = outer.top + around.clientTop;
      if (ring.left < left) cut.add('left');
      if (ring.top < top) cut.add('top');
      if (ring.right > left + around.clientWidth) cut.add('right');
      if (ring.bottom > top + around.clientHeight) cut.add('bottom');
    }
    return [...cut];
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

  it.each(['light', 'dark'] as const)('shows a focus ring that stands out (3:1) from what is around it: panel header, chat list, my own message (%s)', async (colorScheme) => {
    const page = app.alice.page;
    await page.emulateMedia({ colorScheme });
    await openRoom(page, ROOM);
    await send(page, `The ${colorScheme} list: https://example.com/checklist`);
    const link = messageLog(page).getByRole('link', { name: 'https://example.com/checklist' }).last();
    await link.waitFor({ timeout: WAIT });
    const contrasts: Record<string, number> = {};
    contrasts['a link in my message'] = await focusRingContrast(page, link);
    // The conversation itself can hold the focus ("Newest messages ↓" hands it on to it, the arrow keys then scroll it): react-virtuoso's own style hid its ring.
    contrasts['the conversation'] = await focusRingContrast(page, messageLog(page));
    contrasts['Back to conversations'] = await focusRingContrast(page, panel(page).getByRole('button', { name: 'Back to conversations' }));
    await panel(page).getByRole('button', { name: 'Back to conversations' }).click();
    contrasts['Close chat panel'] = await focusRingContrast(page, panel(page).getByRole('button', { name: 'Close chat panel' }));
    contrasts['a chat list row'] = await focusRingContrast(page, panel(page).getByRole('listitem').first().getByRole('button'));
    const weak = Object.entries(contrasts).filter(([, contrast]) => contrast < 3);
    expect(weak.map(([name, contrast]) => `${name} ${contrast.toFixed(2)}:1`)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
  });

  it('shows the whole focus ring of a chat list row and of a message, none of it cut off at the panel\'s or list\'s edge', async () => {
    const page = app.alice.page;
    await openRoom(page, ROOM);
    await send(page, 'A message whose ring must show whole');
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).last();
    await mine.getByText('A message whose ring must show whole').waitFor({ timeout: WAIT });
    const cut: Record<string, string[]> = { 'my message': await ringCutOff(page, mine) };
    await panel(page).getByRole('button', { name: 'Back to conversations' }).click();
    // The first row sits at the list's top edge, its sides near the panel's.
    cut['the first chat list row'] = await ringCutOff(page, panel(page).getByRole('listitem').first().getByRole('button'));
    expect(cut).toEqual({ 'my message': [], 'the first chat list row': [] });
  });

  it('on a phone (a keyboard paired with it), shows the whole ring of the room header\'s ← and ×, at the screen\'s edges', async () => {
    const { page, context } = await signIn(app.browser, app.server.url, 'client1', TOUCH_PHONE);
    await openRoom(page, ROOM);
    const cut = {
      back: await ringCutOff(page, panel(page).getByRole('button', { name: 'Back to conversations' })),
      close: await ringCutOff(page, panel(page).getByRole('button', { name: 'Close chat panel' })),
    };
    expect(cut).toEqual({ back: [], close: [] });
    await context.close();
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
