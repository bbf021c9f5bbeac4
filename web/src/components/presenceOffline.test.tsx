/** Presence while this tab's own connection is down: nobody's coming or going can arrive then. */
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatList } from './ChatList.tsx';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const withBob = (bobIs: Parameters<typeof participant>[1]) => ({
  user: alice,
  rooms: [room(1, { participants: [participant(alice), participant(bob, bobIs)] })],
  totalUnread: 0,
});

const greenDots = () => document.querySelectorAll('.presence-dot.online').length;
const anyDots = () => document.querySelectorAll('.presence-dot').length;

describe('presence while disconnected', () => {
  it('shows no one as online in the room header or the chat list, and what `ready` says once back', async () => {
    const { chat, transport } = renderChat(
      <>
        <ChatList />
        <ChatRoom roomId={1} />
      </>,
    );
    act(() => transport.emit('ready', withBob({ online: true })));
    act(() => chat.openRoom(1));
    await flush();
    expect(screen.getByText('Online')).toBeTruthy();
    expect(screen.getByText('Bob Cleaner is online')).toBeTruthy();
    expect(greenDots()).toBe(2);

    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    expect(screen.queryByText('Online')).toBeNull();
    expect(screen.queryByText(/Bob Cleaner is (online|offline)/)).toBeNull();
    expect(anyDots()).toBe(0);
    // The name stays, without a separator left dangling.
    expect(document.querySelector('.chat-room-title p')?.textContent).toBe('Bob CleanerAssigned');

    // He left while this tab was away: the reconnect's `ready` says so.
    act(() => transport.emit('ready', withBob({ online: false, lastSeen: null })));
    expect(screen.getByText('Offline')).toBeTruthy();
    expect(screen.getByText('Bob Cleaner is offline')).toBeTruthy();
    expect(anyDots()).toBe(2);
    expect(greenDots()).toBe(0);
  });
});
