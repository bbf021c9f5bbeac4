import type { Message } from '@ecc/protocol';

/**
 * The later state of two copies of one stored message. Copies race: a history
 * page read before an edit or deletion can arrive after its `message_updated`.
 * A deletion is final; otherwise the later `editedAt` wins, and on a tie the
 * incoming copy.
 */
export function newerCopy(held: Message, incoming: Message): Message {
  if (held.deletedAt !== null || incoming.deletedAt !== null) return incoming.deletedAt !== null ? incoming : held;
  return editedTime(held) > editedTime(incoming) ? held : incoming;
}

function editedTime(message: Message): number {
  return message.editedAt === null ? -Infinity : Date.parse(message.editedAt);
}
