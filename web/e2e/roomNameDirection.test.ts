/**
 * A job room named in a right-to-left script ("Job #12 · ניקיון דירה…") shows the start of its title,
 * in the chat list and in the room's header: laid out in the name's left-to-right order (it begins
 * with "Job #12 · ") and cut at its right end, it showed the title's last words. So with a person's
 * name in a right-to-left script, cut in the header of a phone.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, chatListItem, openPanel, openRoom, panel, signIn } from './support/app.ts';
import { startShown } from './support/textShown.ts';

const TITLES = [
  'ניקיון דירה של שלושה חדרים כולל מטבח ושני חדרי רחצה',
  'تنظيف شقة من ثلاث غرف مع المطبخ والحمامين والشرفة',
  'Spring clean of a three-room flat with kitchen, two bathrooms and balcony',
];
/** A cleaner's display name long enough to be cut in a phone's room header. */
const ARABIC_NAME = 'عبد الرحمن بن محمد بن عبد العزيز الشمري';

describe.runIf(chromiumAvailable())('a job room’s name', () => {
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    const alice = server.demo?.users.client1;
    const bob = server.demo?.users.cleaner1;
    if (!alice || !bob) throw new Error('demo data missing');
    for (const title of TITLES) {
      const job = await server.store.createJob({ clientId: alice.id, title });
      await server.store.assignJob(job.id, bob.id, `${bob.displayName} accepted the job`);
    }
    const passwordHash = (await server.store.findUserByUsername('cleaner1'))?.passwordHash ?? '';
    const abdul = await server.store.createUser({ username: 'abdul', displayName: ARABIC_NAME, role: 'cleaner', passwordHash });
    const job = await server.store.createJob({ clientId: alice.id, title: 'Balcony sweep' });
    await server.store.assignJob(job.id, abdul.id, `${ARABIC_NAME} accepted the job`);
  });

  it('shows the start of a long right-to-left title in the chat list and the room header', async () => {
    const { page } = app.alice;
    const shown: Record<string, boolean> = {};
    for (const title of TITLES) {
      const start = title.slice(0, 12);
      await openPanel(page);
      const back = panel(page).getByRole('button', { name: 'Back to conversations' });
      if (await back.isVisible()) await back.click();
      const name = chatListItem(page, start).locator('.chat-list-name');
      await name.waitFor({ timeout: WAIT });
      shown[`list: ${start}`] = await startShown(name, start);
      await openRoom(page, start);
      shown[`header: ${start}`] = await startShown(panel(page).locator('.chat-room-title h2'), start);
    }
    expect(shown).toEqual(Object.fromEntries(Object.keys(shown).map((key) => [key, true])));
  });

  it('shows the start of a right-to-left person’s name cut in a phone’s room header', async () => {
    const { page } = await signIn(app.browser, app.server.url, 'client1', TOUCH_PHONE);
    await openRoom(page, /Balcony sweep/);
    const name = panel(page).locator('.chat-room-other');
    await name.getByText(ARABIC_NAME).waitFor({ timeout: WAIT });
    const cut = await name.evaluate((el) => el.scrollWidth > el.clientWidth);
    expect({ cut, startShown: await startShown(name, ARABIC_NAME.slice(0, 10)) }).toEqual({ cut: true, startShown: true });
    await page.context().close();
  });
});
