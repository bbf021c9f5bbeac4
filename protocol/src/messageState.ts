/**
 * The order of two copies of one stored message, the same for the server (a
 * late edit told after a Redis outage: droppedEvents.ts, hub.ts) and clients
 * (copies race: a history page read before an edit can arrive after its
 * `message_updated`): a deletion is final; otherwise the later `editedAt` is
 * newer (the store only moves it forward).
 */
import type { Message } from './shapes.ts';

type MessageState = Pick<Message, 'editedAt' | 'deletedAt'>;

/** Positive when `a` is a newer state than `b`, negative when older, 0 when neither is (two deletions are one). */
export function compareMessageState(a: MessageState, b: MessageState): number {
  if (a.deletedAt !== null || b.deletedAt !== null) return (a.deletedAt !== null ? 1 : 0) - (b.deletedAt !== null ? 1 : 0);
  return editedTime(a) - editedTime(b);
}

function editedTime(message: MessageState): number {
  // Never edited is older than any edit (not -Infinity: Infinity - Infinity is NaN).
  return message.editedAt === null ? 0 : Date.parse(message.editedAt);
}
