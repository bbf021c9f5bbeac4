/**
 * Edits and deletions another node could not publish during its Redis
 * outage, told once its Redis is back (fanout/droppedEvents.ts), delivered
 * to this node's sockets so that a late copy never rolls them back to an
 * older state than they were sent meanwhile (a later edit made on another
 * node, which its own node announced at once): each is checked against the
 * store first.
 */
import { compareMessageState, type Message } from '@ecc/protocol';
import type { Logger } from '../logger.ts';
import type { StoredMessages } from './storedMessages.ts';

/** What of the hub the late events reach this node's sockets through. */
export interface LateEventTargets {
  stored: StoredMessages;
  logger: Logger;
  /** The users here with sockets in the room. */
  usersIn(roomId: number): Iterable<number>;
  sendToUser(userId: number, text: string): void;
}

export class LateEvents {
  /** The late edits and deletions being checked, in order. */
  private updates: Promise<void> = Promise.resolve();

  constructor(private readonly to: LateEventTargets) {}

  /**
   * An edit or deletion: sent only when the store holds no newer state of the message; one after
   * another, in the order they came. Not sent when the message cannot be read (the sockets get it on
   * reconnect).
   */
  update(roomId: number, message: Message, text: string): void {
    this.updates = this.updates
      .then(async () => {
        const stored = await this.to.stored.message(message.id);
        if (!stored || compareMessageState(stored, message) > 0) return;
        for (const userId of this.to.usersIn(roomId)) this.to.sendToUser(userId, text);
      })
      .catch((err: unknown) => this.to.logger.error({ err, roomId }, 'late update delivery failed'));
  }
}
