/**
 * In Chromium, a job's title of emoji is taken up to the server's 120 characters (code points), not
 * cut at 60 by a maxlength counting UTF-16 units; support's search box keeps 100 emoji the same way.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT } from './support/app.ts';

const emoji = (n: number) => '🧽'.repeat(n);

describe.runIf(chromiumAvailable())("a job's fields count characters as the server does", () => {
  const app = signedInApp({ carol: 'client2', sam: 'support1' });

  it('posts a title of 120 emoji whole; a 121st is kept, counted and holds the post back', async () => {
    const { carol } = app;
    const title = carol.page.getByLabel('Job title');
    await title.fill(emoji(121));
    expect(await title.inputValue()).toBe(emoji(121));
    await expect.poll(() => carol.page.locator('#job-title-count').textContent(), { timeout: WAIT }).toBe('121 / 120 · Too long to post: remove 1 character.');
    expect(await carol.page.getByRole('button', { name: 'Post job' }).isDisabled()).toBe(true);

    await title.fill(emoji(120));
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    const card = carol.page.getByRole('listitem', { name: new RegExp(emoji(120)) });
    await expect.poll(() => card.count(), { timeout: WAIT }).toBe(1);
  });

  it("keeps 100 emoji in support's search box", async () => {
    const { sam } = app;
    const box = sam.page.getByRole('searchbox', { name: 'Find jobs' });
    await box.fill(emoji(101));
    expect(await box.inputValue()).toBe(emoji(100));
  });
});
