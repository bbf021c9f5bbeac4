import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatList } from './ChatList.tsx';
import { ChatRoom } from './ChatRoom.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, room } from '../test/fixtures.ts';

// The chat list and the room header cut a long room name with an ellipsis (chatPanel.css).
const name = 'Job #7 · Deep clean of a three-bedroom flat before moving out, including oven, fridge and windows';

describe('a room name too long for its line', () => {
  it('can be read whole on the chat list row', () => {
    const { transport } = renderChat(<ChatList />);
    act(() => transport.emit('ready', { user: alice, rooms: [room(7, { name })], totalUnread: 0 }));
    const row = within(screen.getByRole('list', { name: 'Conversations' })).getByRole('listitem');
    expect(within(row).getByTitle(name).textContent).toBe(name);
  });

  it('can be read whole in the room header', async () => {
    const { transport, chat } = renderChat(<ChatRoom roomId={7} />);
    transport.historyAnswer = () => ({ messages: [], hasMore: false });
    act(() => transport.emit('ready', { user: alice, rooms: [room(7, { name })], totalUnread: 0 }));
    act(() => chat.openRoom(7));
    await flush();
    expect(screen.getByRole('heading', { name }).getAttribute('title')).toBe(name);
  });
});
