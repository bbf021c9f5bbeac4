/**
 * What a laid-out room must not do (jsdom lays nothing out, so only a browser shows it): the
 * header's "·" separator is never left alone at a line's start or end when the header wraps on a
 * narrow panel, nor is a system notice's "· time" split over two lines, a message's hover toolbar does not cover its time, messages selected and copied
 * come without the words of the buttons beside them, a message of many lines is edited whole (the boxes grow without CSS field-sizing too), and
 * a message of a few emoji alone is shown large.
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, openRoom, send, signIn, type SignedIn } from './support/app.ts';

/** The visible text of the element line by line, as a reader sees it (clipped characters left out). */
function visibleLines(element: Locator): Promise<string[]> {
  return element.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const chars: { c: string; middle: number; left: number }[] = [];
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent ?? '';
      for (let i = 0; i < text.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const r = range.getBoundingClientRect();
        if (r.width === 0 || r.left < box.left - 0.5 || r.right > box.right + 0.5) continue;
        chars.push({ c: text[i] ?? '', middle: (r.top + r.bottom) / 2, left: r.left });
      }
    }
    // One line: characters whose vertical middles are close (the status chip is smaller, centred).
    const lines: (typeof chars)[] = [];
    for (const ch of chars.sort((a, b) => a.middle - b.middle)) {
      const line = lines.at(-1);
      if (line && Math.abs((line[0]?.middle ?? 0) - ch.middle) < 6) line.push(ch);
      else lines.push([ch]);
    }
    return lines.map((line) => line.sort((a, b) => a.left - b.left).map((ch) => ch.c).join('').trim());
  });
}

describe.runIf(chromiumAvailable())('room layout', () => {
  const app = signedInApp({ alice: 'client1' });

  it('leaves no "·" at the start or end of a line when the header wraps on a narrow panel', async () => {
    const { server, browser } = app;
    // Bob was here and left: Alice sees "Bob Cleaner · Last seen today at …", too long for one line.
    const bob = await signIn(browser, server.url, 'cleaner1');
    await bob.context.close();
    const narrow = await signIn(browser, server.url, 'client1', { width: 320, height: 700 });
    await openRoom(narrow.page, /Deep clean/);
    const facts = narrow.page.locator('.chat-room-header p');
    await facts.getByText(/Last seen/).waitFor({ timeout: WAIT });
    const lines = await visibleLines(facts);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.some((line) => line.startsWith('Last seen'))).toBe(true);
    for (const line of lines) expect(line).not.toMatch(/^·|·$/);
    await narrow.context.close();
  });

  it("keeps a system notice's \"· time\" together on one line, whatever the panel's width", async () => {
    const { server, browser } = app;
    const roomId = server.demo?.roomId;
    if (!roomId) throw new Error('demo data missing');
    const notice = 'The job was moved to Thursday morning. Bob Cleaner brings his own ladder and the eco products.';
    await server.store.appendMessages([{ roomId, senderId: null, type: 'system', content: notice, clientId: null }]);
    const phone = await signIn(browser, server.url, 'client1', { width: 320, height: 700 });
    await openRoom(phone.page, /Deep clean/);
    const shown = phone.page.getByRole('article', { name: 'System notice' }).filter({ hasText: 'eco products' });
    await shown.waitFor({ timeout: WAIT });
    // The panel fills a phone's screen: each width moves where the notice's lines break.
    for (let width = 320; width <= 440; width += 6) {
      await phone.page.setViewportSize({ width, height: 700 });
      const lines = await visibleLines(shown);
      const last = lines.at(-1) ?? '';
      expect(last, `at ${width} px: ${JSON.stringify(lines)}`).toMatch(/· \d{1,2}:\d{2}(\s?[AP]M)?$/);
      expect(lines.slice(0, -1).join('\n'), `at ${width} px`).not.toMatch(/·|\d:\d\d/);
    }
    await phone.context.close();
  });

  it("keeps a message's time readable while its actions are shown over it", async () => {
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    await send(page, 'ok');
    const mine = page.getByRole('article', { name: 'From You' }).filter({ hasText: 'ok' }).last();
    await mine.getByText('Sent').waitFor({ timeout: WAIT });
    await mine.hover();
    const actions = mine.getByRole('button', { name: 'Edit' });
    await actions.waitFor({ timeout: WAIT });
    const time = mine.locator('time');
    // What is drawn at the middle of the time is the time, not a button over it.
    const onTop = await time.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return el.contains(document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2));
    });
    expect(onTop).toBe(true);
  });

  it("copies selected messages without their buttons' words or delivery state", async () => {
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    await send(page, 'Keys under the mat');
    await send(page, 'Code 4512');
    const last = page.getByRole('article', { name: 'From You' }).filter({ hasText: 'Code 4512' }).last();
    await last.getByText('Sent').waitFor({ timeout: WAIT });
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    // Selected from the first of the two messages to the end of the second, then copied.
    await page.evaluate(() => {
      const articles = [...document.querySelectorAll('[role="log"] [role="article"]')];
      const range = document.createRange();
      range.setStartBefore(articles.at(-2) as Node);
      range.setEndAfter(articles.at(-1) as Node);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
    });
    await page.keyboard.press('Control+C');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Keys under the mat');
    expect(copied).toContain('Code 4512');
    expect(copied).not.toMatch(/Reply|Edit|Delete|Sent/);
  });

  it('edits a message of many lines in a box that shows them all, its Save button in view', async () => {
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    const keys = 'Keys:\n1. under the mat\n2. spare with the neighbour\n3. garage code 4512\n4. alarm 9988\n5. the dog is friendly';
    await send(page, keys);
    const mine = page.getByRole('article', { name: 'From You' }).filter({ hasText: 'the dog is friendly' }).last();
    await mine.getByText('Sent').waitFor({ timeout: WAIT });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const box = page.getByLabel('Edit text');
    await expect.poll(() => box.evaluate((el) => el.scrollHeight - el.clientHeight), { timeout: WAIT }).toBeLessThanOrEqual(1);
    const save = page.getByRole('button', { name: 'Save' });
    const inView = () =>
      save.evaluate((el) => {
        const list = el.closest('.message-list')?.getBoundingClientRect();
        const r = el.getBoundingClientRect();
        return list !== undefined && r.top >= list.top - 0.5 && r.bottom <= list.bottom + 0.5;
      });
    await expect.poll(inView, { timeout: WAIT }).toBe(true);
    await page.keyboard.press('Escape');
  });

  /** Signed in as Alice in a browser without CSS field-sizing (Safari, Firefox), of the given screen size. */
  async function withoutFieldSizing(screen?: { width: number; height: number }): Promise<SignedIn> {
    const safari = await signIn(app.browser, app.server.url, 'client1', screen);
    // Chromium has `field-sizing: content`; these browsers do not: take it away, as they would not have it.
    await safari.context.addInitScript(() => {
      const supports = CSS.supports.bind(CSS) as (...args: string[]) => boolean;
      CSS.supports = ((...args: string[]) => (args.join(':').includes('field-sizing') ? false : supports(...args))) as typeof CSS.supports;
      document.addEventListener('DOMContentLoaded', () => {
        const style = document.createElement('style');
        style.textContent = 'textarea { field-sizing: fixed !important; }';
        document.head.append(style);
      });
    });
    await safari.page.reload();
    return safari;
  }

  it('grows the message and edit boxes with their text in a browser without CSS field-sizing (Safari, Firefox)', async () => {
    const safari = await withoutFieldSizing();
    const { page } = safari;
    await openRoom(page, /Deep clean/);
    const box = page.getByLabel('Message');
    const oneLine = await box.evaluate((el) => el.clientHeight);
    await box.fill('Keys:\n1. under the mat\n2. with the neighbour\n3. garage 4512');
    // Every line in sight, none scrolled away inside the box.
    await expect.poll(() => box.evaluate((el) => el.scrollHeight - el.clientHeight), { timeout: WAIT }).toBeLessThanOrEqual(1);
    expect(await box.evaluate((el) => el.clientHeight)).toBeGreaterThan(2 * oneLine);
    await box.press('Enter');
    await expect.poll(() => box.evaluate((el) => el.clientHeight), { timeout: WAIT }).toBe(oneLine);

    const mine = page.getByRole('article', { name: 'From You' }).filter({ hasText: 'garage 4512' }).last();
    await mine.getByText('Sent').waitFor({ timeout: WAIT });
    await mine.hover();
    await mine.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByLabel('Edit text');
    await expect.poll(() => edit.evaluate((el) => el.scrollHeight - el.clientHeight), { timeout: WAIT }).toBeLessThanOrEqual(1);
    await safari.context.close();
  });

  it('fits the message box to its text again when a phone is turned upright, without a keystroke (no CSS field-sizing)', async () => {
    const safari = await withoutFieldSizing({ width: 844, height: 390 });
    const { page } = safari;
    await openRoom(page, /Deep clean/);
    const box = page.getByLabel('Message');
    await box.fill('The spare key is with the neighbour on the second floor, flat 2B: ring twice.');
    const hidden = () => box.evaluate((el) => el.scrollHeight - el.clientHeight);
    await expect.poll(hidden, { timeout: WAIT }).toBeLessThanOrEqual(1);
    const sideways = await box.evaluate((el) => el.clientHeight);
    // Upright, the box is half as wide: the same text takes more lines, all of them in sight.
    await page.setViewportSize({ width: 390, height: 844 });
    await expect.poll(hidden, { timeout: WAIT }).toBeLessThanOrEqual(1);
    expect(await box.evaluate((el) => el.clientHeight)).toBeGreaterThan(sideways);
    await safari.context.close();
  });

  it('shows a message of a few emoji alone larger than text', async () => {
    const { page } = app.alice;
    await openRoom(page, /Deep clean/);
    await send(page, 'Done 👍');
    await send(page, '👍');
    const sizeOf = (text: string) =>
      page
        .getByRole('article', { name: 'From You' })
        .locator('p', { hasText: new RegExp(`^${text}$`) })
        .last()
        .evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    await page.getByRole('article', { name: 'From You' }).last().getByText('Sent').waitFor({ timeout: WAIT });
    expect(await sizeOf('👍')).toBeGreaterThan(1.5 * (await sizeOf('Done 👍')));
  });
});
