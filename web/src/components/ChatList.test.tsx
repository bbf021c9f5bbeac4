import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatList } from './ChatList.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

describe('ChatList', () => {
  it('lists rooms most recently active first with name, preview, unread badge and presence', () => {
    const { transport } = renderChat(<ChatList />);
    act(() =>
      transport.emit('ready', {
        user: alice,
        rooms: [
          room(5, { lastSeq: 2, unread: 2, lastMessage: message(5, 2, bob, { content: 'Which floor?', createdAt: '2026-11-25T12:00:00.000Z' }), participants: [participant(alice), participant(bob, { online: true })] }),
          room(3, { lastMessage: message(3, 1, alice, { content: 'Thanks!', createdAt: '2026-11-25T11:00:00.000Z' }), lastSeq: 1 }),
        ],
        totalUnread: 2,
      }),
    );
    const items = within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.chat-list-name')?.textContent)).toEqual(['Job #5 · Deep clean', 'Job #3 · Deep clean']);
    expect(items[0]?.textContent).toContain('Bob Cleaner: Which floor?');
    expect(items[0]?.textContent).toContain('2 unread');
    expect(items[0]?.textContent).toContain('Bob Cleaner is online');
    expect(items[1]?.textContent).toContain('You: Thanks!');
    expect(items[1]?.textContent).not.toContain('unread');
    expect(items[1]?.textContent).toContain('Bob Cleaner is offline');
  });

  it('moves a room to the top when a message arrives and opens a room on click', () => {
    const { transport, chat } = renderChat(<ChatList />);
    act(() => transport.emit('ready', { user: alice, rooms: [room(2), room(1)], totalUnread: 0 }));
    act(() => transport.emit('message', { message: message(1, 1, bob, { content: 'Hi there', createdAt: '2030-01-01T00:00:00.000Z' }) }));
    const first = screen.getAllByRole('listitem')[0]!;
    expect(first.textContent).toContain('Job #1');
    expect(first.textContent).toContain('Hi there');
    act(() => within(first).getByRole('button').click());
    expect(chat.state.activeRoomId).toBe(1);
  });

  it("names a client's support room just \"Support\", and shows staff whose room it is", () => {
    const support = room(3, { type: 'support', job: null, name: 'Support · Alice Client' });
    const asClient = renderChat(<ChatList />);
    act(() => asClient.transport.emit('ready', { user: alice, rooms: [support], totalUnread: 0 }));
    expect(within(screen.getByRole('list', { name: 'Conversations' })).getByRole('button').textContent).toContain('Support');
    expect(screen.getByRole('list', { name: 'Conversations' }).textContent).not.toContain('Alice Client');
    asClient.unmount();

    const staff = { ...bob, role: 'support' as const };
    const asStaff = renderChat(<ChatList />);
    act(() => asStaff.transport.emit('ready', { user: staff, rooms: [support], totalUnread: 0 }));
    expect(screen.getByRole('list', { name: 'Conversations' }).textContent).toContain('Support · Alice Client');
  });

  it('marks a preview that comes with a file', () => {
    const { transport } = renderChat(<ChatList />);
    const photo = { id: 7, name: 'hall.jpg', mime: 'image/jpeg', size: 10, url: '/api/attachments/7' };
    act(() =>
      transport.emit('ready', {
        user: alice,
        rooms: [room(1, { lastMessage: message(1, 1, bob, { type: 'image', content: 'Is this stain OK?', attachment: photo }) })],
        totalUnread: 0,
      }),
    );
    expect(screen.getByRole('list', { name: 'Conversations' }).textContent).toContain('Bob Cleaner: 📎 Is this stain OK?');
  });
});
