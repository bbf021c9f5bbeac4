import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatButton } from './ChatButton.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, room } from '../test/fixtures.ts';

describe('ChatButton', () => {
  it('is named "Chats" without unread messages and shows no badge', () => {
    const { transport } = renderChat(<ChatButton />);
    act(() => transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 }));
    expect(screen.getByRole('button', { name: 'Chats' })).toBeTruthy();
    expect(screen.queryByTestId('chat-badge')).toBeNull();
  });

  it('announces the unread total in its name and badge, and updates on every unread frame', () => {
    const { transport } = renderChat(<ChatButton />);
    act(() => transport.emit('ready', { user: alice, rooms: [room(1, { unread: 3, lastSeq: 3 })], totalUnread: 3 }));
    expect(screen.getByRole('button', { name: 'Chats, 3 unread' })).toBeTruthy();
    expect(screen.getByTestId('chat-badge').textContent).toBe('3');
    act(() => transport.emit('unread', { roomId: 1, unread: 0, totalUnread: 0 }));
    expect(screen.getByRole('button', { name: 'Chats' })).toBeTruthy();
  });

  it('shows "99+" past 99 unread, the exact total in its name', () => {
    const { transport } = renderChat(<ChatButton />);
    act(() => transport.emit('ready', { user: alice, rooms: [room(1, { unread: 120, lastSeq: 120 })], totalUnread: 120 }));
    expect(screen.getByRole('button', { name: 'Chats, 120 unread' })).toBeTruthy();
    expect(screen.getByTestId('chat-badge').textContent).toBe('99+');
  });

  it('opens and closes the panel', () => {
    const { chat } = renderChat(<ChatButton />);
    act(() => screen.getByRole('button', { name: 'Chats' }).click());
    expect(chat.state.panelOpen).toBe(true);
    expect(screen.getByRole('button', { name: 'Chats' }).getAttribute('aria-expanded')).toBe('true');
  });
});
