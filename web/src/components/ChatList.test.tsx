import { act, fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ChatList } from './ChatList.tsx';
import { formatListTime } from '../format.ts';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

// Counted: each row formats its time once per render.
vi.mock('../format.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../format.ts')>();
  return { ...actual, formatListTime: vi.fn(actual.formatListTime) };
});

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

  it("says in a room's row that the other person is typing there, in place of the last message until they stop", () => {
    const { transport } = renderChat(<ChatList />);
    const last = message(5, 2, bob, { content: 'Which floor?', createdAt: '2026-11-25T12:00:00.000Z' });
    act(() => transport.emit('ready', { user: alice, rooms: [room(5, { lastSeq: 2, lastMessage: last }), room(3, { lastSeq: 1, lastMessage: message(3, 1, bob, { content: 'Thanks!' }) })], totalUnread: 0 }));
    const row = (id: number) => screen.getByRole('list', { name: 'Conversations' }).querySelector(`[data-room-id="${id}"] .chat-list-preview`);
    act(() => transport.emit('typing', { roomId: 5, userId: bob.id, username: 'cleaner1', isTyping: true }));
    expect(row(5)?.textContent).toBe('Bob Cleaner is typing…');
    expect(row(3)?.textContent).toBe('Bob Cleaner: Thanks!');
    act(() => transport.emit('typing', { roomId: 5, userId: bob.id, username: 'cleaner1', isTyping: false }));
    expect(row(5)?.textContent).toBe('Bob Cleaner: Which floor?');
  });

  it("shows a room's last message again once the room closes: a closed room takes no typing", () => {
    const { transport } = renderChat(<ChatList />);
    const last = message(5, 2, bob, { content: 'Which floor?', createdAt: '2026-11-25T12:00:00.000Z' });
    act(() => transport.emit('ready', { user: alice, rooms: [room(5, { lastSeq: 2, lastMessage: last })], totalUnread: 0 }));
    const row = () => screen.getByRole('list', { name: 'Conversations' }).querySelector('[data-room-id="5"] .chat-list-preview');
    act(() => transport.emit('typing', { roomId: 5, userId: bob.id, username: 'cleaner1', isTyping: true }));
    expect(row()?.textContent).toBe('Bob Cleaner is typing…');
    act(() => transport.emit('room', { room: room(5, { lastSeq: 2, lastMessage: last, isActive: false, job: { id: 5, title: 'Deep clean', status: 'completed' } }) }));
    expect(row()?.textContent).toBe('Bob Cleaner: Which floor?');
  });

  it('tells a user with no conversations how one starts: a client by posting a job, a cleaner by accepting one, staff by users writing in', () => {
    const asClient = renderChat(<ChatList />);
    act(() => asClient.transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    // A client accepts no job: they post one, and its cleaner's chat comes when it is accepted.
    expect(screen.getByText('No conversations yet. Post a job: once a cleaner accepts it, you can chat with them here. For anything else, use Contact support.')).toBeTruthy();
    asClient.unmount();
    const asCleaner = renderChat(<ChatList />);
    act(() => asCleaner.transport.emit('ready', { user: bob, rooms: [], totalUnread: 0 }));
    expect(screen.getByText('No conversations yet. Accept an open job to chat with its client here. For anything else, use Contact support.')).toBeTruthy();
    asCleaner.unmount();
    const asStaff = renderChat(<ChatList />);
    act(() => asStaff.transport.emit('ready', { user: { ...bob, role: 'support' as const }, rooms: [], totalUnread: 0 }));
    expect(screen.getByText('No conversations yet. Users who contact support will appear here.')).toBeTruthy();
  });

  it('keeps a room\'s badge small past 99 unread ("99+"), its exact count read to screen readers', () => {
    const { transport } = renderChat(<ChatList />);
    act(() => transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 150, unread: 150 }), room(2, { lastSeq: 99, unread: 99 })], totalUnread: 249 }));
    const badge = (roomId: number) => document.querySelector(`[data-room-id="${roomId}"] .badge`);
    expect(badge(1)?.querySelector('[aria-hidden="true"]')?.textContent).toBe('99+');
    expect(badge(1)?.querySelector('.visually-hidden')?.textContent).toBe('150 unread');
    expect(badge(2)?.querySelector('[aria-hidden="true"]')?.textContent).toBe('99');
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

describe('ChatList with thousands of rooms (a support agent)', () => {
  const COUNT = 3000;
  /** Room i was active i seconds into the day: room 3000 is at the top, room 1 at the bottom. */
  function manyRooms() {
    const r = renderChat(<ChatList />);
    act(() => r.transport.emit('ready', { user: alice, rooms: Array.from({ length: COUNT }, (_, i) => room(i + 1)), totalUnread: 0 }));
    return r;
  }
  const list = () => screen.getByRole('list', { name: 'Conversations' });
  const rows = () => within(list()).getAllByRole('listitem');
  const roomIdOf = (li: HTMLElement) => Number(li.querySelector('[data-room-id]')?.getAttribute('data-room-id'));

  it('draws only the rows in view, most recent first, each telling its place among all of them', () => {
    manyRooms();
    const shown = rows();
    expect(shown.length).toBeGreaterThan(10);
    expect(shown.length).toBeLessThan(100);
    expect(shown.map(roomIdOf).slice(0, 3)).toEqual([3000, 2999, 2998]);
    expect(shown[0]?.getAttribute('aria-setsize')).toBe(String(COUNT));
    expect(shown[2]?.getAttribute('aria-posinset')).toBe('3');
  });

  it('moves a room from the bottom to the top with its badge when a message arrives, redrawing only that row', () => {
    const { transport } = manyRooms();
    expect(rows().map(roomIdOf)).not.toContain(1);
    vi.mocked(formatListTime).mockClear();
    act(() => {
      transport.emit('message', { message: message(1, 1, bob, { content: 'Where is my cleaner?', createdAt: '2030-01-01T00:00:00.000Z' }) });
      transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
    });
    const top = rows()[0]!;
    expect(roomIdOf(top)).toBe(1);
    expect(top.textContent).toContain('Bob Cleaner: Where is my cleaner?');
    expect(top.textContent).toContain('1 unread');
    expect(rows().map(roomIdOf).slice(1, 3)).toEqual([3000, 2999]);
    // Two renders of the one row (the message, then its count); none of the rows that only moved down.
    expect(vi.mocked(formatListTime).mock.calls.length).toBeLessThanOrEqual(2);
  });

  it('moves focus between rooms with the arrow keys, Home and End, drawing the row it lands on', () => {
    manyRooms();
    const first = within(rows()[0]!).getByRole('button');
    first.focus();
    fireEvent.keyDown(first, { key: 'ArrowDown' });
    expect(document.activeElement?.getAttribute('data-room-id')).toBe('2999');
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowUp' });
    expect(document.activeElement?.getAttribute('data-room-id')).toBe('3000');
    fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(document.activeElement?.getAttribute('data-room-id')).toBe('3000');
    // The last room is not drawn yet: the list scrolls to it, and focus follows once it is.
    fireEvent.keyDown(document.activeElement!, { key: 'End' });
    return vi.waitFor(() => expect(document.activeElement?.getAttribute('data-room-id')).toBe('1'));
  });
});
