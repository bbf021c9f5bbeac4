/**
 * "Join conversation" with the keyboard, in a real browser against a real server: support staff refused
 * "Message client" because another agent handles the client join that agent's room. While it joins the
 * button stays, "Joining…", with the focus on it (a disabled button would drop it to the page); a failure
 * takes the focus to its reason; a join that works leaves it in the room's message box.
 */
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Store } from '@ecc/server';
import { chromiumAvailable } from './support/browser.ts';
import { signedInApp } from './support/fixture.ts';
import { WAIT, panel } from './support/app.ts';

/** The next join waits for this to settle: true goes on, false fails it as a database hiccup would. */
let gate: Promise<boolean> | null = null;

function joinsThroughGate(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'joinRoom') {
        return async (...args: Parameters<Store['joinRoom']>) => {
          const waiting = gate;
          gate = null;
          if (waiting && !(await waiting)) throw new Error('database is down');
          return target.joinRoom(...args);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/** Alice's support room, handled by Tess (another agent). */
async function tessHandlesAlice(server: { store: Store }): Promise<void> {
  const tess = await server.store.createUser({ username: 'support2', displayName: 'Tess Support', role: 'support', passwordHash: 'x' });
  const alice = (await server.store.findUserByUsername('client1'))!;
  await server.store.openSupportRoom(alice, (agent) => `${agent.displayName} from support started this conversation`, tess);
}

const focused = (page: Page) => page.evaluate(() => ({ text: document.activeElement?.textContent, role: document.activeElement?.getAttribute('role'), id: document.activeElement?.id }));

describe.runIf(chromiumAvailable())('support staff join another agent\'s conversation with the keyboard', () => {
  const app = signedInApp({ sam: 'support1' }, tessHandlesAlice, { wrapStore: joinsThroughGate });

  it('"Join conversation" keeps the focus while joining; a failure focuses its reason, a join the message box', async () => {
    const { page } = app.sam;
    const card = page.getByRole('region', { name: 'Jobs' }).getByRole('listitem').filter({ hasText: 'Deep clean of a 2-bedroom flat' });
    const refused = async () => {
      await card.getByRole('button', { name: 'Message client Alice Client' }).click();
      await page.getByRole('alert').filter({ hasText: 'Tess Support already handles' }).waitFor({ timeout: WAIT });
    };
    const joinButton = page.getByRole('button', { name: /^(Join conversation|Joining…)$/ });

    await refused();
    let fail!: () => void;
    gate = new Promise((resolve) => (fail = () => resolve(false)));
    await joinButton.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => joinButton.textContent(), { timeout: WAIT }).toBe('Joining…');
    expect(await focused(page)).toMatchObject({ text: 'Joining…' });
    fail();
    await page.getByRole('alert').filter({ hasText: 'Could not join the conversation with Alice Client' }).waitFor({ timeout: WAIT });
    await expect.poll(async () => (await focused(page)).role, { timeout: WAIT }).toBe('alert');

    await refused();
    await joinButton.focus();
    await page.keyboard.press('Enter');
    await panel(page).getByRole('heading', { level: 2, name: /Alice Client/ }).waitFor({ timeout: WAIT });
    await expect.poll(async () => (await focused(page)).id, { timeout: WAIT }).toMatch(/^composer-\d+$/);
    await page.keyboard.type('Hello Alice, Sam here');
    expect(await page.getByLabel('Message', { exact: true }).inputValue()).toBe('Hello Alice, Sam here');
  });
});
