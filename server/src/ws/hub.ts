/**
 * This node's sockets and their topic subscriptions, and delivery of
 * cluster events to them.
 *
 * A node subscribes `user:{id}` while it holds a socket of that user, and
 * `room:{id}` while a local user with a socket is a participant of the room.
 * `emit` delivers to local sockets directly and publishes for the other
 * nodes; events from other nodes arrive through the bus. Each frame is
 * serialized once per event, not once per recipient socket — except
 * `unread` and `room` frames, whose counts each socket may show differently
 * (the latest it was sent: unreadGate.ts).
 */
import type { ServerFrame } from '@ecc/protocol';
import { OPEN_JOBS_TOPIC, SUPPORT_JOBS_TOPIC, roomTopic, userTopic, type Bus, type ClusterEvent, type Topic, type UnreadEntry } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { RoomView } from '../storage/store.ts';
import { LateEvents } from './lateEvents.ts';
import { LoadLog } from './loadLog.ts';
import { RoomSequencer, type Handing } from './roomSequencer.ts';
import { StoredMessages, type MessageEvent, type RoomMessage, type StoredMessageSource } from './storedMessages.ts';
import type { UnreadUpdate } from './unreadGate.ts';
import { UserSockets, type HubSocket } from './userSockets.ts';

export type { HubSocket } from './userSockets.ts';

export interface HubOptions extends StoredMessageSource {
  bus: Bus;
  logger: Logger;
  /** A room's membership or state changed: drop what is cached about it. */
  onRoomChanged(roomId: number): void;
  /** A user with sockets here now has sockets on other nodes too (their limits are counted over the nodes). */
  onUserSpread?(userId: number): void;
  /** How long a message past a gap in its room's seqs waits for the gap to fill (default 1 s). */
  gapWaitMs?: number;
  /** A room as `userId` sees it now, presence filled in (for a room change told late, which carries no room: without it, such a change reaches no socket). */
  roomViewFor?(roomId: number, userId: number): Promise<RoomView | null>;
}

export class Hub {
  /** This node's sockets by user (userSockets.ts). */
  private readonly sockets = new UserSockets();
  private readonly roomsByUser = new Map<number, Set<number>>();
  private readonly usersByRoom = new Map<number, Set<number>>();
  /** New messages kept for sockets loading their `ready` (loadLog.ts). */
  private readonly loads = new LoadLog();
  private readonly sequencer: RoomSequencer<RoomMessage>;
  private readonly stored: StoredMessages;
  /** What other nodes could not publish during their Redis outage, told late (lateEvents.ts). */
  private readonly late: LateEvents;

  constructor(private readonly opts: HubOptions) {
    opts.bus.onEvent((topic, event) => this.deliverLocal(topic, event));
    this.stored = new StoredMessages(opts, opts.logger);
    this.sequencer = new RoomSequencer<RoomMessage>({
      deliver: (roomId, item, how) => this.deliverInOrder(roomId, item, how),
      fetchAfter: (roomId, afterSeq, limit) => this.stored.after(roomId, afterSeq, limit, [...(this.usersByRoom.get(roomId) ?? [])]),
      seqOf: (item) => item.event.frame.message.seq,
      gapWaitMs: opts.gapWaitMs ?? 1000,
      logger: opts.logger,
    });
    this.late = new LateEvents({
      stored: this.stored,
      logger: opts.logger,
      roomViewFor: async (roomId, userId) => (await opts.roomViewFor?.(roomId, userId)) ?? null,
      usersIn: (roomId) => this.usersByRoom.get(roomId) ?? [],
      hasSockets: (userId) => this.sockets.has(userId),
      sendToUser: (userId, text) => this.sockets.sendText(userId, text),
      sendRoomToUser: (userId, update) => this.sockets.sendRoom(userId, update),
      sendMessageToUser: (userId, roomId, seq, text) => void this.sockets.sendMessage(userId, roomId, seq, text, true),
      joinRoom: (userId, roomId, lastSeq) => this.joinRooms(userId, [roomId], lastSeq === undefined ? {} : { lastSeqs: new Map([[roomId, lastSeq]]) }),
    });
  }

  /** Number of this node's sockets of `userId`. */
  socketCount(userId: number): number {
    return this.sockets.count(userId);
  }

  /** Number of this node's live sockets (closed or closing ones are removed at once). */
  totalSockets(): number {
    return this.sockets.total();
  }

  /** Number of distinct users with a live socket on this node. */
  connectedUsers(): number {
    return this.sockets.users();
  }

  /** Registers a socket; resolves once the user's topic is live on this node. */
  async addSocket(socket: HubSocket): Promise<void> {
    if (!this.sockets.add(socket)) return;
    this.roomsByUser.set(socket.userId, new Set());
    await this.opts.bus.subscribe(userTopic(socket.userId));
  }

  /**
   * Unregisters a socket. When it was the user's last one here, drops the
   * user's subscriptions and returns the rooms the user was in (for presence).
   */
  removeSocket(socket: HubSocket): { lastLocal: boolean; roomIds: number[] } {
    const left = this.sockets.remove(socket);
    if (left === 'absent') return { lastLocal: false, roomIds: [] };
    const roomIds = [...(this.roomsByUser.get(socket.userId) ?? [])];
    if (left === 'others') return { lastLocal: false, roomIds };
    this.roomsByUser.delete(socket.userId);
    this.opts.bus.unsubscribe(userTopic(socket.userId));
    for (const roomId of roomIds) this.dropInterest(socket.userId, roomId);
    return { lastLocal: true, roomIds };
  }

  /** Whether this node hears the room's events (a participant has a socket here). */
  watches(roomId: number): boolean {
    return (this.usersByRoom.get(roomId)?.size ?? 0) > 0;
  }

  /** The rooms of a user with a socket here. */
  roomsOf(userId: number): number[] {
    return [...(this.roomsByUser.get(userId) ?? [])];
  }

  /**
   * New messages kept for sockets still loading their `ready` (for tests and memory checks: nothing
   * else shows them, and kept for a load nobody ends they would only grow).
   */
  get heldForLoads(): number {
    return this.loads.size;
  }

  /** Call before reading a socket's `ready` snapshot; pass the mark to `joinRooms`, then `endLoad`. */
  beginLoad(): number {
    return this.loads.begin();
  }

  /** Once per beginLoad. */
  endLoad(mark: number): void {
    this.loads.end(mark);
  }

  /**
   * A local user is a participant of these rooms: deliver their events here.
   * `lastSeqs` are the rooms' last seqs the user's socket was told (a room's
   * messages are delivered in seq order from there). With `replay`, new
   * messages of these rooms delivered since `replay.since` are sent to
   * `replay.socket` (it may get some twice; clients drop seqs they hold).
   * Resolves when the topics are live. A message another node published
   * before a topic new here was live never reached this node: once the topics
   * are live, the rooms' last seqs are read again and what the socket was not
   * given is fetched and delivered (roomSequencer.ts; sockets drop seqs they were sent).
   */
  async joinRooms(
    userId: number,
    roomIds: Iterable<number>,
    { replay, lastSeqs }: { replay?: { socket: HubSocket; since: number }; lastSeqs?: ReadonlyMap<number, number> } = {},
  ): Promise<void> {
    const rooms = this.roomsByUser.get(userId);
    if (!rooms) return;
    const ids = new Set(roomIds);
    const replayed = new Map<number, number[]>();
    if (replay) {
      for (const entry of this.loads.since(replay.since, ids)) {
        if (!replay.socket.sendMessage(entry.roomId, entry.seq, entry.text, entry.redelivery)) continue;
        const seqs = replayed.get(entry.roomId);
        if (seqs) seqs.push(entry.seq);
        else replayed.set(entry.roomId, [entry.seq]);
        const unread = entry.unread.get(userId);
        if (unread) replay.socket.sendUnread(unread);
      }
    }
    // A room new to this node: its line starts past what the socket was told and replayed.
    for (const [roomId, lastSeq] of lastSeqs ?? []) this.sequencer.start(roomId, lastSeq, replayed.get(roomId));
    const pending: Promise<void>[] = [];
    const fresh: number[] = [];
    for (const roomId of ids) {
      if (rooms.has(roomId)) continue;
      rooms.add(roomId);
      let users = this.usersByRoom.get(roomId);
      if (!users) {
        users = new Set();
        this.usersByRoom.set(roomId, users);
        pending.push(this.opts.bus.subscribe(roomTopic(roomId)));
        fresh.push(roomId);
      }
      users.add(userId);
    }
    await Promise.all(pending);
    // A lone node delivers every message itself (and logs them for loading sockets): nothing to catch up.
    if (fresh.length > 0 && !this.opts.bus.alone?.()) void this.catchUp(fresh);
  }

  /** Rooms whose topic just went live here: fetch what was stored since their lines started and went unheard. */
  private async catchUp(roomIds: number[]): Promise<void> {
    for (const [roomId, lastSeq] of await this.stored.lastSeqs(roomIds)) this.sequencer.catchUp(roomId, lastSeq);
  }

  private dropInterest(userId: number, roomId: number): void {
    const users = this.usersByRoom.get(roomId);
    if (!users) return;
    users.delete(userId);
    if (users.size === 0) {
      this.usersByRoom.delete(roomId);
      this.sequencer.forget(roomId);
      this.opts.bus.unsubscribe(roomTopic(roomId));
      // Without the topic this node no longer hears room_changed for the room: forget what it cached.
      this.opts.onRoomChanged(roomId);
    }
  }

  /**
   * Delivers `event` to this node's sockets and publishes it for the others.
   * `exceptSocketId` skips one local socket (the sender, who gets `ack`);
   * `frameText`, when the caller already has it, is the event's frame serialized.
   */
  emit(topic: Topic, event: ClusterEvent, exceptSocketId?: string, frameText?: string): void {
    this.deliverLocal(topic, event, exceptSocketId, frameText);
    this.opts.bus.publish(topic, event);
  }

  /**
   * Sends a user's unread count of a room to every socket of theirs, on every node (sockets keep
   * the latest), but `exceptSocketId`.
   */
  emitUnread(userId: number, count: UnreadUpdate, exceptSocketId?: string): void {
    const { roomId, unread, totalUnread, roomVersion, userVersion } = count;
    const frame: ServerFrame = { type: 'unread', roomId, unread, totalUnread };
    this.emit(userTopic(userId), { kind: 'frame', frame, versions: { roomVersion, userVersion } }, exceptSocketId);
  }

  /** Sends one frame to every socket of a user, on every node. */
  emitToUser(userId: number, frame: ServerFrame): void {
    this.emit(userTopic(userId), { kind: 'frame', frame });
  }

  /** Delivers an event to the local sockets of the topic's audience. */
  deliverLocal(topic: Topic, event: ClusterEvent, exceptSocketId?: string, frameText?: string): void {
    if (topic === OPEN_JOBS_TOPIC || topic === SUPPORT_JOBS_TOPIC) return; // the boards' own (jobBoard.ts)
    const [kind, idText] = topic.split(':') as ['room' | 'user', string];
    const id = Number(idText);
    try {
      if (kind === 'room') this.deliverToRoom(id, event, exceptSocketId, frameText);
      else this.deliverToUser(id, event, exceptSocketId);
    } catch (err) {
      this.opts.logger.error({ err, topic, kind: event.kind }, 'event delivery failed');
    }
  }

  private deliverToRoom(roomId: number, event: ClusterEvent, exceptSocketId?: string, frameText?: string): void {
    if (event.kind === 'room_changed') this.opts.onRoomChanged(event.roomId);
    if (event.kind === 'close_session' || event.kind === 'user_spread' || !event.frame) return;
    const users = this.usersByRoom.get(roomId);
    const recording = event.kind === 'message' && this.loads.recording;
    if (!recording && (!users || users.size === 0)) return;
    // Serialised at most once per event (or not at all when the caller has it), only when someone here gets it.
    const text = frameText ?? JSON.stringify(event.frame);
    if (event.kind === 'message') {
      const item = { event, text, exceptSocketId };
      // Only a room with local sockets keeps a line; a socket still loading gets the log's order.
      if (!users || users.size === 0) this.record(roomId, event, text, event.redelivery === true);
      else {
        this.sequencer.accept(roomId, item);
        // Dropped by its node in a Redis outage, with others before it maybe: read what this node missed now.
        if (event.catchUp) this.sequencer.catchUp(roomId, event.frame.message.seq);
      }
      return;
    }
    if (!users || users.size === 0) return;
    if (event.kind === 'frame' && event.catchUp && event.frame.type === 'message_updated') {
      this.late.update(roomId, event.frame.message, text);
      return;
    }
    const except = event.kind === 'frame' ? event.exceptUserId : undefined;
    for (const userId of users) {
      if (userId === except) continue;
      this.sockets.sendText(userId, text, exceptSocketId);
    }
  }

  /**
   * A room's message from its line (roomSequencer.ts). In order or again, it goes only to sockets
   * never sent that seq (their `ready` or replay may have covered it); an overdue one (its seq was
   * skipped here) as it came.
   */
  private deliverInOrder(roomId: number, item: RoomMessage, how: Handing): void {
    const redelivery = how === 'overdue' ? item.event.redelivery === true : true;
    if (this.loads.recording) this.record(roomId, item.event, item.text, redelivery);
    const users = this.usersByRoom.get(roomId);
    if (users && users.size > 0) this.deliverMessage(roomId, users, item, redelivery);
  }

  private deliverMessage(roomId: number, users: Set<number>, { event, text, exceptSocketId }: RoomMessage, redelivery: boolean): void {
    const { seq } = event.frame.message;
    // A redelivery's counts go only to users it reached: the others had the message and its count.
    const reached = redelivery && event.unread.length > 0 ? new Set<number>() : null;
    for (const userId of users) {
      if (this.sockets.sendMessage(userId, roomId, seq, text, redelivery, exceptSocketId)) reached?.add(userId);
    }
    for (const entry of event.unread) {
      if (users.has(entry.userId) && (!redelivery || reached?.has(entry.userId))) this.sockets.sendUnread(entry.userId, unreadUpdate(roomId, entry));
    }
  }

  private record(roomId: number, event: MessageEvent, text: string, redelivery: boolean): void {
    const unread = new Map<number, UnreadUpdate>();
    for (const e of event.unread) unread.set(e.userId, unreadUpdate(roomId, e));
    this.loads.record(roomId, event.frame.message.seq, text, redelivery, unread);
  }

  private deliverToUser(userId: number, event: ClusterEvent, exceptSocketId?: string): void {
    const { sockets } = this;
    switch (event.kind) {
      case 'close_session':
        sockets.closeSession(userId, event.sessionId, event.code, event.reason);
        return;
      case 'user_spread':
        if (sockets.has(userId)) this.opts.onUserSpread?.(userId);
        return;
      case 'room_changed':
        this.opts.onRoomChanged(event.roomId);
        if (!sockets.has(userId)) return;
        if (event.catchUp) {
          this.late.roomChange(userId, event).catch((err: unknown) => {
            this.opts.logger.error({ err, roomId: event.roomId }, 'late room change delivery failed');
          });
          return;
        }
        // A new room of a connected user: its events must reach this node from now on.
        void this.joinRooms(userId, [event.roomId], event.frame?.type === 'room' ? { lastSeqs: new Map([[event.roomId, event.frame.room.lastSeq]]) } : {});
        if (event.frame?.type === 'room') sockets.sendRoom(userId, { room: event.frame.room, ...event.versions }, exceptSocketId);
        else if (event.frame) sockets.sendText(userId, JSON.stringify(event.frame), exceptSocketId);
        if (event.firstMessage) {
          const { roomId, seq } = event.firstMessage.message;
          // Only to sockets not sent it yet: one whose `ready` (read after the room was made) listed it holds it.
          sockets.sendMessage(userId, roomId, seq, JSON.stringify(event.firstMessage), true, exceptSocketId);
        }
        return;
      case 'frame':
        if (event.frame.type === 'unread') {
          const { roomId, unread, totalUnread } = event.frame;
          sockets.sendUnread(userId, { roomId, unread, totalUnread, ...event.versions }, exceptSocketId);
          return;
        }
        sockets.sendText(userId, JSON.stringify(event.frame), exceptSocketId);
        return;
      case 'message': {
        const { roomId, seq } = event.frame.message;
        sockets.sendMessage(userId, roomId, seq, JSON.stringify(event.frame), event.redelivery === true, exceptSocketId);
        return;
      }
    }
  }
}

function unreadUpdate(roomId: number, entry: UnreadEntry): UnreadUpdate {
  const { unread, totalUnread, roomVersion, userVersion } = entry;
  return { roomId, unread, totalUnread, roomVersion, userVersion };
}
