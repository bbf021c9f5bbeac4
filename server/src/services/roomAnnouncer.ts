/**
 * Room-level events produced by HTTP actions (job accepted, status changed,
 * support opened, room closed): per-user `room` frames on each participant's
 * user topic, and system messages delivered like any other message.
 */
import { ChatError, type Message, type Room } from '@ecc/protocol';
import { roomTopic, userTopic, type PresenceTracker, type UnreadEntry } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { RoomView, Store } from '../storage/store.ts';
import type { Hub } from '../ws/hub.ts';
import type { RoomAccessCache } from '../ws/roomAccess.ts';

export interface RoomAnnouncerDeps {
  store: Store;
  hub: Hub;
  access: RoomAccessCache;
  presence: PresenceTracker;
  logger: Logger;
  /** ROOM_CLOSE_GRACE_MS: dates each finished job's room closing (Room.closesAt). */
  closeGraceMs: number;
}

export class RoomAnnouncer {
  constructor(private readonly deps: RoomAnnouncerDeps) {}

  /** Fills each participant's `online` from cluster presence. */
  async withPresence(rooms: Room[]): Promise<Room[]> {
    const ids = new Set<number>();
    for (const room of rooms) for (const p of room.participants) ids.add(p.id);
    if (ids.size === 0) return rooms;
    const online = await this.deps.presence.onlineAmong([...ids]);
    for (const room of rooms) for (const p of room.participants) p.online = online.has(p.id);
    return rooms;
  }

  /** One room as `userId` sees it, presence filled in. */
  async roomFor(roomId: number, userId: number): Promise<Room> {
    const view = await this.viewFor(roomId, userId);
    if (!view) throw new ChatError('NOT_FOUND', 'No such room');
    return view.room;
  }

  /** One room as `userId` sees it now, with the versions of its count, presence filled in; null when not theirs. */
  async viewFor(roomId: number, userId: number): Promise<RoomView | null> {
    const view = await this.deps.store.getRoomViewFor(roomId, userId, this.deps.closeGraceMs);
    if (view) await this.withPresence([view.room]);
    return view;
  }

  /**
   * Tells every participant (every socket, every node) about the room's
   * current state, and makes every node drop its cached access facts.
   * `counts: false` when every participant was just sent their counts as they
   * stand (a system message's, deliverMessage): the same numbers again are noise.
   * `firstMessage`: a new room's system message, sent as `message` after the `room`
   * frame (a new message of the room, as the contract has it, for clients that
   * build their conversation from `message` frames). `firstMessageFor`: only that participant's frame
   * carries it (a joiner, whose node may hear the room only from this frame on; the others hear the
   * message on the room topic with their counts, which a copy sent first would keep from them).
   */
  async announce(roomId: number, { counts = true, firstMessage, firstMessageFor }: { counts?: boolean; firstMessage?: Message; firstMessageFor?: number } = {}): Promise<void> {
    const { store, hub, access, closeGraceMs } = this.deps;
    access.invalidate(roomId);
    hub.emit(roomTopic(roomId), { kind: 'room_changed', roomId });
    const facts = await store.getRoomAccess(roomId);
    if (!facts) return;
    const userIds = [...facts.participants.keys()];
    const views = await Promise.all(userIds.map((id) => store.getRoomViewFor(roomId, id, closeGraceMs)));
    await this.withPresence(views.flatMap((view) => (view ? [view.room] : [])));
    views.forEach((view, i) => {
      const userId = userIds[i];
      if (userId === undefined || !view) return;
      const { room, roomVersion, userVersion } = view;
      const opening = firstMessage && (firstMessageFor === undefined || firstMessageFor === userId) ? { firstMessage: { type: 'message' as const, message: firstMessage } } : {};
      hub.emit(userTopic(userId), { kind: 'room_changed', roomId, frame: { type: 'room', room }, versions: { roomVersion, userVersion }, ...opening });
    });
    if (!counts) return;
    // Totals change with the room too (a new room's system message, a closed room leaving the sum).
    try {
      for (const count of await store.unreadFor(userIds.map((userId) => ({ userId, roomId })))) hub.emitUnread(count.userId, count);
    } catch (err) {
      this.deps.logger.error({ err, roomId }, 'unread counts failed after a room change');
    }
  }

  /**
   * Delivers a stored message to the room's participants with their unread counts, like a sent
   * message; false when the counts could not be read (the message went without them).
   */
  async deliverMessage(message: Message): Promise<boolean> {
    const { store, hub } = this.deps;
    const roomId = message.roomId;
    const facts = await this.deps.access.get(roomId);
    const pairs = [...(facts?.participants.keys() ?? [])].map((userId) => ({ userId, roomId }));
    let unread: UnreadEntry[] | null = null;
    try {
      unread = (await store.unreadFor(pairs)).map(({ roomId: _, ...count }) => count);
    } catch (err) {
      this.deps.logger.error({ err, roomId }, 'unread counts failed after a system message');
    }
    hub.emit(roomTopic(roomId), { kind: 'message', frame: { type: 'message', message }, unread: unread ?? [] });
    return unread !== null;
  }
}
