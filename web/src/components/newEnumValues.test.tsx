import { act, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@ecc/client';
import type { Message, Room, User } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { NavBar } from './NavBar.tsx';
import { flush, renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

// Values a newer server may add to the contract's enums; the client library keeps them as strings.
const auditor = { ...bob, role: 'auditor' } as unknown as User;
const teamRoom = room(1, {
  type: 'team',
  job: { id: 1, title: 'Deep clean', status: 'on_hold' },
  participants: [participant(alice), participant(auditor)],
  lastSeq: 2,
} as unknown as Partial<Room>);
const poll = message(1, 1, auditor, { type: 'poll', content: 'Which day suits you?' } as unknown as Partial<Message>);

describe('values added to the contract’s enums', () => {
  it('a room of a new type with a job in a new status, and a message of a new type, are shown', async () => {
    const r = renderChat(<ChatRoom roomId={1} />);
    r.transport.historyAnswer = () => ({ messages: [poll, message(1, 2, alice, { content: 'Tuesday' })], hasMore: false });
    act(() => r.transport.emit('ready', { user: alice, rooms: [teamRoom], totalUnread: 0 }));
    act(() => r.chat.openRoom(1));
    await flush();
    expect(screen.getByText('On hold')).toBeTruthy();
    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(within(log).getByRole('article', { name: 'From Bob Cleaner' }).textContent).toContain('Which day suits you?');
    expect(within(log).getByRole('article', { name: 'From You' }).textContent).toContain('Tuesday');
  });

  it('a user of a new role is shown with no role badge', () => {
    const { container } = renderChat(<NavBar user={auditor} api={{} as ApiClient} onSignOut={() => undefined} />);
    expect(screen.getByText('Bob Cleaner')).toBeTruthy();
    expect(container.querySelector('.role-chip')).toBeNull();
  });

  it('a known role keeps its badge', () => {
    renderChat(<NavBar user={bob} api={{} as ApiClient} onSignOut={() => undefined} />);
    expect(screen.getByText('Cleaner')).toBeTruthy();
  });
});
