/**
 * The marketplace flow: a client posts a job, a cleaner accepts it, and the
 * job's chat appears for both without a reload; then the cleaner moves the
 * job through its statuses. Also the sign-in error and Contact support.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, messageLog, openPanel, openRoom, panel, send } from './support/app.ts';

describe.runIf(chromiumAvailable())('jobs and their chats', () => {
  const app = signedInApp({ carol: 'client2', dan: 'cleaner2' });

  it('says clearly when the credentials are wrong', async () => {
    const { server, browser } = app;
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    await page.goto('/');
    await page.getByLabel('Username').fill('client1');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: WAIT }).toContain('Wrong username or password');
    await context.close();
  });

  it('makes the chat appear for both people at once when a cleaner accepts a job', async () => {
    const { carol, dan } = app;
    await carol.page.getByLabel('Job title').fill('Spring clean of the attic');
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    const carolCard = carol.page.getByRole('listitem', { name: /Spring clean of the attic/ });
    await expect.poll(() => carolCard.textContent(), { timeout: WAIT }).toContain('Open');
    await openPanel(carol.page);

    await dan.page.reload();
    const danCard = dan.page.getByRole('listitem', { name: /Spring clean of the attic/ });
    await danCard.getByRole('button', { name: 'Accept job' }).click();

    // No reload on either side: the room arrives over the socket.
    await expect.poll(() => chatListItem(carol.page, /Spring clean of the attic/).count(), { timeout: WAIT }).toBe(1);
    await expect.poll(() => carolCard.textContent(), { timeout: WAIT }).toContain('Assigned');
    await openPanel(dan.page);
    await expect.poll(() => chatListItem(dan.page, /Spring clean of the attic/).count(), { timeout: WAIT }).toBe(1);

    await chatListItem(carol.page, /Spring clean of the attic/).getByRole('button').click();
    await send(carol.page, 'Thanks Dan! The attic is up the ladder.');
    await chatListItem(dan.page, /Spring clean of the attic/).getByRole('button').click();
    await expect.poll(() => messageLog(dan.page).textContent(), { timeout: WAIT }).toContain('The attic is up the ladder.');

    // The cleaner moves the job on; the client sees the status change and its system message.
    await dan.page.getByRole('button', { name: 'Close chat panel' }).click();
    await danCard.getByRole('button', { name: 'Start job' }).click();
    await expect.poll(() => carolCard.textContent(), { timeout: WAIT }).toContain('In progress');
    await expect.poll(() => messageLog(carol.page).textContent(), { timeout: WAIT }).toMatch(/in progress/i);
  });

  it("keeps the lines of a job's details as the client wrote them, for the client and the cleaner", async () => {
    const { carol, dan } = app;
    const details = ['Kitchen: oven and fridge', 'Bathroom: limescale', 'Keys: with the neighbour at no. 9'];
    await carol.page.getByLabel('Job title').fill('Move-out clean');
    await carol.page.getByLabel('Details').fill(details.join('\n'));
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    const description = (page: typeof carol.page) => page.getByRole('listitem', { name: /Move-out clean/ }).locator('.job-description');
    await expect.poll(() => description(carol.page).count(), { timeout: WAIT }).toBe(1);
    await dan.page.reload();
    await expect.poll(() => description(dan.page).count(), { timeout: WAIT }).toBe(1);
    // innerText is the text as laid out: one line each, not run together.
    for (const page of [carol.page, dan.page]) expect((await description(page).innerText()).split('\n')).toEqual(details);
  });

  it('takes a double click on a job action as one, and asks before the client cancels a job', async () => {
    const { carol, dan } = app;
    await carol.page.getByLabel('Job title').fill('Balcony sweep');
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    const carolCard = carol.page.getByRole('listitem', { name: /Balcony sweep/ });
    await expect.poll(() => carolCard.textContent(), { timeout: WAIT }).toContain('Open');
    await dan.page.reload();
    const danCard = dan.page.getByRole('listitem', { name: /Balcony sweep/ });
    const actions: string[] = [];
    dan.page.on('request', (r) => {
      if (r.method() === 'POST' && /\/api\/jobs\/\d+\//.test(r.url())) actions.push(new URL(r.url()).pathname.split('/').at(-1) ?? '');
    });
    await danCard.getByRole('button', { name: 'Accept job' }).dblclick();
    await danCard.getByRole('button', { name: 'Start job' }).dblclick();
    await expect.poll(() => danCard.textContent(), { timeout: WAIT }).toContain('In progress');
    await danCard.getByRole('button', { name: 'Mark completed' }).waitFor({ timeout: WAIT });
    // Before the fix each second click was sent, and refused: "This job is no longer open", then
    // "Cannot change a job from In progress to In progress".
    expect(actions).toEqual(['accept', 'status']);
    expect(await dan.page.getByRole('alert').count()).toBe(0);

    await carol.page.getByLabel('Job title').fill('Garage tidy');
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    const garage = carol.page.getByRole('listitem', { name: /Garage tidy/ });
    await garage.waitFor({ timeout: WAIT });
    // Ready for the next job: the keyboard is back in the title, not lost with the disabled Post button.
    expect(await carol.page.evaluate(() => document.activeElement?.id)).toBe('job-title');
    await garage.getByRole('button', { name: 'Cancel job' }).click();
    await garage.getByRole('button', { name: 'Keep job' }).click();
    expect(await garage.textContent()).toContain('Open');
    await garage.getByRole('button', { name: 'Cancel job' }).click();
    await garage.getByRole('button', { name: 'Yes, cancel job' }).click();
    await expect.poll(() => garage.textContent(), { timeout: WAIT }).toContain('Cancelled');
  });

  it("says in a completed job's chat, still open for its grace period, when it closes", async () => {
    const { carol, dan } = app;
    await carol.page.getByLabel('Job title').fill('Window wash');
    await carol.page.getByRole('button', { name: 'Post job' }).click();
    await carol.page.getByRole('listitem', { name: /Window wash/ }).waitFor({ timeout: WAIT });
    await dan.page.reload();
    const danCard = dan.page.getByRole('listitem', { name: /Window wash/ });
    await danCard.getByRole('button', { name: 'Accept job' }).click();
    await danCard.getByRole('button', { name: 'Start job' }).click();
    await danCard.getByRole('button', { name: 'Mark completed' }).click();
    await expect.poll(() => danCard.textContent(), { timeout: WAIT }).toContain('Completed');

    // Carol's room gets the news live; the message box is still hers until then.
    await openRoom(carol.page, /Window wash/);
    const notice = panel(carol.page).getByRole('status').filter({ hasText: 'The chat closes on' });
    await expect.poll(() => notice.textContent(), { timeout: WAIT }).toMatch(/^This job is completed\. The chat closes on .+ at .+\.$/);
    await send(carol.page, 'I will send the invoice photo tonight');
    await expect.poll(() => messageLog(carol.page).textContent(), { timeout: WAIT }).toContain('invoice photo tonight');
    expect(await notice.count()).toBe(1);
  });

  it('opens the support chat from "Contact support"', async () => {
    const { carol } = app;
    await carol.page.getByRole('button', { name: 'Contact support' }).click();
    await expect.poll(() => panel(carol.page).getByRole('heading').first().textContent(), { timeout: WAIT }).toMatch(/support/i);
    await messageLog(carol.page).getByText(/from support will help you here/).waitFor({ timeout: WAIT });
    // The greeting is her own doing: no "New messages" line above it.
    expect(await messageLog(carol.page).getByRole('separator', { name: 'New messages' }).count()).toBe(0);
    await send(carol.page, 'Hello support, a question about invoices');
    await expect.poll(() => messageLog(carol.page).getByText('Sending…').count(), { timeout: WAIT }).toBe(0);
  });
});
