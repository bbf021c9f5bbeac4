/**
 * The chat used with a finger on a phone (390×844, touch, no hover): every control of the open
 * room is big enough to hit, about 40 px or more each way, not the 22 px a mouse gets by with;
 * the room's name is not cut to a tooltip no finger can open; a room opens to be read, without
 * the on-screen keyboard over it; a tapped button does not stay highlighted; the phone turned
 * sideways (844×390) gets the room over the whole screen too, a tablet whose keyboard shortens
 * the layout as much does not.
 */
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, chatsButton, messageLog, openRoom, panel, signIn, type SignedIn } from './support/app.ts';

const ROOM = /Deep clean/;
const FINGER_PX = 40;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/** Bob's last message in the open room. */
function theirs(page: Page): Locator {
  return messageLog(page).getByRole('article', { name: 'From Bob Cleaner' }).last();
}

/** The controls, by name, that are smaller than a fingertip: "Edit 37×22". */
async function tooSmall(controls: Record<string, Locator>): Promise<string[]> {
  const small: string[] = [];
  for (const [name, control] of Object.entries(controls)) {
    const box = await control.boundingBox();
    if (!box) small.push(`${name} not shown`);
    else if (box.width < FINGER_PX || box.height < FINGER_PX) small.push(`${name} ${Math.round(box.width)}×${Math.round(box.height)}`);
  }
  return small;
}

describe.runIf(chromiumAvailable())('the chat with a finger on a phone', () => {
  const app = signedInApp({});
  let phone: SignedIn | undefined;
  async function alice(): Promise<SignedIn> {
    phone ??= await signIn(app.browser, app.server.url, 'client1', TOUCH_PHONE);
    return phone;
  }

  it('has controls a finger can hit: Chats, Back, Close, attach, Send, a message\'s Reply, Edit and Delete, Cancel reply, Remove file, Save and Cancel', async () => {
    const { page } = await alice();
    const chats = chatsButton(page);
    const small = await tooSmall({ Chats: chats });
    await chats.tap();
    await panel(page).getByRole('listitem').filter({ hasText: ROOM }).getByRole('button').tap();
    const box = page.getByLabel('Message', { exact: true });
    await box.waitFor({ timeout: WAIT });
    const log = messageLog(page);
    const mine = log.getByRole('article', { name: 'From You' }).last();
    await mine.waitFor({ timeout: WAIT });

    const room = {
      Back: panel(page).getByRole('button', { name: 'Back to conversations' }),
      Close: panel(page).getByRole('button', { name: 'Close chat panel' }),
      // The 📎 the finger presses: the label around the hidden file input.
      Attach: panel(page).locator('label.attach-button'),
      Reply: log.getByRole('button', { name: 'Reply to Bob Cleaner' }).last(),
      Edit: mine.getByRole('button', { name: 'Edit' }),
      Delete: mine.getByRole('button', { name: 'Delete' }),
    };
    small.push(...(await tooSmall({ Back: room.Back, Close: room.Close, Attach: room.Attach })));
    // A message's actions are shown for the message tapped.
    await mine.locator('.message-text').tap();
    small.push(...(await tooSmall({ Edit: room.Edit, Delete: room.Delete })));
    await theirs(page).locator('.message-text').tap();
    small.push(...(await tooSmall({ Reply: room.Reply })));

    await room.Reply.tap();
    await box.fill('Noted');
    await page.getByLabel('Attach a photo or PDF').setInputFiles({ name: 'checklist.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByRole('group', { name: 'Attached file' }).waitFor({ timeout: WAIT });
    const composing = {
      'Cancel reply': page.getByRole('button', { name: 'Cancel reply' }),
      'Remove file': page.getByRole('button', { name: 'Remove checklist.pdf' }),
      Send: page.getByRole('button', { name: 'Send' }),
    };
    small.push(...(await tooSmall(composing)));

    await mine.locator('.message-text').tap();
    await room.Edit.tap();
    const edit = log.getByRole('textbox', { name: 'Edit text' });
    await edit.waitFor({ timeout: WAIT });
    small.push(...(await tooSmall({ Save: mine.getByRole('button', { name: 'Save' }), Cancel: mine.getByRole('button', { name: 'Cancel' }) })));
    expect(small).toEqual([]);
    await mine.getByRole('button', { name: 'Cancel' }).tap();
  });

  it('shows the room\'s whole name in its header, which a finger cannot hover for the tooltip', async () => {
    const { page } = await alice();
    await openRoom(page, ROOM);
    const title = panel(page).getByRole('heading', { level: 2 });
    expect(await title.textContent()).toBe('Job #1 · Deep clean of a 2-bedroom flat');
    // Wrapped, not cut with an ellipsis: nothing of it overflows its box.
    const cut = await title.evaluate((el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight);
    expect(cut).toBe(false);
  });

  it('opens a room to be read, without raising the on-screen keyboard over it until the message box is tapped', async () => {
    const { page } = await alice();
    await openRoom(page, ROOM);
    const focus = () =>
      page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return 'nowhere';
        const where = el.closest('[role="dialog"]') ? 'panel' : 'page';
        return `${where}: ${el.matches('textarea, input') ? 'text box' : el.tagName}`;
      });
    // In the panel still (a screen reader's place), not in a text box: that would raise the keyboard.
    expect(await focus()).toMatch(/^panel: (?!text box)/);
    await page.getByLabel('Message', { exact: true }).tap();
    expect(await focus()).toBe('panel: text box');
  });

  it('shows "Confirm delete" in red beside a plain "Keep", so the finger knows which one deletes', async () => {
    const { page } = await alice();
    await openRoom(page, ROOM);
    const mine = messageLog(page).getByRole('article', { name: 'From You' }).last();
    await mine.locator('.message-text').tap();
    await mine.getByRole('button', { name: 'Delete' }).tap();
    const colour = (name: string) => mine.getByRole('button', { name }).evaluate((el) => getComputedStyle(el).color);
    expect(await colour('Confirm delete')).toBe('rgb(220, 38, 38)');
    expect(await colour('Keep')).not.toBe('rgb(220, 38, 38)');
    await mine.getByRole('button', { name: 'Keep' }).tap();
  });

  it("does not leave a message's Reply button highlighted after the finger lifts", async () => {
    // A tap moves the browser's hover to where the finger was, and it stays there: a hover style
    // kept the button looking pressed (white, in the brand's colour) until a tap elsewhere.
    const { page } = await alice();
    await openRoom(page, ROOM);
    const replies = messageLog(page).getByRole('button', { name: 'Reply to Bob Cleaner' });
    const look = (button: Locator) => button.evaluate((el) => `${getComputedStyle(el).backgroundColor} ${getComputedStyle(el).color}`);
    await theirs(page).locator('.message-text').tap();
    const untouched = await look(replies.last());
    // Tapped once the reply shows above the message box, which moves the messages up; tapped again
    // where it is now (the message tapped again to show its actions), nothing moves and the hover stays on it.
    await replies.last().tap();
    await page.getByRole('button', { name: 'Cancel reply' }).waitFor({ timeout: WAIT });
    await theirs(page).locator('.message-text').tap();
    await replies.last().tap();
    expect(await replies.last().evaluate((el) => el.matches(':hover'))).toBe(true);
    expect(await look(replies.last())).toBe(untouched);
    await page.getByRole('button', { name: 'Cancel reply' }).tap();
  });

  it('turned sideways, shows the room over the whole screen, not in a box a third of its height', async () => {
    const sideways = { ...TOUCH_PHONE, viewport: { width: TOUCH_PHONE.viewport.height, height: TOUCH_PHONE.viewport.width } };
    const { page } = await signIn(app.browser, app.server.url, 'client1', sideways);
    await openRoom(page, ROOM);
    const box = await panel(page).boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: sideways.viewport.width, height: sideways.viewport.height });
    // It covers the page, which is out of reach meanwhile (as upright).
    expect(await panel(page).getAttribute('aria-modal')).toBe('true');
  });

  it('on a tablet held sideways, leaves the page usable beside the panel when the on-screen keyboard comes up', async () => {
    // The keyboard shortens the layout (interactive-widget=resizes-content) under 500 px: that is no
    // sideways phone, and the panel covering the page (inert) took the focus from the field typed in.
    const tablet = { viewport: { width: 1280, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
    const { page, context } = await signIn(app.browser, app.server.url, 'client1', tablet);
    await chatsButton(page).tap();
    await panel(page).waitFor({ timeout: WAIT });
    const field = page.getByLabel('Job title');
    await field.tap();
    await page.setViewportSize({ width: 1280, height: 450 });
    await expect.poll(() => panel(page).evaluate((el) => getComputedStyle(el).width), { timeout: WAIT }).not.toBe('1280px');
    expect(await panel(page).getAttribute('aria-modal')).not.toBe('true');
    expect(await field.evaluate((el) => el === document.activeElement)).toBe(true);
    await context.close();
  });
});
