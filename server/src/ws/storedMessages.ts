/**
 * What the hub reads from the database about a room's messages: a gap's
 * messages for its room line (roomSequencer.ts), with the unread counts of
 * the room's users on this node, the rooms' last seqs for the catch-up
 * after a room's topic went live here, and a message's stored state.
 */
import type { Message } from '@ecc/protocol';
import type { ClusterEvent, UnreadEntry } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';

export type MessageEvent = Extract<ClusterEvent, { kind: 'message' }>;

/** A room's new message on its way to this node's sockets. */
export interface RoomMessage {
  event: MessageEvent;
  text: string;
  exceptSocketId: string | undefined;
}

/** The reads, each optional (a hub without them skips what needs them). */
export interface StoredMessageSource {
  /** A room's stored messages after a seq, ascending (fills a gap no event filled: roomSequencer.ts). */
  messagesAfter?(roomId: number, afterSeq: number, limit: number): Promise<Message[]>;
  /** Unread counts of (user, room) pairs, for the users here a fetched message reaches. */
  unreadFor?(pairs: { userId: number; roomId: number }[]): Promise<(UnreadEntry & { roomId: number })[]>;
  /** Rooms' last stored seqs, read once their topics are live here (the catch-up in `Hub.joinRooms`). */
  lastSeqs?(roomIds: number[]): Promise<Map<number, number>>;
  /** One message as stored now (null when there is none), to check an edit told late against. */
  getMessage?(id: number): Promise<Message | null>;
}

export class StoredMessages {
  constructor(
    private readonly source: StoredMessageSource,
    private readonly logger: Logger,
  ) {}

  /** Up to `limit` messages after `afterSeq`; the last carries the counts of `usersHere`, read after the messages. */
  async after(roomId: number, afterSeq: number, limit: number, usersHere: readonly number[]): Promise<RoomMessage[]> {
    const messages = (await this.source.messagesAfter?.(roomId, afterSeq, limit)) ?? [];
    const unread = messages.length > 0 ? await this.counts(roomId, usersHere) : [];
    return messages.map((message, i) => {
      const frame = { type: 'message' as const, message };
      const counts = i === messages.length - 1 ? unread : [];
      return { event: { kind: 'message', frame, unread: counts }, text: JSON.stringify(frame), exceptSocketId: undefined };
    });
  }

  /** The rooms' last seqs; empty when they cannot be read (logged). */
  async lastSeqs(roomIds: number[]): Promise<Map<number, number>> {
    if (!this.source.lastSeqs) return new Map();
    try {
      return await this.source.lastSeqs(roomIds);
    } catch (err) {
      // As before the catch-up: such a message still comes with the room's next one (its gap is fetched).
      this.logger.warn({ err, rooms: roomIds.length }, 'catch-up read after subscribing failed');
      return new Map();
    }
  }

  /** The message as stored now; null when it is not there or cannot be read (logged). */
  async message(id: number): Promise<Message | null> {
    try {
      return (await this.source.getMessage?.(id)) ?? null;
    } catch (err) {
      this.logger.warn({ err, messageId: id }, 'reading a message to check an edit told late failed');
      return null;
    }
  }

  /** None when they cannot be read: the next change brings them. */
  private async counts(roomId: number, userIds: readonly number[]): Promise<UnreadEntry[]> {
    if (userIds.length === 0 || !this.source.unreadFor) return [];
    try {
      return (await this.source.unreadFor(userIds.map((userId) => ({ userId, roomId })))).map(({ roomId: _room, ...entry }) => entry);
    } catch (err) {
      this.logger.warn({ err, roomId }, 'reading unread counts for fetched messages failed');
      return [];
    }
  }
}
