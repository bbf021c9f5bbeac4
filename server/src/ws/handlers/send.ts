/** `send`: validate, authorise, rate-limit, then hand to the group-commit batcher (which answers `ack`). */
import { ChatError } from '@ecc/protocol';
import { checkContent } from './content.ts';
import type { FrameHandler, HandlerContext } from './types.ts';

export const handleSend: FrameHandler<'send'> = async ({ services, socket, user }, frame) => {
  const hasAttachment = frame.attachmentId !== undefined;
  checkContent(frame.content, services.config.limits.maxContentChars, hasAttachment);
  const access = await services.access.require(frame.roomId, user.id);
  // A closed room is refused by the batch's plan (ROOM_CLOSED), which answers the retry of a send
  // stored before it closed with its ack (the contract's repeated clientId); the token taken first
  // keeps sends to a closed room from costing the database more than others.
  if (!(await services.sendLimiter.tryTake(user.id)) && !(await isStoredRetry({ services, user }, frame.roomId, frame.clientId))) {
    // A retry of a stored send once the limit has run out is answered too: its ack was lost, not the message.
    throw new ChatError('RATE_LIMITED', 'Too many messages; wait a few seconds and retry');
  }
  const recipients: number[] = [];
  for (const id of access.participants.keys()) if (id !== user.id) recipients.push(id);
  services.batcher.enqueue({
    socketId: socket.id,
    reply: (f) => socket.sendFrame(f),
    replyText: (text, { roomId, seq }) => socket.sendAck(roomId, seq, text),
    senderId: user.id,
    frame,
    recipients,
    order: socket.orderSend?.(frame.roomId, frame.clientId),
  });
};

/** Only on a refusal (rare), so the hot path makes no lookup per send. */
async function isStoredRetry({ services, user }: Pick<HandlerContext, 'services' | 'user'>, roomId: number, clientId: string): Promise<boolean> {
  return (await services.store.roomOfSent(user.id, clientId)) === roomId;
}
