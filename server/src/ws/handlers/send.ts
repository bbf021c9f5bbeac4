/** `send`: validate, authorise, rate-limit, then hand to the group-commit batcher (which answers `ack`). */
import { ChatError } from '@ecc/protocol';
import { roomClosed } from '../roomAccess.ts';
import { checkContent } from './content.ts';
import type { FrameHandler, HandlerContext } from './types.ts';

export const handleSend: FrameHandler<'send'> = async ({ services, socket, user }, frame) => {
  const hasAttachment = frame.attachmentId !== undefined && frame.attachmentId !== null;
  checkContent(frame.content, services.config.limits.maxContentChars, hasAttachment);
  const access = await services.access.require(frame.roomId, user.id);
  const refusal = !access.isActive
    ? roomClosed()
    : !services.sendLimiter.tryTake(user.id)
      ? new ChatError('RATE_LIMITED', 'Too many messages; wait a few seconds and retry')
      : null;
  // A retry of a send stored before the room closed or the limit ran out is answered with the
  // stored message, as the contract says of a repeated clientId (the batch finds it stored).
  if (refusal && !(await isStoredRetry({ services, user }, frame.roomId, frame.clientId))) throw refusal;
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

/** Only on a refusal (rare), so the hot path makes no lookup per send. */
async function isStoredRetry({ services, user }: Pick<HandlerContext, 'services' | 'user'>, roomId: number, clientId: string): Promise<boolean> {
  return (await services.store.roomOfSent(user.id, clientId)) === roomId;
}
