/**
 * `read`: the mark becomes max(old, seq); `unread` always goes to every
 * socket of the reader (every node), `receipt` to the others when it moved.
 */
import { roomTopic } from '../../fanout/bus.ts';
import type { FrameHandler } from './types.ts';

export const handleRead: FrameHandler<'read'> = async ({ services, user }, frame) => {
  await services.access.require(frame.roomId, user.id);
  const { store, hub } = services;
  const result = await store.markRead(frame.roomId, user.id, frame.seq);
  const [count] = await store.unreadFor([{ userId: user.id, roomId: frame.roomId }]);
  hub.emitToUser(user.id, {
    type: 'unread',
    roomId: frame.roomId,
    unread: count?.unread ?? 0,
    totalUnread: count?.totalUnread ?? (await store.totalUnread(user.id)),
  });
  if (result.moved) {
    hub.emit(roomTopic(frame.roomId), {
      kind: 'frame',
      frame: { type: 'receipt', roomId: frame.roomId, userId: user.id, lastReadSeq: result.lastReadSeq },
      exceptUserId: user.id,
    });
  }
};
