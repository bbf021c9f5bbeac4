/**
 * `edit` (the sender only, not system or deleted messages, active rooms)
 * and `delete` (the sender, or a support participant of the room). Both
 * broadcast `message_updated` to every socket of every participant; the
 * requesting socket's copy carries its `ref`. Both share a rate limit per user.
 */
import { ChatError, type Message } from '@ecc/protocol';
import { removeStoredFile } from '../../attachments/storedFiles.ts';
import { roomTopic } from '../../fanout/bus.ts';
import { checkContent } from './content.ts';
import type { FrameHandler, HandlerContext } from './types.ts';

async function loadMessage({ services }: HandlerContext, messageId: number): Promise<Message> {
  const message = await services.store.getMessage(messageId);
  if (!message) throw new ChatError('NOT_FOUND', 'No such message');
  return message;
}

/** After the checks that refuse a frame for what it is: only a change that would be made uses up the limit. */
function takeChange({ services, user }: HandlerContext): void {
  if (!services.editLimiter.tryTake(user.id)) throw new ChatError('RATE_LIMITED', 'Too many edits and deletes; wait a few seconds and retry');
}

function broadcastUpdate(ctx: HandlerContext, message: Message, ref: string | undefined): void {
  const frame = { type: 'message_updated' as const, message };
  ctx.services.hub.emit(roomTopic(message.roomId), { kind: 'frame', frame }, ctx.socket.id);
  ctx.socket.sendFrame(ref === undefined ? frame : { ...frame, ref });
}

export const handleEdit: FrameHandler<'edit'> = async (ctx, frame) => {
  const { services, user } = ctx;
  checkContent(frame.content, services.config.limits.maxContentChars, false);
  const message = await loadMessage(ctx, frame.messageId);
  await services.access.require(message.roomId, user.id, true);
  if (message.type === 'system' || message.sender?.id !== user.id) throw new ChatError('FORBIDDEN', 'You can only edit your own messages');
  if (message.deletedAt !== null) throw new ChatError('CONFLICT', 'This message was deleted');
  takeChange(ctx);
  // Checked again by the write itself: a delete from another tab or node may land in between.
  const updated = await services.store.editMessage(message.id, frame.content, new Date());
  if (!updated) throw new ChatError('CONFLICT', 'This message was deleted');
  broadcastUpdate(ctx, updated, frame.ref);
};

export const handleDelete: FrameHandler<'delete'> = async (ctx, frame) => {
  const { services, user } = ctx;
  const message = await loadMessage(ctx, frame.messageId);
  const access = await services.access.require(message.roomId, user.id);
  const isSender = message.type !== 'system' && message.sender?.id === user.id;
  if (!isSender && access.role !== 'support') throw new ChatError('FORBIDDEN', 'You can only delete your own messages');
  takeChange(ctx);
  if (message.deletedAt !== null) {
    broadcastUpdate(ctx, message, frame.ref);
    return;
  }
  const { message: deleted, removedFile } = await services.store.deleteMessage(message.id, new Date(), user.id);
  broadcastUpdate(ctx, deleted, frame.ref);
  // A deleted photo must not stay fetchable (its row is gone) nor stay on disk.
  if (removedFile) {
    removeStoredFile(services.config.dataDir, removedFile).catch((err: unknown) => ctx.log.error({ err }, 'removing a deleted attachment failed'));
  }
};
