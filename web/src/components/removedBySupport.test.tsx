import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message, User } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { ChatList } from './ChatList.tsx';
import { flush, openRoomWith as openRoom, renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

const sam: User = { id: 9, username: 'support1', displayName: 'Sam Support', role: 'support' };
const at = '2026-11-25T11:00:00.000Z';

/** `original` as the server sends it once `by` deleted it (no `deletedBy` at all: an older server). */
function deletedBy(original: Message, by?: User | null): Message {
  return { ...original, content: '', deletedAt: at, ...(by === undefined ? {} : { deletedBy: by }) };
}

function bubble(name: string): HTMLElement {
  return within(screen.getByRole('log', { name: 'Conversation' })).getByRole('article', { name });
}

describe('a message removed by support', () => {
  it('says "Removed by support" on the bubble, mine or the other person’s, not that it was deleted', async () => {
    const { transport } = await openRoom();
    act(() => transport.emit('message_updated', { message: deletedBy(message(1, 2, alice, { content: 'Hi Bob' }), sam) }));
    expect(bubble('From You').textContent).toContain('Removed by support');
    expect(bubble('From You').textContent).not.toContain('This message was deleted');
    act(() => transport.emit('message_updated', { message: deletedBy(message(1, 1, bob, { content: 'Hello Alice' }), sam) }));
    expect(bubble('From Bob Cleaner').textContent).toContain('Removed by support');
  });

  it('keeps "This message was deleted" for the sender’s own deletion, and when the server does not say who', async () => {
    const { transport } = await openRoom();
    act(() => transport.emit('message_updated', { message: deletedBy(message(1, 2, alice, { content: 'Hi Bob' }), alice) }));
    expect(bubble('From You').textContent).toContain('This message was deleted');
    act(() => transport.emit('message_updated', { message: deletedBy(message(1, 1, bob, { content: 'Hello Alice' })) }));
    expect(bubble('From Bob Cleaner').textContent).toContain('This message was deleted');
    expect(screen.queryByText(/Removed by/)).toBeNull();
  });

  it('tells the support agent who removed it that they did', async () => {
    const r = renderChat(<ChatRoom roomId={1} />);
    const removed = deletedBy(message(1, 1, alice, { content: 'My card number is 4111…' }), sam);
    r.transport.historyAnswer = () => ({ messages: [removed], hasMore: false });
    const supportRoom = room(1, { type: 'support', job: null, participants: [participant(alice), participant(sam)], lastSeq: 1 });
    act(() => r.transport.emit('ready', { user: sam, rooms: [supportRoom], totalUnread: 0 }));
    act(() => r.chat.openRoom(1));
    await flush();
    expect(bubble('From Alice Client').textContent).toContain('You removed this message');
  });

  it('says so in the chat list’s preview too; the sender’s own deletion stays "Message deleted"', () => {
    const { transport } = renderChat(<ChatList />);
    act(() =>
      transport.emit('ready', {
        user: alice,
        rooms: [
          room(5, { lastSeq: 2, lastMessage: deletedBy(message(5, 2, alice), sam) }),
          room(3, { lastSeq: 1, lastMessage: deletedBy(message(3, 1, bob), bob) }),
        ],
        totalUnread: 0,
      }),
    );
    const items = within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('listitem');
    expect(items[0]?.textContent).toContain('Removed by support');
    expect(items[1]?.textContent).toContain('Message deleted');
    expect(items[1]?.textContent).not.toContain('Removed');
  });
});
