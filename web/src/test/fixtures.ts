/** Small builders of protocol shapes for the web app's tests. */
import type { Message, Participant, Room, User } from '@ecc/protocol';

export const alice: User = { id: 1, username: 'client1', displayName: 'Alice Client', role: 'client' };
export const bob: User = { id: 2, username: 'cleaner1', displayName: 'Bob Cleaner', role: 'cleaner' };

export function participant(user: User, extra: Partial<Participant> = {}): Participant {
  return { ...user, online: false, lastSeen: null, lastReadSeq: 0, ...extra };
}

export function message(roomId: number, seq: number, sender: User | null, extra: Partial<Message> = {}): Message {
  return {
    id: roomId * 100_000 + seq,
    roomId,
    seq,
    sender,
    type: sender ? 'text' : 'system',
    content: `message ${seq}`,
    attachment: null,
    replyTo: null,
    clientId: sender ? `c-${roomId}-${seq}` : null,
    createdAt: new Date(Date.UTC(2026, 10, 25, 10, 0, seq)).toISOString(),
    editedAt: null,
    deletedAt: null,
    ...extra,
  };
}

export function room(id: number, extra: Partial<Room> = {}): Room {
  return {
    id,
    name: `Job #${id} · Deep clean`,
    type: 'job',
    job: { id, title: 'Deep clean', status: 'assigned' },
    participants: [participant(alice), participant(bob)],
    unread: 0,
    lastSeq: 0,
    lastMessage: null,
    updatedAt: new Date(Date.UTC(2026, 10, 25, 9, 0, id)).toISOString(),
    isActive: true,
    ...extra,
  };
}
