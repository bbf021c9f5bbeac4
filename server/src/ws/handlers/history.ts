/** `history`: a page of a room's messages before/after a seq (participants only, closed rooms too). */
import { DEFAULT_LIMITS } from '@ecc/protocol';
import type { FrameHandler } from './types.ts';

export const handleHistory: FrameHandler<'history'> = async ({ services, socket, user }, frame) => {
  await services.access.require(frame.roomId, user.id);
  const page = await services.store.history({
    roomId: frame.roomId,
    beforeSeq: frame.beforeSeq,
    afterSeq: frame.afterSeq,
    limit: frame.limit ?? DEFAULT_LIMITS.historyDefaultLimit,
  });
  socket.sendFrame({
    type: 'history',
    ...(frame.ref === undefined ? {} : { ref: frame.ref }),
    roomId: frame.roomId,
    messages: page.messages,
    hasMore: page.hasMore,
  });
};
