/**
 * A support agent's room with a user is named after them only ("Support · Maria Lopez"): whether
 * they are a client or a cleaner (whose questions differ: a booking, a payout) was nowhere in it.
 */
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat, flush } from '../test/renderChat.tsx';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };

function supportRoom(user: User) {
  return room(9, { name: `Support · ${user.displayName}`, type: 'support', job: null, participants: [participant(user), participant(sam)] });
}

async function showRoomTo(me: User, user: User) {
  const r = renderChat(<ChatRoom roomId={9} />);
  r.transport.historyAnswer = () => ({ messages: [], hasMore: false });
  act(() => r.transport.emit('ready', { user: me, rooms: [supportRoom(user)], totalUnread: 0 }));
  act(() => r.chat.openRoom(9));
  await flush();
  return r;
}

describe("a support room's header", () => {
  it('says to the support agent whether the person is a client or a cleaner', async () => {
    await showRoomTo(sam, bob);
    const header = screen.getByRole('banner');
    expect(header.textContent).toContain('Bob Cleaner');
    expect(screen.getByText('Cleaner', { exact: true })).toBeTruthy();
  });

  it('says Client for a client', async () => {
    await showRoomTo(sam, alice);
    expect(screen.getByText('Client', { exact: true })).toBeTruthy();
  });

  it('says nothing of the kind to the user, who knows the agent is support', async () => {
    await showRoomTo(alice, alice);
    const facts = screen.getByRole('banner').querySelector('.chat-room-facts');
    expect(facts?.textContent).toBe('Sam Support·Offline');
  });
});
