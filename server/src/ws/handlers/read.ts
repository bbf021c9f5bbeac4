/**
 * `read`: the mark becomes max(old, seq); `unread` always goes to every
 * socket of the reader (every node; the reading socket's carries the frame's
 * `ref`), `receipt` to the others when it moved. Marks are group-committed by
 * the read batcher, counts in the same round trip.
 */
import { roomTopic } from '../../fanout/bus.ts';
import type { FrameHandler } from './types.ts';

export const handleRead: FrameHandler<'read'> = async ({ services, socket, user }, frame) => {
  await services.access.require(frame.roomId, user.id);
  const { reads, hub } = services;
  const marked = await reads.mark({ roomId: frame.roomId, userId: user.id, seq: frame.seq });
  socket.sendUnread(frame.ref === undefined ? marked : { ...marked, ref: frame.ref });
  hub.emitUnread(user.id, marked, socket.id);
  if (marked.moved) {
    hub.emit(roomTopic(frame.roomId), {
      kind: 'frame',
      frame: { type: 'receipt', roomId: frame.roomId, userId: user.id, lastReadSeq: marked.lastReadSeq },
      exceptUserId: user.id,
    });
  }
};
