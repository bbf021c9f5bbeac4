/** `typing`: relayed to the other participants, with expiry (`true` only in an active room; `false` is accepted in a closed one). */
import type { FrameHandler } from './types.ts';

export const handleTyping: FrameHandler<'typing'> = async ({ services, socket, user }, frame) => {
  await services.access.require(frame.roomId, user.id, frame.isTyping);
  services.typing.update(socket.id, user, frame.roomId, frame.isTyping);
};
