/** A room's `message` frame with every field of the contract, for tests of delivery code. */
import type { MessageFrame } from '../../src/fanout/bus.ts';

export function messageFrame(roomId: number, seq: number): MessageFrame {
  return {
    type: 'message',
    message: {
      id: roomId * 1000 + seq,
      roomId,
      seq,
      sender: null,
      type: 'text',
      content: `message ${seq}`,
      attachment: null,
      replyTo: null,
      clientId: null,
      createdAt: '2026-11-27T00:00:00.000Z',
      editedAt: null,
      deletedAt: null,
    },
  };
}
