/**
 * Support staff's "All jobs" in a browser: the cards name each job's client and cleaner (the list's
 * `clientName`/`cleanerName` from a real server), "Find jobs" narrows them to the client who writes in,
 * and a job posted or moved by others shows as it is now without a reload (`job_changed`).
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT } from './support/app.ts';

describe.runIf(chromiumAvailable())("support staff's jobs page", () => {
  const app = signedInApp({ sam: 'support1', bob: 'cleaner1', carol: 'client2' });

  it("names each job's people and finds a client's jobs by name", async () => {
    const { page } = app.sam;
    const cards = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem');
    const deepClean = cards.filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    await expect.poll(() => deepClean.textContent(), { timeout: WAIT }).toContain('ClientAlice Client');
    expect(await deepClean.textContent()).toContain('CleanerBob Cleaner');
    expect(await cards.filter({ hasText: 'Window cleaning, terraced house' }).textContent()).toContain('ClientCarol Client');
    expect(await cards.count()).toBe(3);

    await page.getByRole('searchbox', { name: 'Find jobs' }).fill('carol');
    await expect.poll(() => cards.count(), { timeout: WAIT }).toBe(1);
    expect(await cards.first().textContent()).toContain('Window cleaning, terraced house');
    expect(await page.getByRole('status').filter({ hasText: 'job' }).textContent()).toBe('1 job matches');

    await page.getByRole('searchbox', { name: 'Find jobs' }).fill('nobody here');
    await expect.poll(() => cards.count(), { timeout: WAIT }).toBe(0);
    expect(await page.getByText('No jobs match “nobody here”.').isVisible()).toBe(true);
  });

  it('shows a job posted, started and completed by others as it is now, without a reload', async () => {
    const { page } = app.sam;
    await page.getByRole('searchbox', { name: 'Find jobs' }).fill('');
    const cards = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem');
    const deepClean = cards.filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    await expect.poll(() => deepClean.textContent(), { timeout: WAIT }).toContain('Assigned');

    const bobsCard = app.bob.page.getByRole('region', { name: 'My jobs' }).getByRole('listitem').filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    await bobsCard.getByRole('button', { name: 'Start job' }).click();
    await expect.poll(() => deepClean.textContent(), { timeout: WAIT }).toContain('In progress');
    expect(await deepClean.getByRole('button', { name: 'Mark completed' }).isVisible()).toBe(true);
    expect(await deepClean.textContent()).toContain('CleanerBob Cleaner');
    await bobsCard.getByRole('button', { name: 'Mark completed' }).click();
    await expect.poll(() => deepClean.textContent(), { timeout: WAIT }).toContain('Completed');
    // No move is left; support can still write to the job's people (a complaint after the job), and step into
    // its room while it takes messages (the close grace: when a dispute is most likely).
    expect(await deepClean.getByRole('button').allTextContents()).toEqual(['Message client', 'Message cleaner', 'Join job chat']);

    await app.carol.page.getByLabel('Job title').fill('Attic dusting');
    await app.carol.page.getByRole('button', { name: 'Post job' }).click();
    const attic = cards.filter({ hasText: 'Attic dusting' });
    await expect.poll(() => attic.count(), { timeout: WAIT }).toBe(1);
    expect(await attic.textContent()).toContain('ClientCarol Client');
    // Newest first, as the list is read.
    expect(await cards.first().textContent()).toContain('Attic dusting');
  });
});
