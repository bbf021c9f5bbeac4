/**
 * Support staff stepping into a conversation (POST /api/rooms/{id}/join): "Join job chat" on the card of a
 * job under way opens its room in the floating panel; "Join conversation" beside the refusal of "Message
 * client" when another agent handles that person joins the room the refusal names.
 */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { HttpChatError } from '@ecc/client';
import { ChatError, type Job, type User } from '@ecc/protocol';
import { flush } from '../test/renderChat.tsx';
import { renderSupportJobsPage, sam, supportJobs, type SupportAnswers } from '../test/supportJobsPage.tsx';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const tess: User = { id: 6, username: 'support2', displayName: 'Tess Support', role: 'support' };
const atticRoom = room(1, { name: 'Job #9 · Attic', job: { id: 9, title: 'Attic', status: 'in_progress' }, participants: [participant(alice), participant(bob), participant(sam)] });
const aliceSupport = room(40, { name: 'Support · Alice Client', type: 'support', job: null, participants: [participant(alice), participant(tess), participant(sam)] });
const page = (user: User, answers: SupportAnswers) => renderSupportJobsPage(user, answers);

const card = (name: string) => within(screen.getByRole('listitem', { name }));

describe('support staff join a conversation', () => {
  it('"Join job chat" is on the card of a job under way only, for support staff only', async () => {
    await page(sam, {});
    const button = card('Job #9 · Attic').getByRole('button', { name: /^Join job chat/ });
    expect(button.textContent).toBe('Join job chat');
    expect(card('Job #12 · Oven').queryByRole('button', { name: /^Join/ })).toBeNull();
  });

  it('"Join job chat" is on a finished job\'s card while its room still takes messages (the close grace), not once it closed', async () => {
    const finished = (id: number, title: string, status: 'completed' | 'cancelled', roomActive?: boolean): Job => ({
      id,
      title,
      status,
      clientId: alice.id,
      clientName: 'Alice Client',
      cleanerId: bob.id,
      cleanerName: 'Bob Cleaner',
      roomId: id * 10,
      ...(roomActive === undefined ? {} : { roomActive }),
    });
    await page(sam, {
      jobs: [...supportJobs, finished(20, 'Porch', 'completed', true), finished(21, 'Shed', 'cancelled', true), finished(22, 'Loft', 'completed', false), finished(23, 'Yard', 'cancelled')],
    });
    expect(card('Job #20 · Porch').getByRole('button', { name: /^Join job chat/ })).toBeTruthy();
    expect(card('Job #21 · Shed').getByRole('button', { name: /^Join job chat/ })).toBeTruthy();
    expect(card('Job #22 · Loft').queryByRole('button', { name: /^Join/ })).toBeNull();
    // An older server says nothing of the room: a finished job's room is taken as closed, as before.
    expect(card('Job #23 · Yard').queryByRole('button', { name: /^Join/ })).toBeNull();
    // A job under way is joinable whether or not the server says so.
    expect(card('Job #9 · Attic').getByRole('button', { name: /^Join job chat/ })).toBeTruthy();
  });

  it('a finished job\'s card stops offering "Join job chat" when the server says its room closed (the grace over)', async () => {
    const porch: Job = { id: 20, title: 'Porch', status: 'completed', clientId: alice.id, clientName: 'Alice Client', cleanerId: bob.id, cleanerName: 'Bob Cleaner', roomId: 200, roomActive: true };
    const { transport } = await page(sam, { jobs: [...supportJobs, porch] });
    expect(card('Job #20 · Porch').getByRole('button', { name: /^Join job chat/ })).toBeTruthy();
    act(() => transport.emit('job_changed', { job: { ...porch, roomActive: false } }));
    await waitFor(() => expect(card('Job #20 · Porch').queryByRole('button', { name: /^Join/ })).toBeNull());
  });

  it('a join refused for too many at once says so, with how long to wait', async () => {
    const limited = new HttpChatError('RATE_LIMITED', 'Too many conversations opened or joined in a short time; try again in 12 s', 429, 12);
    await page(sam, { joinRoom: () => Promise.reject(limited) });
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: /^Join job chat/ }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not join the chat of job #9: Too many conversations opened or joined in a short time; try again in 12 s'));
  });

  it('a client has no "Join job chat"', async () => {
    await page(alice, {});
    expect(screen.queryByRole('button', { name: /^Join/ })).toBeNull();
  });

  it('joins the job\'s room and opens it in the chat panel; the card then offers "Open chat"', async () => {
    const { chat, joined } = await page(sam, { joinRoom: () => Promise.resolve(atticRoom) });
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: /^Join job chat/ }));
    await waitFor(() => expect(chat.state.activeRoomId).toBe(1));
    expect(joined).toEqual([1]);
    expect(chat.state.panelOpen).toBe(true);
    await waitFor(() => expect(card('Job #9 · Attic').getByRole('button', { name: /^Open chat/ })).toBeTruthy());
    expect(card('Job #9 · Attic').queryByRole('button', { name: /^Join job chat/ })).toBeNull();
  });

  it('a join that fails says so on the page, naming the job', async () => {
    const { chat } = await page(sam, { joinRoom: () => Promise.reject(new ChatError('ROOM_CLOSED', 'This conversation is closed')) });
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: /^Join job chat/ }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not join the chat of job #9: This conversation is closed'));
    expect(chat.state.activeRoomId).toBeNull();
  });

  it('"Message client" refused because another agent handles Alice offers "Join conversation", which joins that room', async () => {
    const refusal = new HttpChatError('CONFLICT', "Tess Support already handles Alice Client's support conversation", 409, undefined, { roomId: 40 });
    const { chat, joined } = await page(sam, { openSupportFor: () => Promise.reject(refusal), joinRoom: () => Promise.resolve(aliceSupport) });
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: 'Message client Alice Client' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe("Could not open a chat with Alice Client: Tess Support already handles Alice Client's support conversation"));
    fireEvent.click(screen.getByRole('button', { name: /^Join conversation/ }));
    await waitFor(() => expect(chat.state.activeRoomId).toBe(40));
    expect(joined).toEqual([40]);
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('"Join conversation" stays, busy and keeping the keyboard, while it joins; a failure then takes the keyboard to its reason', async () => {
    const refusal = new HttpChatError('CONFLICT', "Tess Support already handles Alice Client's support conversation", 409, undefined, { roomId: 40 });
    let refuse!: (err: Error) => void;
    const { joined } = await page(sam, { openSupportFor: () => Promise.reject(refusal), joinRoom: () => new Promise((_, reject) => (refuse = reject)) });
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: 'Message client Alice Client' }));
    const join = await screen.findByRole('button', { name: /^Join conversation/ });
    join.focus();
    fireEvent.click(join);
    await flush();
    // Still there, with the keyboard on it, saying what it does; the reason it was offered still beside it.
    expect(document.activeElement).toBe(join);
    expect(join.textContent).toBe('Joining…');
    expect(join.getAttribute('aria-disabled')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('Tess Support already handles');
    // A second click meanwhile joins nothing more.
    fireEvent.click(join);
    await flush();
    expect(joined).toEqual([40]);

    act(() => refuse(new ChatError('ROOM_CLOSED', 'This conversation is closed')));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('Could not join the conversation with Alice Client: This conversation is closed'));
    expect(document.activeElement).toBe(screen.getByRole('alert'));
  });

  it('"Join conversation" that works leaves the keyboard in the joined room\'s message box', async () => {
    const refusal = new HttpChatError('CONFLICT', "Tess Support already handles Alice Client's support conversation", 409, undefined, { roomId: 40 });
    const { joined } = await renderSupportJobsPage(sam, { openSupportFor: () => Promise.reject(refusal), joinRoom: () => Promise.resolve(aliceSupport) }, { panel: true });
    fireEvent.click(card('Job #9 · Attic').getByRole('button', { name: 'Message client Alice Client' }));
    const join = await screen.findByRole('button', { name: /^Join conversation/ });
    join.focus();
    fireEvent.click(join);
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    expect(document.activeElement?.id).toBe('composer-40');
    expect(joined).toEqual([40]);
  });
});
