/**
 * Support staff's job cards: "Message <client>" / "Message <cleaner>" open that person's support room
 * (POST /api/support {userId}) in the floating panel; a refusal is said on the page, naming who it was for.
 */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError, type User } from '@ecc/protocol';
import { renderSupportJobsPage, sam } from '../test/supportJobsPage.tsx';
import { alice, participant, room } from '../test/fixtures.ts';

const aliceSupport = room(40, { name: 'Support · Alice Client', type: 'support', job: null, participants: [participant(alice), participant(sam)] });
const page = (user: User, openSupportFor: (userId: number) => Promise<unknown>) => renderSupportJobsPage(user, { openSupportFor });

const card = (name: string) => within(screen.getByRole('listitem', { name }));

describe("support staff's Message buttons on a job card", () => {
  it('name the client, and the cleaner once the job has one', async () => {
    await page(sam, () => Promise.resolve(aliceSupport));
    expect(card('Job #9 · Attic').getByRole('button', { name: 'Message client Alice Client' })).toBeTruthy();
    expect(card('Job #9 · Attic').getByRole('button', { name: 'Message cleaner Bob Cleaner' })).toBeTruthy();
    expect(card('Job #12 · Oven').getByRole('button', { name: 'Message client Carol Client' })).toBeTruthy();
    expect(card('Job #12 · Oven').queryByRole('button', { name: /Message cleaner/ })).toBeNull();
  });

  it('are named starting with the words they show, so a voice user can say what they see', async () => {
    await page(sam, () => Promise.resolve(aliceSupport));
    const button = card('Job #9 · Attic').getByRole('button', { name: /Alice Client/ });
    expect(button.getAttribute('aria-label')?.startsWith(button.textContent ?? '∅')).toBe(true);
  });

  it("open that person's support room in the chat panel", async () => {
    const { chat, asked } = await page(sam, () => Promise.resolve(aliceSupport));
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: 'Message client Alice Client' }));
    await waitFor(() => expect(chat.state.activeRoomId).toBe(40));
    expect(asked).toEqual([alice.id]);
    expect(chat.state.panelOpen).toBe(true);
    expect(chat.state.rooms[40]?.name).toBe('Support · Alice Client');
  });

  it('say on the page why it failed, naming the person', async () => {
    const { chat } = await page(sam, () => Promise.reject(new ChatError('CONFLICT', "Tess Support already handles Bob Cleaner's support conversation")));
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: 'Message cleaner Bob Cleaner' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe("Could not open a chat with Bob Cleaner: Tess Support already handles Bob Cleaner's support conversation"),
    );
    expect(chat.state.activeRoomId).toBeNull();
  });

  it('are for support staff only: a client has none', async () => {
    await page(alice, () => Promise.resolve(aliceSupport));
    expect(screen.queryByRole('button', { name: /^Message / })).toBeNull();
  });
});
