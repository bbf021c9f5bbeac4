import { describe, expect, it } from 'vitest';
import { DeliveredMessage } from './driver.ts';

// A message as the servers send it: the protocol's whole `Message`.
const wire = {
  id: 7,
  roomId: 3,
  seq: 42,
  sender: { id: 11, name: 'Ana', role: 'client' },
  type: 'text',
  content: 'hello',
  attachment: null,
  replyTo: null,
  clientId: 'c-11-3-5',
  createdAt: '2026-11-26T09:00:00.000Z',
  editedAt: null,
  deletedAt: null,
};

describe('a delivered message, as both drivers read it', () => {
  it('keeps what the generator measures, the sender as its id', () => {
    expect(DeliveredMessage.parse(wire)).toEqual({ roomId: 3, seq: 42, senderId: 11, clientId: 'c-11-3-5', content: 'hello' });
  });

  it('reads a system message (no sender, no clientId)', () => {
    expect(DeliveredMessage.parse({ ...wire, sender: null, clientId: null })).toMatchObject({ senderId: null, clientId: null });
  });

  it('refuses a message without its seq', () => {
    expect(DeliveredMessage.safeParse({ ...wire, seq: undefined }).success).toBe(false);
  });
});
