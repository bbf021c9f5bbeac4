import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useChatSelector } from './ChatContext.tsx';
import { ConnectionBanner } from '../components/ConnectionBanner.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';

const renders: Record<string, number> = {};

function RoomPreview({ roomId }: { roomId: number }) {
  const lastMessage = useChatSelector((s) => s.rooms[roomId]?.lastMessage);
  renders[roomId] = (renders[roomId] ?? 0) + 1;
  return <p>{lastMessage?.content ?? 'none'}</p>;
}

describe('useChatSelector', () => {
  it('re-renders only the components whose slice changed', () => {
    const { transport } = renderChat(
      <>
        <RoomPreview roomId={1} />
        <RoomPreview roomId={2} />
      </>,
    );
    act(() => transport.emit('ready', { user: alice, rooms: [room(1), room(2)], totalUnread: 0 }));
    const before = { ...renders };
    act(() => transport.emit('message', { message: message(1, 1, bob, { content: 'New in room 1' }) }));
    expect(screen.getByText('New in room 1')).toBeTruthy();
    expect(renders[1]).toBe((before[1] ?? 0) + 1);
    expect(renders[2]).toBe(before[2]);
  });
});

describe('ConnectionBanner', () => {
  it('says when the chat is reconnecting, and nothing while connected', () => {
    const { transport } = renderChat(<ConnectionBanner />);
    act(() => transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    expect(screen.getByRole('status').textContent).toBe('');
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1 }));
    expect(screen.getByRole('status').textContent).toBe('Reconnecting to chat…');
    act(() => transport.emit('state', { state: 'open', attempt: 0 }));
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('says why a tab turned away for too many open tabs is not connected, through its later tries, until it gets in', () => {
    const { transport } = renderChat(<ConnectionBanner />);
    const tooMany = 'Chat is open in too many tabs. This one connects when you close another.';
    act(() => transport.emit('state', { state: 'reconnecting', attempt: 1, closeCode: 4429 }));
    expect(screen.getByRole('status').textContent).toBe(tooMany);
    act(() => transport.emit('state', { state: 'connecting', attempt: 1 }));
    expect(screen.getByRole('status').textContent).toBe(tooMany);
    act(() => transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    expect(screen.getByRole('status').textContent).toBe('');
  });
});
