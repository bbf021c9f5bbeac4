import { compareMessageState, type Message } from '@ecc/protocol';

/**
 * The later state of two copies of one stored message (compareMessageState: a
 * deletion is final, else the later `editedAt`); on a tie the incoming copy.
 */
export function newerCopy(held: Message, incoming: Message): Message {
  return compareMessageState(held, incoming) > 0 ? held : incoming;
}
