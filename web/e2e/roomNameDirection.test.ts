/**
 * A job room named in a right-to-left script ("Job #12 · ניקיון דירה…") shows the start of its title,
 * in the chat list and in the room's header: laid out in the name's left-to-right order (it begins
 * with "Job #12 · ") and cut at its right end, it showed the title's last words.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, chatListItem, openPanel, openRoom, panel } from './support/app.ts';
import { startShown } from './support/textShown.ts';

const TITLES = [
  'ניקיון דירה של שלושה חדרים כולל מטבח ושני חדרי רחצה',
  'تنظيف شقة من ثلاث غرف مع المطبخ والحمامين والشرفة',
  'Spring clean of a three-room flat with kitchen, two bathrooms and balcony',
];

describe.runIf(chromiumAvailable())('a job room’s name', () => {
  const app = signedInApp({ alice: 'client1' }, async (server) => {
    const alice = server.demo?.users.client1;
    const bob = server.demo?.users.cleaner1;
    if (!alice || !bob) throw new Error('demo data missing');
    for (const title of TITLES) {
      const job = await server.store.createJob({ clientId: alice.id, title });
      await server.store.assignJob(job.id, bob.id, `${bob.displayName} accepted the job`);
    }
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
});
