/**
 * Text longer than its place, as people type it: a job title or an address
 * written as one long word stays inside its card; a long display name leaves
 * the navigation on one row (jsdom lays nothing out, so only a browser shows it).
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { signIn } from './support/app.ts';

const TITLE = 'Supercalifragilisticexpialidocious-window-and-balcony-cleaning';
const LONG_NAME = 'Carolina Wilhelmina Constance Clementine-Caroline Fitzgerald-Montgomery';
const ADDRESS = 'https://maps.example.com/place/12-Rosemary-Lane-Flat-3-London-NW1-6XE';

/** How far the element's content runs out of its box, in CSS pixels (0 when it fits). */
function overflowOf(element: Locator): Promise<number> {
  return element.evaluate((el) => el.scrollWidth - el.clientWidth);
}

describe.runIf(chromiumAvailable())('long text', () => {
  const app = signedInApp({ carol: 'client2' }, async (server) => {
    const carol = server.demo?.users.client2;
    if (!carol) throw new Error('demo data missing');
    await server.store.createJob({ clientId: carol.id, title: TITLE, address: ADDRESS });
    const demoPassword = (await server.store.findUserByUsername('client2'))?.passwordHash ?? '';
    await server.store.createUser({ username: 'longname', displayName: LONG_NAME, role: 'cleaner', passwordHash: demoPassword });
  });

  it('breaks a job title and an address written as one long word inside the job card', async () => {
    const { carol } = app;
    const card = carol.page.getByRole('listitem', { name: new RegExp(TITLE) });
    await card.waitFor();
    expect(await overflowOf(card.getByRole('heading', { name: TITLE }))).toBe(0);
    expect(await overflowOf(card.locator('dd', { hasText: ADDRESS }))).toBe(0);
    expect(await overflowOf(card)).toBe(0);
  });

  it('keeps the navigation on one row under a long display name, which can be read whole on hover', async () => {
    const { server, browser } = app;
    const { context, page } = await signIn(browser, server.url, 'longname', { width: 1280, height: 800 });
    const nav = page.getByRole('navigation', { name: 'Main' });
    const tops = await nav.getByRole('button').evaluateAll((buttons) => buttons.map((b) => Math.round(b.getBoundingClientRect().top)));
    expect(new Set(tops).size).toBe(1);
    expect(await nav.getByTitle(LONG_NAME).textContent()).toBe(LONG_NAME);
    await context.close();
  });
});
