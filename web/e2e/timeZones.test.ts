/**
 * A client and a cleaner in different time zones. A job's time is the time at
 * the address: the cleaner, wherever their browser is, reads the same day and
 * hour the client chose, not that instant moved into their own zone. And a
 * device whose clock is wrong names the days by the server's clock.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '@ecc/server/testing';
import { chromiumAvailable, launchBrowser } from './support/browser.ts';
import { WAIT, messageLog, openRoom, signIn, type SignedIn } from './support/app.ts';

const DESKTOP = { width: 1280, height: 860 };

describe.runIf(chromiumAvailable())('time zones', () => {
  let server: TestServer;
  let browser: Browser;
  let carol: SignedIn;
  let dan: SignedIn;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
    carol = await signIn(browser, server.url, 'client2', { viewport: DESKTOP, locale: 'en-GB', timezoneId: 'Europe/Berlin' });
    dan = await signIn(browser, server.url, 'cleaner2', { viewport: DESKTOP, locale: 'en-GB', timezoneId: 'America/New_York' });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const whenOn = (who: SignedIn, title: string) => who.page.getByRole('listitem', { name: new RegExp(title) }).locator('dd', { hasText: /\d{4}/ });

  it('shows the time the client chose in the post form to a cleaner in another time zone, as the time at the address', async () => {
    await carol.page.getByLabel('Job title').fill('Oven before the guests');
    await carol.page.getByLabel('When').fill('2026-12-01T10:00');
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    await expect.poll(() => whenOn(carol, 'Oven before the guests').count(), { timeout: WAIT }).toBe(1);
    await dan.page.reload();
    await expect.poll(() => whenOn(dan, 'Oven before the guests').count(), { timeout: WAIT }).toBe(1);
    for (const who of [carol, dan]) {
      const when = await whenOn(who, 'Oven before the guests').innerText();
      expect(when).toMatch(/1 Dec 2026.*10:00/);
      expect(when).toMatch(/at the address/);
    }
  });

  it('does not move a time given with its offset, or a bare date, into the reader’s time zone', async () => {
    const { token } = await server.login('client2');
    const post = (title: string, scheduledAt: string) =>
      fetch(`${server.url}/api/jobs`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ title, scheduledAt }) });
    expect((await post('Windows, Berlin time', '2026-12-01T10:00:00+01:00')).status).toBe(200);
    expect((await post('Carpets, some day', '2026-12-05')).status).toBe(200);
    await dan.page.reload();
    await expect.poll(() => whenOn(dan, 'Carpets, some day').count(), { timeout: WAIT }).toBe(1);
    // New York is six hours behind Berlin: "04:00" would be the client's 10:00 moved into the cleaner's zone.
    expect(await whenOn(dan, 'Windows, Berlin time').innerText()).toMatch(/1 Dec 2026.*10:00.*UTC\+01:00/);
    // Midnight UTC is the evening before in New York: a bare date must stay that date, with no time made up.
    const day = await whenOn(dan, 'Carpets, some day').innerText();
    expect(day).toMatch(/5 Dec 2026/);
    expect(day).not.toMatch(/\d:\d\d/);
  });

  it('draws a date typed in When without its time as typed, not in the grey of the empty box (which the form would not send)', async () => {
    const when = carol.page.getByLabel('When');
    const colour = () => when.evaluate((el) => getComputedStyle(el).color);
    const empty = await colour();
    const typed = await carol.page.getByLabel('Job title').evaluate((el) => getComputedStyle(el).color);
    expect(empty).not.toBe(typed);
    await when.focus();
    await carol.page.keyboard.type('01122026');
    await carol.page.getByLabel('Details').focus();
    // Incomplete, the box's value is still empty: the day typed must not read as a hint of one.
    expect(await when.inputValue()).toBe('');
    expect(await colour()).toBe(typed);
    await carol.page.reload();
  });

  it('calls what was said just now "Today" on a device whose clock is a day behind', async () => {
    // A zone where it is about noon now: the seeded conversation (just now) and "now" fall on one day there.
    const hoursAhead = 12 - new Date().getUTCHours();
    const timezoneId = hoursAhead === 0 ? 'UTC' : `Etc/GMT${hoursAhead > 0 ? '-' : '+'}${Math.abs(hoursAhead)}`;
    const alice = await signIn(browser, server.url, 'client1', { viewport: DESKTOP, locale: 'en-GB', timezoneId });
    await alice.context.clock.setSystemTime(Date.now() - 24 * 3_600_000);
    await alice.page.reload();
    await openRoom(alice.page, /Deep clean/);
    const separators = messageLog(alice.page).getByRole('separator');
    await expect.poll(() => separators.allTextContents(), { timeout: WAIT }).toContain('Today');
    expect(await separators.allTextContents()).not.toContain('Yesterday');
    await alice.context.close();
  });
});
