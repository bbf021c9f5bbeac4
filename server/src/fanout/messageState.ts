/**
 * The order of two copies of one stored message, as clients order them
 * (client/src/newerCopy.ts): a deletion is final; otherwise the later
 * `editedAt` is newer (the store only moves it forward: storage/messages.ts).
 */
import type { Message } from '@ecc/protocol';

/** Positive when `a` is a newer state than `b`, negative when older, 0 when the same. */
export function compareMessageState(a: Pick<Message, 'editedAt' | 'deletedAt'>, b: Pick<Message, 'editedAt' | 'deletedAt'>): number {
  if ((a.deletedAt !== null) !== (b.deletedAt !== null)) return a.deletedAt !== null ? 1 : -1;
  return editedTime(a) - editedTime(b);
}

function editedTime(message: Pick<Message, 'editedAt'>): number {
  // Never edited is older than any edit (not -Infinity: Infinity - Infinity is NaN).
  return message.editedAt === null ? 0 : Date.parse(message.editedAt);
}
