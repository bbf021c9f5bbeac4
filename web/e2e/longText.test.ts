/**
 * Text longer than its place, as people type it: a job title or an address
 * written as one long word stays inside its card (jsdom lays nothing out, so
 * only a browser shows it).
 */
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';

const TITLE = 'Supercalifragilisticexpialidocious-window-and-balcony-cleaning';
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
  });

  it('breaks a job title and an address written as one long word inside the job card', async () => {
    const { carol } = app;
    const card = carol.page.getByRole('listitem', { name: new RegExp(TITLE) });
    await card.waitFor();
    expect(await overflowOf(card.getByRole('heading', { name: TITLE }))).toBe(0);
    expect(await overflowOf(card.locator('dd', { hasText: ADDRESS }))).toBe(0);
    expect(await overflowOf(card)).toBe(0);
  });
});
