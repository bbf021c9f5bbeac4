/**
 * A cleaner watching the open jobs sees the board live, over the tab's one socket: a job a client
 * posts in another browser appears without a reload, and goes when another cleaner accepts it.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT } from './support/app.ts';

describe.runIf(chromiumAvailable())('the live open-jobs board', () => {
  const app = signedInApp({ carol: 'client2', bob: 'cleaner1', dan: 'cleaner2' });

  it('shows a job posted elsewhere without a reload, and drops it when another cleaner accepts it', async () => {
    const { carol, bob, dan } = app;
    const openJobs = bob.page.getByRole('region', { name: 'Open jobs' });
    await openJobs.waitFor({ timeout: WAIT });
    let reloads = 0;
    bob.page.on('framenavigated', () => (reloads += 1));

    await carol.page.getByLabel('Job title').fill('Live board: oven and hob');
    await carol.page.getByLabel('Address').fill('12 Quiet Close');
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    const bobCard = openJobs.getByRole('listitem', { name: /Live board: oven and hob/ });
    await bobCard.waitFor({ timeout: WAIT });
    // The newest job comes first, and the address is for the cleaner who accepts it.
    expect(await openJobs.getByRole('listitem').first().getAttribute('aria-label')).toMatch(/Live board: oven and hob/);
    expect(await bobCard.textContent()).toContain('Given to the cleaner who accepts the job');
    expect(await bobCard.textContent()).not.toContain('12 Quiet Close');

    const danCard = dan.page.getByRole('region', { name: 'Open jobs' }).getByRole('listitem', { name: /Live board: oven and hob/ });
    await danCard.getByRole('button', { name: 'Accept job' }).click();
    await expect.poll(() => bobCard.count(), { timeout: WAIT }).toBe(0);
    expect(reloads).toBe(0);
    // Dan's own card moved to his jobs, with the address, and no error flashed for him.
    const danMine = dan.page.getByRole('region', { name: 'My jobs' }).getByRole('listitem', { name: /Live board: oven and hob/ });
    await expect.poll(() => danMine.textContent(), { timeout: WAIT }).toContain('12 Quiet Close');
    expect(await dan.page.getByRole('alert').count()).toBe(0);
  });

  it("keeps a keyboard user's place when the job they were on is taken, and says so politely", async () => {
    const { carol, bob, dan } = app;
    const openJobs = bob.page.getByRole('region', { name: 'Open jobs' });
    for (const title of ['Focus board: windows', 'Focus board: fridge']) {
      await carol.page.getByLabel('Job title').fill(title);
      await carol.page.getByRole('button', { name: 'Post job' }).click();
      await openJobs.getByRole('listitem', { name: new RegExp(title) }).waitFor({ timeout: WAIT });
    }
    const news = bob.page.getByRole('status').filter({ hasText: 'New job: Focus board: fridge' });
    await expect.poll(() => news.count(), { timeout: WAIT }).toBe(1);
    // The newest first: the fridge, then the windows.
    await openJobs.getByRole('listitem', { name: /Focus board: fridge/ }).getByRole('button', { name: 'Accept job' }).focus();
    const focusedCard = () => bob.page.evaluate(() => document.activeElement?.closest('[data-job-id]')?.getAttribute('aria-label') ?? document.activeElement?.tagName);
    expect(await focusedCard()).toMatch(/Focus board: fridge/);

    const danBoard = dan.page.getByRole('region', { name: 'Open jobs' });
    await danBoard.getByRole('listitem', { name: /Focus board: fridge/ }).getByRole('button', { name: 'Accept job' }).click();
    await expect.poll(() => openJobs.getByRole('listitem', { name: /Focus board: fridge/ }).count(), { timeout: WAIT }).toBe(0);
    await expect.poll(focusedCard, { timeout: WAIT }).toMatch(/Focus board: windows/);
    await expect.poll(() => bob.page.getByRole('status').filter({ hasText: 'Job Focus board: fridge is no longer open' }).count(), { timeout: WAIT }).toBe(1);
    // Dan's own accept is no news to him (nor is the list read after it).
    const danMine = dan.page.getByRole('region', { name: 'My jobs' }).getByRole('listitem', { name: /Focus board: fridge/ });
    await danMine.getByRole('button', { name: 'Start job' }).waitFor({ timeout: WAIT });
    expect(await dan.page.getByRole('status').filter({ hasText: 'is no longer open' }).count()).toBe(0);
  });
});
