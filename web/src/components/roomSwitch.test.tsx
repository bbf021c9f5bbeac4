/**
 * A room opened straight from another one (Contact support, a job's chat button, a notification)
 * starts fresh: nothing of the room left (a reply, the list's scroll state) carries over.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { expect, it } from 'vitest';
import { FloatingChatPanel } from './FloatingChatPanel.tsx';
import { renderChat, flush } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';


it('drops a reply begun in one room when another room is opened from outside the panel', async () => {
  const r = renderChat(<FloatingChatPanel />);
  r.transport.historyAnswer = (q) => ({ messages: q.roomId === 1 ? [message(1, 1, bob, { content: 'Gate code?' })] : [], hasMore: false });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 1 }), room(2)], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  const log = screen.getByRole('log', { name: 'Conversation' });
  fireEvent.click(within(log).getByRole('button', { name: /Reply/ }));
  expect(screen.getByText(/Replying to/)).toBeTruthy();

  act(() => r.chat.openRoom(2));
  await flush();
  expect(screen.queryByText(/Replying to/)).toBeNull();
});
