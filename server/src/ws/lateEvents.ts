/**
 * Edits, deletions and room changes another node could not publish during
 * its Redis outage, told once its Redis is back (fanout/droppedEvents.ts),
 * delivered to this node's sockets so that a late copy never rolls them back
 * to an older state than they were sent meanwhile (a later change made on
 * another node, which its own node announced at once): an edit is checked
 * against the store first, a room is read from it afresh.
 */
import { compareMessageState, type Message } from '@ecc/protocol';
import type { LateRoomChange } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { RoomView } from '../storage/store.ts';
import type { StoredMessages } from './storedMessages.ts';
import type { RoomUpdate } from './unreadGate.ts';

/** What of the hub the late events reach this node's sockets through. */
export interface LateEventTargets {
  stored: StoredMessages;
  logger: Logger;
  /** A room as a user sees it now, presence filled in. */
  roomViewFor(roomId: number, userId: number): Promise<RoomView | null>;
  /** The users here with sockets in the room. */
  usersIn(roomId: number): Iterable<number>;
  /** Whether the user has sockets here. */
  hasSockets(userId: number): boolean;
  sendToUser(userId: number, text: string): void;
  sendRoomToUser(userId: number, update: RoomUpdate): void;
  /** A room's `message` to the user's sockets not sent its seq yet. */
  sendMessageToUser(userId: number, roomId: number, seq: number, text: string): void;
  /** The user's sockets hear the room from now on, its line starting past `lastSeq` if known (hub.ts `joinRooms`). */
  joinRoom(userId: number, roomId: number, lastSeq: number | undefined): Promise<void>;
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

  /**
   * A room change (a room made, a job's status, a room closed) for a user with sockets here: the room
   * is read afresh and sent as it stands (the change carries none: of its frame only the room's last seq
   * then, `frame.room.lastSeq`, whole in one from a node before the slim form). Then a new room's first
   * message, and the room is joined from where the change left it (its first message, or that last
   * seq): messages stored since are fetched and follow.
   */
  async roomChange(userId: number, { roomId, frame, firstMessage }: LateRoomChange): Promise<void> {
    let view: RoomView | null;
    try {
      view = await this.to.roomViewFor(roomId, userId);
      if (!view) return; // not (or no longer) theirs
    } catch (err) {
      // Still joined below: the room's messages and its next change reach the user.
      this.to.logger.error({ err, roomId }, 'late room change: the room could not be read');
      view = null;
    }
    if (!this.to.hasSockets(userId)) return;
    if (view) this.to.sendRoomToUser(userId, view);
    if (firstMessage) this.to.sendMessageToUser(userId, roomId, firstMessage.message.seq, JSON.stringify(firstMessage));
    await this.to.joinRoom(userId, roomId, firstMessage?.message.seq ?? frame?.room.lastSeq);
  }
}
