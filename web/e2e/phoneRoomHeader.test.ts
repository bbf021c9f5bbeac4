/**
 * The open room's header on a phone used with a finger (390×844, and a small 375 px one): as compact
 * as a phone messenger's, at most two lines of the room's name and two of facts (the other person and
 * the job's status, then their presence when it does not fit beside them), however long the job's
 * title, the name and "Last seen …" are, so the conversation keeps the screen; and "Last seen …" is
 * read whole, not cut to "Last seen 5 min…". On the narrowest phones (320 px) the name and the
 * presence are read whole too, on more lines ("Sam Sup…", "Last seen today at 11:5…" before), and so
 * on a 320 px window used with a mouse (a desktop zoomed to 400 %), the job's status beside the name.
 */
import { describe, expect, it } from 'vitest';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { wholeShown } from './support/textShown.ts';
import { TOUCH_PHONE, WAIT, openRoom, panel, signIn } from './support/app.ts';

const TITLE = 'Deep clean of a 3-bedroom house before moving out, with the oven, fridge and windows';
const LONG_NAME = 'Maximilian Alexander Fitzgerald-Montgomery';
/** A small phone held upright (iPhone SE, 12 mini): 15 px narrower than TOUCH_PHONE. */
const SMALL_PHONE = { ...TOUCH_PHONE, viewport: { width: 375, height: 667 } };
/** The narrowest phone the app is made for (iPhone SE 1st generation, small Androids). */
const NARROW_PHONE = { ...TOUCH_PHONE, viewport: { width: 320, height: 568 } };

describe.runIf(chromiumAvailable())("the room's header on a phone", () => {
  const app = signedInApp({}, async (server) => {
    const alice = server.demo?.users.client1;
    const bob = server.demo?.users.cleaner1;
    if (!alice || !bob) throw new Error('demo data missing');
    const job = await server.store.createJob({ clientId: alice.id, title: TITLE, description: 'Keys with the neighbour.' });
    await server.store.assignJob(job.id, bob.id, `${bob.displayName} accepted the job`);
    await server.store.setJobStatus(job.id, 'assigned', 'in_progress', 'The job started', bob.id);
    // Bob left yesterday evening: Alice sees "Last seen yesterday at 8:08 PM".
    const yesterday = new Date();
    yesterday.setDate(yesterday.getDate() - 1);
    yesterday.setHours(20, 8, 0, 0);
    await server.store.setLastSeen([bob.id], yesterday);
    // A cleaner whose long name leaves little room on the line: Alice's second job is his.
    const demoPassword = (await server.store.findUserByUsername('cleaner1'))?.passwordHash ?? '';
    const max = await server.store.createUser({ username: 'maxlong', displayName: LONG_NAME, role: 'cleaner', passwordHash: demoPassword });
    const windows = await server.store.createJob({ clientId: alice.id, title: 'Garage sweep', description: 'Outside only.' });
    await server.store.assignJob(windows.id, max.id, `${LONG_NAME} accepted the job`);
    await server.store.setLastSeen([max.id], yesterday);
    // Alice's support room, its agent last seen late yesterday: the longest "Last seen …" there is.
    await server.store.openSupportRoom(alice, (agent) => `${agent.displayName} will help you here.`);
    const sam = server.demo?.users.support1;
    if (!sam) throw new Error('demo data missing');
    const lateYesterday = new Date(yesterday);
    lateYesterday.setHours(23, 58, 0, 0);
    await server.store.setLastSeen([sam.id], lateYesterday);
  });

  it('takes two lines of the job title, one of name and status, and one of presence', async () => {
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
    expect(await linesOf('.chat-room-facts')).toBe(2);

    // The status and a short name whole on the first line, the presence whole under them (and read in
    // the order name, presence, status by a screen reader).
    const cut = (name: string | RegExp) => facts.getByText(name).evaluate((el) => el.scrollWidth > el.clientWidth);
    const factsBox = await facts.boundingBox();
    const name = await facts.getByText('Bob Cleaner').boundingBox();
    const chip = await facts.getByText('In progress').boundingBox();
    const presence = await facts.locator('.presence-text').boundingBox();
    expect(factsBox && chip && chip.x + chip.width <= factsBox.x + factsBox.width + 0.5).toBe(true);
    expect(name && chip && Math.abs(name.y + name.height / 2 - (chip.y + chip.height / 2)) < 4).toBe(true);
    expect(name && presence && presence.y >= name.y + name.height - 1).toBe(true);
    expect(await cut('In progress')).toBe(false);
    expect(await cut('Bob Cleaner')).toBe(false);
    expect(await facts.locator('.chat-room-presence').evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(false);
    expect(await facts.textContent()).toMatch(/^Bob Cleaner·Last seen yesterday at 8:08\sPM/);
    // Four lines high (about 100 px), not the five (127 px) it took when the facts wrapped freely.
    const height = (await header.boundingBox())?.height ?? 0;
    expect(height).toBeLessThanOrEqual(106);
  });

  it('shows "Last seen …" whole on a 375 px phone next to a long name, cut nowhere', async () => {
    const { page } = await signIn(app.browser, app.server.url, 'client1', SMALL_PHONE);
    await openRoom(page, /Garage sweep/);
    const facts = panel(page).locator('.chat-room-header .chat-room-facts');
    const presence = facts.locator('.chat-room-presence');
    await presence.getByText('Last seen yesterday at 8:08', { exact: false }).waitFor({ timeout: WAIT });
    // Not cut with an ellipsis, and not clipped by the line of facts around it either.
    expect(await presence.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    const line = await facts.boundingBox();
    const text = await presence.locator('.presence-text').boundingBox();
    expect(line && text && text.x >= line.x - 0.5 && text.x + text.width <= line.x + line.width + 0.5).toBe(true);
    // The name is still there, cut at its end if need be, and the job's status whole.
    expect(await facts.getByText(LONG_NAME).isVisible()).toBe(true);
    expect(await facts.getByText('Assigned').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  });

  it('shows the agent\'s name and "Last seen …" whole in a support room on a 320 px phone', async () => {
    const { page } = await signIn(app.browser, app.server.url, 'client1', NARROW_PHONE);
    await openRoom(page, /Support/);
    const header = panel(page).locator('.chat-room-header');
    await header.getByText('Last seen yesterday at 11:58', { exact: false }).waitFor({ timeout: WAIT });
    expect({
      title: await wholeShown(header.locator('h2')),
      name: await wholeShown(header.locator('.chat-room-other')),
      presence: await wholeShown(header.locator('.chat-room-presence')),
    }).toEqual({ title: true, name: true, presence: true });
    // ← and × keep their finger-sized targets.
    for (const name of ['Back to conversations', 'Close chat panel']) {
      const button = await header.getByRole('button', { name }).boundingBox();
      expect(button && Math.min(button.width, button.height)).toBeGreaterThanOrEqual(44);
    }
    await page.context().close();
  });

  // A desktop browser zoomed to 400 % is 320 px wide too (WCAG 1.4.10), with a mouse: the same layout as a finger's.
  it("keeps the job's status beside the name on a 320 px window used with a mouse, nothing cut", async () => {
    const { page } = await signIn(app.browser, app.server.url, 'client1', { width: 320, height: 640 });
    await openRoom(page, /3-bedroom house/);
    const facts = panel(page).locator('.chat-room-header .chat-room-facts');
    await facts.getByText(/Last seen yesterday/).waitFor({ timeout: WAIT });
    const name = facts.locator('.chat-room-other');
    const chip = facts.getByText('In progress');
    const presence = facts.locator('.chat-room-presence');
    expect({ name: await wholeShown(name), chip: await wholeShown(chip), presence: await wholeShown(presence) }).toEqual({ name: true, chip: true, presence: true });
    // Not on a line of its own under the presence (nor under the name): level with the name.
    const nameBox = await name.boundingBox();
    const chipBox = await chip.boundingBox();
    const presenceBox = await presence.boundingBox();
    const chipMiddle = chipBox ? chipBox.y + chipBox.height / 2 : NaN;
    expect(nameBox && chipMiddle > nameBox.y && chipMiddle < nameBox.y + nameBox.height).toBe(true);
    expect(presenceBox && chipBox && presenceBox.y >= chipBox.y + chipBox.height - 1).toBe(true);
    await page.context().close();
  });
});
