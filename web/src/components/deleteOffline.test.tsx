/** A deletion confirmed while the connection is down: the library holds it until the socket is back. */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { flush, openRoomOffline } from '../test/renderChat.tsx';
import { alice, message, room } from '../test/fixtures.ts';

const mine = message(1, 2, alice, { content: 'The code is 4512' });
const ready = { user: alice, rooms: [room(1, { lastSeq: 2 })], totalUnread: 0 };
const bubble = () => screen.getByRole('article', { name: 'From You' });

/** Alice's room, offline, her deletion of "The code is 4512" confirmed and not answered yet. */
async function deletedOffline() {
  const r = await openRoomOffline(mine);
  r.transport.holdDeletes = true;
  fireEvent.click(within(bubble()).getByRole('button', { name: 'Delete' }));
  fireEvent.click(within(bubble()).getByRole('button', { name: 'Confirm delete' }));
  await flush();
  return r;
}

describe('a deletion confirmed while offline', () => {
  it('says it is not done yet (no second Confirm delete to press), then deleting once back, and goes when the server confirms it', async () => {
    const { transport } = await deletedOffline();
    expect(within(bubble()).queryByRole('button', { name: 'Confirm delete' })).toBeNull();
    expect(within(bubble()).queryByRole('button', { name: 'Delete' })).toBeNull();
    expect(within(bubble()).getByRole('status').textContent).toBe('Not deleted yet: you are offline. It is deleted when the connection is back.');

    act(() => transport.emit('ready', ready));
    expect(within(bubble()).getByRole('status').textContent).toBe('Deleting…');

    act(() => transport.emit('message_updated', { message: { ...mine, content: '', deletedAt: '2026-11-25T11:00:00.000Z' } }));
    act(() => transport.heldDeletes[0]?.resolve());
    await flush();
    expect(bubble().textContent).toContain('This message was deleted');
    expect(within(bubble()).queryByRole('status')).toBeNull();
    expect(transport.heldDeletes).toHaveLength(1);
  });

  it('offers Delete again, with why, when refused', async () => {
    const { transport, chat } = await deletedOffline();
    act(() => transport.heldDeletes[0]?.reject(new ChatError('ROOM_CLOSED', 'This chat is closed')));
    await flush();
    expect(within(bubble()).queryByRole('status')).toBeNull();
    expect(within(bubble()).getByRole('button', { name: 'Delete' })).toBeTruthy();
    expect(bubble().textContent).toContain('The code is 4512');
    expect(chat.state.notice).toBe('Could not delete the message: This chat is closed');
  });
});
