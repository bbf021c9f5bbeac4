/**
 * The open room's header on a phone used with a finger (390×844): as compact as a phone
 * messenger's, at most two lines of the room's name and one line of facts (the other person,
 * their presence, the job's status), however long the job's title and "Last seen …" are, so the
 * conversation keeps the screen.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { TOUCH_PHONE, WAIT, openRoom, panel, signIn } from './support/app.ts';

const TITLE = 'Deep clean of a 3-bedroom house before moving out, with the oven, fridge and windows';

describe.runIf(chromiumAvailable())("the room's header on a phone", () => {
  const app = signedInApp({}, async (server) => {
    const alice = server.demo?.users.client1;
    const bob = server.demo?.users.cleaner1;
    if (!alice || !bob) throw new Error('demo data missing');
    const job = await server.store.createJob({ clientId: alice.id, title: TITLE, description: 'Keys with the neighbour.' });
    await server.store.assignJob(job.id, bob.id, `${bob.displayName} accepted the job`);
    await server.store.setJobStatus(job.id, 'assigned', 'in_progress', 'The job started');
    // Bob left yesterday evening: Alice sees "Last seen yesterday at 8:08 PM".
    const yesterday = new Date();
    yesterday.setDate(yesterday.getDate() - 1);
    yesterday.setHours(20, 8, 0, 0);
    await server.store.setLastSeen([bob.id], yesterday);
  });

  it('takes two lines of the job title and one line of name, presence and status', async () => {
    const { page } = await signIn(app.browser, app.server.url, 'client1', TOUCH_PHONE);
    await openRoom(page, /3-bedroom house/);
    const header = panel(page).locator('.chat-room-header');
    const facts = header.locator('.chat-room-facts');
    await facts.getByText(/Last seen yesterday/).waitFor({ timeout: WAIT });

    // The lines of the header's text that are shown, by where they are drawn (what the eye counts).
    const linesOf = (selector: string) =>
      header.locator(selector).evaluate((el) => {
        const box = el.getBoundingClientRect();
        const tops = new Set<number>();
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const range = document.createRange();
          range.selectNodeContents(node);
          for (const r of range.getClientRects()) {
            const middle = r.top + r.height / 2;
            // Lines clamped away (past the box) are not seen.
            if (r.width > 0 && middle > box.top && middle < box.bottom) tops.add(Math.round(middle));
          }
        }
        // Line middles closer than 8 px are one line (the status chip is smaller text, centred).
        const sorted = [...tops].sort((a, b) => a - b);
        return sorted.filter((top, i) => i === 0 || top - (sorted[i - 1] ?? 0) >= 8).length;
      });
    expect(await linesOf('h2')).toBe(2);
    expect(await linesOf('.chat-room-facts')).toBe(1);

    // All three facts are on that line: the status and a short name whole, the presence cut at its end
    // (and all of it there for a screen reader).
    const cut = (name: string | RegExp) => facts.getByText(name).evaluate((el) => el.scrollWidth > el.clientWidth);
    const factsBox = await facts.boundingBox();
    const chip = await facts.getByText('In progress').boundingBox();
    expect(factsBox && chip && chip.x + chip.width <= factsBox.x + factsBox.width + 0.5).toBe(true);
    expect(await cut('In progress')).toBe(false);
    expect(await cut('Bob Cleaner')).toBe(false);
    expect(await facts.textContent()).toMatch(/^Bob Cleaner·Last seen yesterday at 8:08\sPM/);
    // Three lines high (about 82 px), not the five (127 px) it took when the facts wrapped.
    const height = (await header.boundingBox())?.height ?? 0;
    expect(height).toBeLessThanOrEqual(88);
  });
});
