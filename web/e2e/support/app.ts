/** Page helpers for the browser tests, written against what a user sees (roles, labels, text). */
import type { Browser, BrowserContext, BrowserContextOptions, Locator, Page } from 'playwright-core';

/** Generous: the machine is a loaded 2-core box. */
export const WAIT = 20_000;

export interface SignedIn {
  context: BrowserContext;
  page: Page;
}

/** A phone held upright, used with a finger: touch events, no hover, a coarse pointer. */
export const TOUCH_PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 } as const;

/**
 * A fresh browser context (own cookies) signed in as `username` through the sign-in form.
 * `device` is a screen size, or a whole device such as TOUCH_PHONE.
 */
export async function signIn(
  browser: Browser,
  baseUrl: string,
  username: string,
  device: { width: number; height: number } | Omit<BrowserContextOptions, 'baseURL'> = { width: 1280, height: 860 },
): Promise<SignedIn> {
  const options = 'width' in device ? { viewport: device } : device;
  const context = await browser.newContext({ ...options, baseURL: baseUrl });
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('demo');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: /^Chats/ }).waitFor({ timeout: WAIT });
  return { context, page };
}

export function chatsButton(page: Page): Locator {
  return page.getByRole('button', { name: /^Chats/ });
}

export function panel(page: Page): Locator {
  return page.getByRole('dialog', { name: 'Chats' });
}

/** Opens the panel when closed. */
export async function openPanel(page: Page): Promise<void> {
  if (await panel(page).isVisible()) return;
  await chatsButton(page).click();
  await panel(page).waitFor({ timeout: WAIT });
}

export function chatListItem(page: Page, name: string | RegExp): Locator {
  return panel(page).getByRole('list', { name: 'Conversations' }).getByRole('listitem').filter({ hasText: name });
}

/** Opens a room from the chat list (the panel reopens on the last room, so go back to the list first). */
export async function openRoom(page: Page, name: string | RegExp): Promise<void> {
  await openPanel(page);
  const back = panel(page).getByRole('button', { name: 'Back to conversations' });
  if (await back.isVisible()) await back.click();
  await chatListItem(page, name).getByRole('button').click();
  await page.getByLabel('Message', { exact: true }).waitFor({ timeout: WAIT });
}

/**
 * Waits until a tab reloaded inside the room `name` is back in it: the app reopens it once the
 * socket's `ready` has come (panelHistory.ts). Acting before (openRoom) would race that.
 */
export async function backInRoom(page: Page, name: string | RegExp): Promise<void> {
  await panel(page).getByRole('heading', { level: 2, name }).waitFor({ timeout: WAIT });
  await page.getByLabel('Message', { exact: true }).waitFor({ timeout: WAIT });
}

export async function send(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message', { exact: true });
  await box.fill(text);
  await box.press('Enter');
}

export function messageLog(page: Page): Locator {
  return page.getByRole('log', { name: 'Conversation' });
}

/**
 * Scrolls the conversation to its start or end with the mouse wheel, as a
 * reader does. (An instant jump across rows the list never measured, like
 * `scrollTo({top: 0})`, can be undone by react-virtuoso's size correction,
 * which then starts from the position before the jump.)
 */
export async function wheelTo(page: Page, end: 'start' | 'end'): Promise<void> {
  const scroller = page.locator('.message-list');
  await scroller.hover();
  for (let i = 0; i < 80; i++) {
    const there = await scroller.evaluate((el, to) => (to === 'start' ? el.scrollTop <= 0 : el.scrollTop + el.clientHeight >= el.scrollHeight - 1), end);
    if (there) return;
    await page.mouse.wheel(0, end === 'start' ? -400 : 400);
    await page.waitForTimeout(40);
  }
  throw new Error(`the conversation did not scroll to its ${end}`);
}

