/**
 * Signing in on a small or zoomed screen (1280×800 at 200 % is 640×400): the
 * sign-in form is scrolled down to its button, and the jobs page that replaces
 * it must not open scrolled down with it (its heading hidden under the bar).
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT } from './support/app.ts';

describe.runIf(chromiumAvailable())('signing in on a small screen', () => {
  const app = signedInApp({});

  it('opens the jobs page at its top', async () => {
    const { server, browser } = app;
    const context = await browser.newContext({ baseURL: server.url, viewport: { width: 640, height: 400 } });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('client1');
    await page.getByLabel('Password').fill('demo');
    const signInButton = page.getByRole('button', { name: 'Sign in' });
    await signInButton.scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => window.scrollY)).toBeGreaterThan(0);
    await signInButton.click();
    await page.getByRole('heading', { name: 'Your cleaning jobs' }).waitFor({ timeout: WAIT });
    await page.getByRole('listitem', { name: /Job #1/ }).waitFor({ timeout: WAIT });
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await context.close();
  });
});
