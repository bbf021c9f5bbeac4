/**
 * Dark mode: with the system set to dark (prefers-color-scheme), the marketplace pages and the
 * chat panel are drawn dark, with no white card, box or bubble left glaring, their text still
 * reading at AA, and the browser's own controls (date box, scrollbars) dark too. contrast.test.ts
 * measures the rest of the text, in both schemes.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { seedBobLines, signedInApp } from './support/fixture.ts';
import { WAIT, openPanel, openRoom, panel } from './support/app.ts';
import { AA_TEXT, luminancesOf } from './support/contrast.ts';

/** Luminance at most that of slate #334155: a surface under it reads as dark (white is 1). */
const DARK = 0.06;

type Surface = [name: string, text: Locator, part?: 'text' | 'placeholder'];

/** Every surface is there, dark, and its text reads on it at AA; the failures are listed together. */
async function expectDark(surfaces: Surface[]): Promise<void> {
  const wrong: string[] = [];
  for (const [name, text, part] of surfaces) {
    await text.first().waitFor({ timeout: WAIT });
    const l = await luminancesOf(text.first(), part);
    const ratio = (Math.max(l.text, l.background) + 0.05) / (Math.min(l.text, l.background) + 0.05);
    if (l.background > DARK) wrong.push(`${name}: background luminance ${l.background.toFixed(2)}`);
    else if (ratio < AA_TEXT) wrong.push(`${name}: ${ratio.toFixed(2)}:1`);
  }
  expect(wrong).toEqual([]);
}

/** The colour scheme the page's native controls are drawn in. */
const controlsScheme = (control: Locator) => control.evaluate((el) => getComputedStyle(el).colorScheme);

describe.runIf(chromiumAvailable())('dark mode', () => {
  // Bob's lines arrive unread: the badges and the "New messages" line show.
  const app = signedInApp({ alice: 'client1', bob: 'cleaner1' }, (server) => seedBobLines(server, 3, 'Hello line'));
  const dark = (page: Page) => page.emulateMedia({ colorScheme: 'dark' });
  beforeAll(async () => {
    await dark(app.alice.page);
    await dark(app.bob.page);
  });

  it('draws the sign-in page dark, its error too', async () => {
    const { server, browser } = app;
    const context = await browser.newContext({ baseURL: server.url, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('client1');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectDark([
      ['sign-in card', page.locator('.sign-in-card h1')],
      ['username box', page.getByLabel('Username')],
      ['wrong password error', page.locator('.form-error')],
      ['demo hint', page.locator('.demo-hint')],
    ]);
    expect(await controlsScheme(page.getByLabel('Username'))).toContain('dark');
    await context.close();
  });

  it('draws the jobs page dark: navigation, cards, chips and the form', async () => {
    const { page } = app.alice;
    await expectDark([
      ['page heading', page.locator('.hero h1')],
      ['navigation bar', page.locator('.nav-user-name')],
      ['role chip', page.locator('.role-chip')],
      ['Contact support button', page.getByRole('button', { name: 'Contact support' })],
      ['post-a-job form', page.locator('.post-job h2')],
      ['empty job title box', page.getByLabel('Job title'), 'placeholder'],
      ['job card title', page.locator('.job-card h3')],
      ['job details', page.locator('.job-description')],
      ['open status chip', page.locator('.status-open')],
      ['assigned status chip', page.locator('.status-assigned')],
    ]);
    // The date box's picker and the page's scrollbars follow the scheme.
    expect(await controlsScheme(page.locator('input[type="datetime-local"], input[type="date"]'))).toContain('dark');
  });

  it('draws the chat panel dark: the list, the room, bubbles, separators and the message box', async () => {
    const { alice, bob } = app;
    const { page } = alice;
    await openPanel(page);
    await expectDark([
      ['panel header', panel(page).locator('.chat-panel-header h2')],
      ['room in the list', panel(page).locator('.chat-list-name')],
      ['preview in the list', panel(page).locator('.chat-list-preview')],
    ]);
    await openRoom(page, /Deep clean/);
    await openRoom(bob.page, /Deep clean/);
    await bob.page.getByLabel('Message', { exact: true }).pressSequentially('On my way');
    const theirs = page.locator('.message.theirs').last();
    await theirs.hover();
    await expect.poll(() => theirs.locator('.message-actions').evaluate((el) => getComputedStyle(el).opacity), { timeout: WAIT }).toBe('1');
    await expectDark([
      ['room header', page.locator('.chat-room-title h2')],
      ['conversation start', page.locator('.conversation-start')],
      ['day separator', page.locator('.date-separator span')],
      ['"New messages" line', page.locator('.unread-separator')],
      ["the other's message", theirs.locator('.message-text')],
      ['Reply on a message', theirs.locator('.message-actions button')],
      ['typing line', page.locator('.typing-indicator').filter({ hasText: 'typing' })],
      ['message box', page.getByLabel('Message', { exact: true }), 'placeholder'],
    ]);
    await bob.page.getByLabel('Message', { exact: true }).fill('');
  });
});
