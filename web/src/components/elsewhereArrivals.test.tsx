/** A screen reader user hears of messages in rooms not on screen: the panel closed, the list shown, or another room open. */
import { act, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatButton } from './ChatButton.tsx';
import { ANNOUNCE_GAP_MS } from './ArrivalStatus.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';

function setup() {
  const r = renderChat(<ChatButton />);
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 2, lastMessage: message(1, 2, bob) }), room(2, { lastSeq: 0 })], totalUnread: 0 }));
  return r;
}

/** The visually hidden status line beside the Chats button. */
function statusLine(): string {
  return screen.getByTestId('elsewhere-arrivals').textContent ?? '';
}

/** The node of the last announcement: each one is a new node, so a screen reader reads it even when its words repeat. */
function announcementNode(): Element | null {
  return screen.getByTestId('elsewhere-arrivals').firstElementChild;
}

const arrive = (r: ReturnType<typeof setup>, roomId: number, seq: number, content: string, from = bob) =>
  act(() => r.transport.emit('message', { message: message(roomId, seq, from, { content }) }));

afterEach(() => {
  vi.useRealTimers();
});

describe('arrivals in rooms not on screen', () => {
  it('are said while the panel is closed, once each; what was there at sign-in and my own messages are not', () => {
    const r = setup();
    expect(statusLine()).toBe('');
    arrive(r, 1, 3, 'I am at the door');
    expect(statusLine()).toBe('New message from Bob Cleaner: I am at the door');
    arrive(r, 2, 1, 'Mine', alice);
    expect(statusLine()).toBe('New message from Bob Cleaner: I am at the door');
  });

  it('are gathered when they follow one another closely', () => {
    vi.useFakeTimers();
    const r = setup();
    arrive(r, 1, 3, 'One');
    arrive(r, 1, 4, 'Two');
    arrive(r, 2, 1, 'Three');
    expect(statusLine()).toBe('New message from Bob Cleaner: One');
    act(() => void vi.advanceTimersByTime(ANNOUNCE_GAP_MS));
    expect(statusLine()).toBe('2 new messages from Bob Cleaner');
  });

  it('are left to the open room\'s own status line for that room, and said for the others', () => {
    const r = setup();
    act(() => {
      r.chat.togglePanel(true);
      r.chat.openRoom(1);
    });
    arrive(r, 1, 3, 'In the open room');
    expect(statusLine()).toBe('');
    arrive(r, 2, 1, 'In another room');
    expect(statusLine()).toBe('New message from Bob Cleaner: In another room');
  });

  it('missed while the connection was down are said as their count once fetched, not as the newest alone', () => {
    const r = setup();
    const missed = [message(1, 3, bob, { content: 'Running late' }), message(1, 4, bob, { content: 'Traffic' }), message(1, 5, bob, { content: 'Parking now' })];
    // The reconnect's ready names the room's newest before the client library fetches the gap.
    act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 5, lastMessage: missed[2] }), room(2, { lastSeq: 0 })], totalUnread: 3 }));
    act(() => {
      for (const m of missed) r.transport.emit('message', { message: m });
    });
    expect(statusLine()).toBe('3 new messages from Bob Cleaner');
  });

  it('are said once: the room changed again for another reason (its count, a presence, a room frame) is no news, its next message is', () => {
    vi.useFakeTimers();
    const r = setup();
    arrive(r, 1, 3, 'One');
    // The same words said again would be a new node (read again): the one said must stay.
    const said = announcementNode();
    act(() => {
      r.transport.emit('unread', { roomId: 1, unread: 1, totalUnread: 1 });
      r.transport.emit('presence', { userId: bob.id, online: true, lastSeen: null });
      r.transport.emit('room', { room: room(1, { lastSeq: 3, lastMessage: message(1, 3, bob, { content: 'One' }), unread: 1 }) });
    });
    act(() => void vi.advanceTimersByTime(ANNOUNCE_GAP_MS));
    expect(statusLine()).toBe('New message from Bob Cleaner: One');
    expect(announcementNode()).toBe(said);
    arrive(r, 1, 4, 'Two');
    act(() => void vi.advanceTimersByTime(ANNOUNCE_GAP_MS));
    expect(statusLine()).toBe('New message from Bob Cleaner: Two');
  });

  it('that came while the tab was hidden are said on return, leaving out a room read meanwhile on another device', () => {
    const r = setup();
    act(() => r.env.setVisible(false));
    arrive(r, 1, 3, 'One');
    arrive(r, 1, 4, 'Two');
    arrive(r, 2, 1, 'Three');
    // Room 1 read on another device: the server counts nothing unread there.
    act(() => r.transport.emit('unread', { roomId: 1, unread: 0, totalUnread: 1 }));
    expect(statusLine()).toBe('');
    act(() => r.env.setVisible(true));
    expect(statusLine()).toBe('New message from Bob Cleaner: Three');
  });
});
