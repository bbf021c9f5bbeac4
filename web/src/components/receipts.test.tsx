/** Where "Sent" and "Seen" go under my own messages. */
import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, openRoomWith as openRoom, renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

describe('receipts under my messages', () => {
  it('shows "Sent" only under my messages not read yet: none under older ones the other person read', async () => {
    const { transport } = await openRoom([
      message(1, 1, alice, { content: 'The key is with the concierge' }),
      message(1, 2, bob, { content: 'Got it' }),
      message(1, 3, alice, { content: 'Thanks' }),
      message(1, 4, alice, { content: 'See you at 9' }),
    ]);
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 3 }));
    const log = screen.getByRole('log', { name: 'Conversation' });
    const receipts = within(log)
      .getAllByRole('article', { name: 'From You' })
      .map((el) => el.querySelector('.delivery')?.textContent ?? null);
    expect(receipts).toEqual([null, 'Seen', 'Sent']);
  });

  it('says "Sent" once, under the last of my messages not read yet, not under each of them', async () => {
    const { transport } = await openRoom([
      message(1, 1, alice, { content: 'On my way' }),
      message(1, 2, alice, { content: 'Traffic is bad' }),
      message(1, 3, alice, { content: 'There in 10' }),
    ]);
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 1 }));
    const log = screen.getByRole('log', { name: 'Conversation' });
    const receipts = () =>
      within(log)
        .getAllByRole('article', { name: 'From You' })
        .map((el) => el.querySelector('.delivery')?.textContent ?? null);
    expect(receipts()).toEqual(['Seen', null, 'Sent']);
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 3 }));
    expect(receipts()).toEqual([null, null, 'Seen']);
  });

  it('does not say "Seen" when support staff who joined read the room, only when the cleaner does', async () => {
    const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
    const history = [
      message(1, 1, bob, { content: 'Hello Alice' }),
      message(1, 2, alice, { content: 'The key is under the blue flowerpot' }),
      message(1, 3, null, { content: 'Sam Support from support joined the conversation' }),
    ];
    // Sam's read mark is at the join notice, after Alice's message; Bob's is at his own.
    const joined = room(1, {
      lastSeq: 3,
      participants: [participant(alice, { lastReadSeq: 3 }), participant(bob, { lastReadSeq: 1 }), participant(sam, { lastReadSeq: 3 })],
    });
    const { transport, chat } = renderChat(<ChatRoom roomId={1} />);
    transport.historyAnswer = () => ({ messages: history, hasMore: false });
    act(() => transport.emit('ready', { user: alice, rooms: [joined], totalUnread: 0 }));
    act(() => chat.openRoom(1));
    await flush();
    const mine = () => within(screen.getByRole('log', { name: 'Conversation' })).getByRole('article', { name: 'From You' });
    expect(mine().querySelector('.delivery')?.textContent).toBe('Sent');
    act(() => transport.emit('receipt', { roomId: 1, userId: bob.id, lastReadSeq: 3 }));
    expect(mine().querySelector('.delivery')?.textContent).toBe('Seen');
  });
});
