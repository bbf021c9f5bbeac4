/** `send`: validate, authorise, rate-limit, then hand to the group-commit batcher (which answers `ack`). */
import { ChatError } from '@ecc/protocol';
import { checkContent } from './content.ts';
import type { FrameHandler } from './types.ts';

export const handleSend: FrameHandler<'send'> = async ({ services, socket, user }, frame) => {
  const hasAttachment = frame.attachmentId !== undefined && frame.attachmentId !== null;
  checkContent(frame.content, services.config.limits.maxContentChars, hasAttachment);
  const access = await services.access.require(frame.roomId, user.id, true);
  if (!services.sendLimiter.tryTake(user.id)) {
    throw new ChatError('RATE_LIMITED', 'Too many messages; wait a few seconds and retry');
  }
  const recipients: number[] = [];
  for (const id of access.participants.keys()) if (id !== user.id) recipients.push(id);
  services.batcher.enqueue({
    socketId: socket.id,
    reply: (f) => socket.sendFrame(f),
    replyText: (t) => socket.sendText(t),
    senderId: user.id,
    frame,
    recipients,
  });
};
