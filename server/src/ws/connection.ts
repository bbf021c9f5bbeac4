/**
 * One WebSocket: the `ready` handshake, its frames handed to inboundFrames.ts
 * (parsing, dispatch to the handler map, inbound flow control), the
 * slow-consumer close, and clean-up on close.
 *
 * Frames that arrive before `ready` wait for it; events for the socket
 * produced before `ready` are queued and sent right after it (ready is always
 * the first frame; a socket whose `ready` cannot be prepared gets
 * `error INTERNAL` and close 1013 instead).
 */
import type { Socket } from 'node:net';
import { WebSocket } from 'ws';
import { ChatError, CloseCode, type ServerFrame, type User } from '@ecc/protocol';
import { TooManySockets } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';
import type { HandlerContext, SendOrder } from './handlers/types.ts';
import type { HubSocket } from './hub.ts';
import type { JobBoard } from './jobBoard.ts';
import { InboundFrames, type FrameOwner } from './inboundFrames.ts';
import { SeenSeqs } from './seenSeqs.ts';
import { UnreadGate, type RoomUpdate, type UnreadUpdate } from './unreadGate.ts';

/** About the size of an `unread` and of a `room` frame, for the bound on what waits for `ready`. */
const UNREAD_FRAME_BYTES = 64;
const ROOM_FRAME_BYTES = 2048;
/** How long a socket closed for overflow may take to finish the close handshake. */
const CLOSE_GRACE_MS = 5000;

/** What waits for `ready`: serialized frames, and counts kept as they are until `ready` says which are out of date. */
type OutboxItem = string | UnreadUpdate | RoomUpdate;

type State = 'starting' | 'open' | 'closed';

/**
 * Socket ids only tell this node's sockets apart (the hub's "all but the sender"), so a counter
 * will do. A randomUUID() is built by V8 as a chain of ~14 joined pieces that each idle socket
 * kept (~450 bytes, seen in a heap snapshot); a short number's text is one flat string.
 */
let lastSocketId = 0;

export class Connection implements HubSocket, FrameOwner {
  readonly id = String(++lastSocketId);
  readonly userId: number;
  /** Cleared on every keep-alive round; set by pong. */
  alive = true;
  private state: State = 'starting';
  private outbox: OutboxItem[] = [];
  private outboxBytes = 0;
  /** The client's frames, handled one after another once `ready` was sent (inboundFrames.ts). */
  private readonly frames: InboundFrames;
  private registered = false;
  private presenceCounted = false;
  private detached = false;
  /** The hub's mark while this socket loads its `ready` (the hub keeps new messages for it until it ends). */
  private loadMark: number | null = null;
  private corked = false;
  private readonly unreadGate = new UnreadGate();
  /** Made on first use: a socket that is sent no message keeps no map. */
  private seenSeqs: SeenSeqs | null = null;
  private childLog: Logger | null = null;

  constructor(
    private readonly ws: WebSocket,
    readonly user: User,
    readonly sessionId: number,
    private readonly services: Services,
    /** When the session expires the socket is closed with 4401 (checked on each keep-alive round). */
    private readonly sessionExpiresAt: Date = new Date(8.64e15),
  ) {
    this.userId = user.id;
    const log = () => this.log;
    const ctx: HandlerContext = {
      services,
      socket: this,
      user,
      get log() {
        return log();
      },
    };
    this.frames = new InboundFrames(ws, this, ctx, services.config);
  }

  /** Created on first use: most sockets never log, and thousands of idle ones should stay small. */
  private get log(): Logger {
    this.childLog ??= this.services.logger.child({ conn: this.id, userId: this.userId });
    return this.childLog;
  }

  /**
   * Wires the socket's events and sends `ready` once the user's state is loaded.
   * `sessionStillValid` looks the session up again once the socket can hear a logout.
   */
  start(sessionStillValid: () => Promise<boolean> = () => Promise.resolve(true)): void {
    this.ws.on('message', (data, isBinary) => this.frames.received(data, isBinary));
    this.ws.on('pong', (data) => {
      this.alive = true;
      this.frames.pong(data);
    });
    this.ws.on('close', () => void this.detach());
    this.ws.on('error', (err) => this.log.debug({ err }, 'socket error'));
    this.frames.after(
      this.open(sessionStillValid).catch((err: unknown) => {
        this.log.error({ err }, 'could not prepare ready');
        const frame = ChatError.fromUnknown(err).toFrame();
        this.services.counters.frameRefused(frame.code);
        this.writeNow(JSON.stringify(frame));
        this.close(CloseCode.TRY_AGAIN_LATER, 'Server busy; reconnect');
      }),
    );
  }

  private async open(sessionStillValid: () => Promise<boolean>): Promise<void> {
    const { hub, presence, store, rooms: announcer, presenceAnnouncer } = this.services;
    this.registered = true;
    // A cleaner's or support agent's board hears every change from the `ready` on (the page reads the list again on it).
    await Promise.all([hub.addSocket(this), this.boardOf()?.watch(this)]);
    if (this.isClosed()) return;
    // A logout from now on reaches this socket through the hub; one that ended the session
    // between the upgrade's check and here sent its close event too early, so look again.
    if (!(await sessionStillValid())) {
      this.close(CloseCode.SESSION_ENDED, 'Signed out');
      return;
    }
    let cameOnline: boolean;
    try {
      // The upgrade checked this node's sockets; this counts the user's sockets on every node.
      cameOnline = await presence.socketOpened(this.userId, this.services.config.limits.maxSocketsPerUser);
    } catch (err) {
      if (!(err instanceof TooManySockets)) throw err;
      this.close(CloseCode.TOO_MANY_SOCKETS, 'Too many open sockets for this user');
      return;
    }
    this.presenceCounted = true;
    if (this.detached) {
      // Closed while presence was being counted: undo it here, detach() could not.
      await this.releasePresence(presenceAnnouncer.peersOf(this.userId, hub.roomsOf(this.userId)));
      return;
    }
    const mark = hub.beginLoad();
    this.loadMark = mark;
    const accessEpoch = this.services.access.epoch();
    let rooms, userVersion;
    try {
      ({ rooms, userVersion } = await store.listRoomsFor(this.userId, this.services.config.roomCloseGraceMs));
      // Before the replay below: a redelivery of a message `ready` will cover is not sent.
      if (rooms.length > 0) (this.seenSeqs ??= new SeenSeqs()).rememberRooms(rooms);
      await hub.joinRooms(
        this.userId,
        rooms.map((r) => r.id),
        { replay: { socket: this, since: mark }, lastSeqs: new Map(rooms.map((r) => [r.id, r.lastSeq])) },
      );
      // Once the rooms are watched: the cache keeps only rooms whose changes this node hears.
      this.services.access.prime(rooms, accessEpoch);
    } finally {
      this.endLoad();
    }
    await announcer.withPresence(rooms);
    if (this.isClosed()) return;
    const totalUnread = rooms.reduce((sum, r) => (r.isActive ? sum + r.unread : sum), 0);
    const ready: ServerFrame = { type: 'ready', user: this.user, rooms, totalUnread, serverTime: new Date().toISOString() };
    this.state = 'open';
    this.unreadGate.ready(totalUnread, userVersion);
    this.writeNow(JSON.stringify(ready));
    const queued = this.outbox;
    this.outbox = [];
    this.outboxBytes = 0;
    for (const item of queued) {
      if (typeof item === 'string') this.writeNow(item);
      else this.sendCounted(item);
    }
    if (cameOnline) {
      const peers = new Set<number>();
      for (const room of rooms) for (const p of room.participants) peers.add(p.id);
      presenceAnnouncer.announceOnline(this.userId, peers, null);
    }
  }

  /** State is re-read after awaits, where the compiler's narrowing does not apply. */
  isClosed(): boolean {
    return this.state === 'closed';
  }

  /** `ready` was sent and the socket did not end. */
  isOpen(): boolean {
    return this.state === 'open';
  }

  /** Sends a serialized frame (queued until `ready` was sent). */
  sendText(text: string): void {
    if (this.state === 'closed') return;
    if (this.state === 'starting') {
      this.queue(text, text.length);
      return;
    }
    this.writeNow(text);
  }

  sendMessage(roomId: number, seq: number, text: string, redelivery: boolean): boolean {
    if (this.state === 'closed') return false;
    this.seenSeqs ??= new SeenSeqs();
    if (!this.seenSeqs.admit(roomId, seq, redelivery)) return false;
    this.sendText(text);
    return true;
  }

  /**
   * The ack carries the message: like a `message` frame it counts as sent to this socket, so the
   * redelivery of a repeated clientId (the same send from another tab) does not bring it again.
   */
  sendAck(roomId: number, seq: number, text: string): void {
    if (this.state === 'closed') return;
    (this.seenSeqs ??= new SeenSeqs()).acked(roomId, seq);
    this.sendText(text);
  }

  /** Sends an unread count, or the later numbers this socket was already sent (unreadGate.ts). */
  sendUnread(update: UnreadUpdate): void {
    this.sendCounted(update);
  }

  /** Sends a `room` frame unless `ready` was later, with a later count of the room when this socket was sent one. */
  sendRoom(update: RoomUpdate): void {
    this.sendCounted(update);
  }

  /** A frame with counts: held back until `ready` as it is, then through the gate. */
  private sendCounted(update: UnreadUpdate | RoomUpdate): void {
    if (this.state === 'closed') return;
    const isRoom = 'room' in update;
    if (this.state === 'starting') {
      this.queue(update, isRoom ? ROOM_FRAME_BYTES : UNREAD_FRAME_BYTES);
      return;
    }
    const frame = isRoom ? this.unreadGate.admitRoom(update) : this.unreadGate.admit(update);
    if (frame) this.writeNow(JSON.stringify(frame));
  }

  private queue(item: OutboxItem, bytes: number): void {
    this.outbox.push(item);
    this.outboxBytes += bytes;
    if (this.outboxBytes > this.services.config.limits.maxBufferedBytes) this.overflow();
  }

  sendFrame(frame: ServerFrame): void {
    // Every error frame of a socket passes here (frame handlers and the send batcher alike).
    if (frame.type === 'error') this.services.counters.frameRefused(frame.code);
    this.sendText(JSON.stringify(frame));
  }

  /** Closes with `code` (e.g. 4401 on logout) and stops all delivery to this socket at once. */
  close(code: number, reason: string): void {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.close(code, reason);
    const timer = setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS);
    timer.unref();
    void this.detach();
  }

  /** Ends the socket without a close handshake (dead peer). */
  terminate(): void {
    this.ws.terminate();
    void this.detach();
  }

  /** Sends a WebSocket ping; ends the socket instead when the previous one got no pong or the session expired. */
  keepAlive(): void {
    if (Date.now() >= this.sessionExpiresAt.getTime()) {
      this.close(CloseCode.SESSION_ENDED, 'Session expired');
      return;
    }
    if (!this.alive) {
      this.log.debug('no pong: terminating');
      this.terminate();
      return;
    }
    this.alive = false;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.ping();
  }

  private writeNow(text: string): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    if (this.ws.bufferedAmount > this.services.config.limits.maxBufferedBytes) {
      this.overflow();
      return;
    }
    this.cork();
    this.ws.send(text);
  }

  /**
   * Frames written in the same tick leave in one syscall: a group-committed
   * batch produces many frames per socket at once, and one write per frame
   * was the hot path's largest cost.
   */
  private cork(): void {
    if (this.corked) return;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket || socket.destroyed) return;
    this.corked = true;
    socket.cork();
    process.nextTick(() => {
      this.corked = false;
      socket.uncork();
    });
  }

  /** The peer stopped reading: close rather than let memory grow; the client resyncs by seq. */
  private overflow(): void {
    if (this.state === 'closed') return;
    this.log.warn({ buffered: this.ws.bufferedAmount }, 'slow consumer: closing with 1013');
    this.close(CloseCode.TRY_AGAIN_LATER, 'Too far behind; reconnect and resync');
  }

  /** The send being handled, kept in order with this socket's other sends to its room (sendFence.ts). */
  orderSend(roomId: number, clientId: string): SendOrder {
    return this.frames.orderSend(roomId, clientId);
  }

  /** Leaves the hub, typing and presence once, whichever way the socket ended. */
  private async detach(): Promise<void> {
    if (this.state === 'closed' && this.detached) return;
    this.state = 'closed';
    if (this.detached) return;
    this.detached = true;
    this.outbox = [];
    const { hub, typing } = this.services;
    typing.socketClosed(this.id);
    // A closed socket needs no replay: its load must not hold messages while its room list read hangs.
    this.endLoad();
    if (!this.registered) return;
    // Peers are read before leaving the hub, which forgets the facts of rooms no other local user is in.
    const peers = this.presenceCounted ? this.services.presenceAnnouncer.peersOf(this.userId, hub.roomsOf(this.userId)) : null;
    hub.removeSocket(this);
    this.boardOf()?.unwatch(this);
    if (hub.socketCount(this.userId) === 0) this.services.sendLimiter.forget(this.userId);
    if (peers) await this.releasePresence(peers);
  }

  /** The board this user's jobs page follows: cleaners the open jobs, support staff every job. */
  private boardOf(): JobBoard | undefined {
    if (this.user.role === 'cleaner') return this.services.board;
    return this.user.role === 'support' ? this.services.supportBoard : undefined;
  }

  private endLoad(): void {
    if (this.loadMark === null) return;
    this.services.hub.endLoad(this.loadMark);
    this.loadMark = null;
  }

  private async releasePresence(peers: Promise<Set<number>>): Promise<void> {
    const { presence, presenceAnnouncer } = this.services;
    try {
      if (await presence.socketClosed(this.userId)) await presenceAnnouncer.wentOffline(this.userId, peers);
    } catch (err) {
      this.log.error({ err }, 'presence update on close failed');
    }
  }
}
