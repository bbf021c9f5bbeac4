/**
 * `npm run screenshots -w web`: builds the app, starts a test server with the
 * demo data, and saves PNGs of the main screens (desktop and phone) under
 * docs/screenshots/ for the README; then again on a fresh server with the system
 * set to dark (`<name>-dark.png`).
 *
 * The 📎 and the demo's emoji need a colour emoji font (Debian: fonts-noto-color-emoji), or they are
 * drawn as empty boxes: a warning says so.
 */
import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startTestServer } from '@ecc/server/testing';
import { RoomResponse } from '@ecc/protocol';
import type { Browser, Page } from 'playwright-core';
import { chromiumAvailable, launchBrowser } from '../e2e/support/browser.ts';
import { TOUCH_PHONE, WAIT, openPanel, openRoom, signIn } from '../e2e/support/app.ts';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.resolve(webDir, '..', 'docs', 'screenshots');
// The demo's messages and jobs are stamped now: shown where it is mid-morning, they read like a working day, not "1:05 AM".
const timezoneId = morningZone(new Date());
const DESKTOP = { viewport: { width: 1280, height: 800 }, timezoneId };
// A real phone: touch, no hover, its pixel density (the finger-sized controls and the room's two-line title show).
const PHONE = { ...TOUCH_PHONE, timezoneId };

/** An `Etc/GMT…` zone where it is 10 o'clock at `now`'s UTC hour. */
function morningZone(now: Date): string {
  const hoursEast = ((10 - now.getUTCHours() + 36) % 24) - 12; // -12 … 11
  // The Etc zones' signs are POSIX's: Etc/GMT-10 is ten hours east of UTC.
  return hoursEast === 0 ? 'Etc/UTC' : `Etc/GMT${hoursEast > 0 ? '-' : '+'}${Math.abs(hoursEast)}`;
}

function warnWithoutEmojiFont(): void {
  try {
    if (execFileSync('fc-list', [':charset=1f4ce'], { encoding: 'utf8' }).trim()) return;
  } catch {
    // no fontconfig to ask: say nothing
    return;
  }
  console.warn('no emoji font: the 📎 and the emoji in the screenshots will be empty boxes (install fonts-noto-color-emoji)');
}

async function main(): Promise<void> {
  if (!chromiumAvailable()) throw new Error('Chromium is needed for screenshots');
  warnWithoutEmojiFont();
  await build({ root: webDir, configFile: path.join(webDir, 'vite.config.ts'), logLevel: 'warn' });
  await mkdir(outDir, { recursive: true });
  const browser = await launchBrowser();
  try {
    await shootAll(browser, 'light');
    await shootAll(browser, 'dark');
  } finally {
    await browser.close();
  }
}

/** Every screen in one colour scheme, on a server of its own (the unread counts and the typing line as the first time). */
async function shootAll(browser: Browser, colorScheme: 'light' | 'dark'): Promise<void> {
  const suffix = colorScheme === 'dark' ? '-dark' : '';
  const desktop = { ...DESKTOP, colorScheme };
  const phoneDevice = { ...PHONE, colorScheme };
  const server = await startTestServer();
  try {
    const demo = server.demo;
    const bobUser = demo?.users.cleaner1;
    if (!demo || !bobUser) throw new Error('demo data missing');
    await server.store.appendMessages([
      { roomId: demo.roomId, senderId: bobUser.id, type: 'text', content: 'Quick question: is there parking nearby? https://maps.example.com/rosemary-lane', clientId: 'shot-1' },
      { roomId: demo.roomId, senderId: bobUser.id, type: 'text', content: 'I will bring eco-friendly products 🌿', clientId: 'shot-2' },
    ]);
    // A support conversation too, so the chat list shows more than one room.
    const { token } = await server.login('client1');
    const support = await fetch(`${server.url}/api/support`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
    const supportRoom = RoomResponse.parse(await support.json()).room;
    const agent = supportRoom.participants.find((p) => p.role === 'support');
    if (agent) {
      await server.store.appendMessages([
        { roomId: supportRoom.id, senderId: agent.id, type: 'text', content: 'Hi Alice, Sam here. How can we help today?', clientId: 'shot-3' },
      ]);
    }
    const shot = async (page: Page, shotName: string) => {
      const name = `${shotName}${suffix}`;
      // Not over a card or a button, which would show hovered (where there is a mouse).
      if (!(await page.evaluate(() => matchMedia('(hover: none)').matches))) await page.mouse.move(0, 0);
      await page.waitForTimeout(400); // let transitions and fonts settle
      await page.screenshot({ path: path.join(outDir, `${name}.png`) });
      process.stdout.write(`saved docs/screenshots/${name}.png\n`);
    };

    const anon = await browser.newContext({ ...desktop, baseURL: server.url });
    const signInPage = await anon.newPage();
    await signInPage.goto('/');
    await signInPage.getByLabel('Username').waitFor({ timeout: WAIT });
    await shot(signInPage, 'sign-in');
    await anon.close();

    const bob = await signIn(browser, server.url, 'cleaner1', desktop);
    const alice = await signIn(browser, server.url, 'client1', desktop);
    await alice.page.getByRole('listitem').first().waitFor({ timeout: WAIT });
    await shot(alice.page, 'jobs');
    await openPanel(alice.page);
    await alice.page.getByRole('list', { name: 'Conversations' }).waitFor({ timeout: WAIT });
    await shot(alice.page, 'chat-list');
    await openRoom(alice.page, /Deep clean/);
    await alice.page.getByText('eco-friendly').waitFor({ timeout: WAIT });
    await openRoom(bob.page, /Deep clean/);
    await bob.page.getByLabel('Message', { exact: true }).fill('Sounds good');
    await alice.page.getByText('Bob Cleaner is typing…').waitFor({ timeout: WAIT });
    await alice.page.getByLabel('Message', { exact: true }).fill('Yes, free parking behind the building.');
    await shot(alice.page, 'chat-room');

    const phoneCarol = await signIn(browser, server.url, 'cleaner2', phoneDevice);
    await phoneCarol.page.getByRole('button', { name: 'Accept job' }).first().waitFor({ timeout: WAIT });
    await shot(phoneCarol.page, 'phone-jobs');
    const phone = await signIn(browser, server.url, 'client1', phoneDevice);
    await openPanel(phone.page);
    await phone.page.getByRole('list', { name: 'Conversations' }).waitFor({ timeout: WAIT });
    await shot(phone.page, 'phone-chat-list');
    await openRoom(phone.page, /Deep clean/);
    await phone.page.getByText('eco-friendly').waitFor({ timeout: WAIT });
    await shot(phone.page, 'phone-chat-room');
  } finally {
    for (const context of browser.contexts()) await context.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
