/**
 * Fan-out between server nodes, behind one small interface with two
 * versions: in-process (`MemoryBus`, one node, or several nodes in one test
 * process) and Redis pub/sub (`RedisBus`, any number of processes).
 *
 * Routing: events are published on *topics* that a node subscribes to only
 * while it holds an interested socket, so the cost of a message does not grow
 * with the number of nodes:
 *   - `room:{id}`  — events for every participant of a room (new messages,
 *                    edits, receipts, typing), with per-user extras inlined
 *                    (the unread counts of the recipients);
 *   - `user:{id}`  — events for one user's sockets (unread after a read on
 *                    another tab, presence, room changes, session closes);
 *   - `jobs:open`  — the open-jobs board, for every cleaner's sockets (a node
 *                    subscribes while it holds a cleaner's socket: jobBoard.ts);
 *   - `jobs:all`   — every job change, for every support agent's sockets (the
 *                    same, with a support agent's socket).
 *
 * A node always delivers to its own sockets directly; the bus carries the
 * event to the *other* nodes, and each bus drops its own echoes by node id.
 */
import type { ServerFrame, ServerFrameOf } from '@ecc/protocol';

/** The open-jobs board's topic: `open_job` frames for every connected cleaner. */
export const OPEN_JOBS_TOPIC = 'jobs:open';

/** Support staff's jobs page: `job_changed` frames for every connected support agent. */
export const SUPPORT_JOBS_TOPIC = 'jobs:all';

/** The topics a JobBoard delivers itself (the hub leaves them alone). */
export type JobTopic = typeof OPEN_JOBS_TOPIC | typeof SUPPORT_JOBS_TOPIC;

export type Topic = `room:${number}` | `user:${number}` | JobTopic;

export const roomTopic = (roomId: number): Topic => `room:${roomId}`;
export const userTopic = (userId: number): Topic => `user:${userId}`;

/** The versions an unread count was read at (storage/unreadCounts.ts); absent in events of nodes that predate them. */
export interface CountVersions {
  roomVersion?: number;
  userVersion?: number;
}

/** Per-recipient unread counts carried with a room event. */
export interface UnreadEntry extends CountVersions {
  userId: number;
  unread: number;
  totalUnread: number;
}

export type MessageFrame = ServerFrameOf<'message'>;

/** Events between nodes, a discriminated union tagged by `kind`. */
export type ClusterEvent =
  /**
   * Deliver `frame` to every local socket of the topic's audience (all participants of a room topic, the user
   * of a user topic); an `unread` frame comes with the `versions` of its counts. `catchUp` (on a
   * `message_updated`): an edit or deletion its node could not publish during a Redis outage, sent once Redis
   * is back: delivered only while the store holds no newer state of the message (droppedEvents.ts).
   */
  | { kind: 'frame'; frame: ServerFrame; exceptUserId?: number; versions?: CountVersions; catchUp?: boolean }
  /**
   * A new message in a room: `message` to every participant's sockets, and `unread` to each listed recipient.
   * A `redelivery` (a retried send found already stored: its first node may have died before announcing it)
   * reaches only the sockets that have not seen the message's seq, and its counts only their users.
   * `catchUp` (with `redelivery`): the room's newest message its node could not publish during a Redis
   * outage, sent once Redis is back: a node behind it reads the room's missed messages from the database
   * at once (nodes that predate the field see a redelivery past a gap and fetch the gap after `gapWaitMs`).
   */
  | { kind: 'message'; frame: MessageFrame; unread: UnreadEntry[]; redelivery?: boolean; catchUp?: boolean }
  /**
   * Room membership or state changed: drop cached access, (un)subscribe topics, then deliver `frame` if any.
   * `firstMessage`: a new room's first (system) message, sent after its `room` frame on the same topic, so
   * that it comes second on every node (the room's own topic may not be live yet on the other nodes).
   */
  | { kind: 'room_changed'; roomId: number; frame?: ServerFrame; versions?: CountVersions; firstMessage?: MessageFrame; catchUp?: false }
  | LateRoomChange
  /** A session ended (logout): close its sockets with `code`. */
  | { kind: 'close_session'; sessionId: number; code: number; reason: string }
  /** The user has sockets on several nodes now: count their per-user limits over the nodes. */
  | { kind: 'user_spread' };

/**
 * A room change its node could not publish during a Redis outage, sent once Redis is back (droppedEvents.ts):
 * the receiving node sends the room as the store holds it now, so the event carries only what that takes.
 * `frame`: on a user topic, `{ type: 'room', room: { lastSeq } }`, the room's last seq when the change was
 * made (the receiving node's line of the room starts there; nodes before the slim form sent the whole
 * `room` frame, which reads the same). The stub stays a `room` frame because nodes that predate the slim
 * form take a late change as such only with one (they read nothing else of it).
 */
export interface LateRoomChange {
  kind: 'room_changed';
  roomId: number;
  catchUp: true;
  frame?: LateRoomFrame;
  firstMessage?: MessageFrame;
}

/** What is read of a late room change's frame. */
export interface LateRoomFrame {
  type: 'room';
  room: { lastSeq: number };
}

export interface BusEnvelope {
  /** Id of the node that published it; a node ignores its own. */
  origin: string;
  topic: Topic;
  event: ClusterEvent;
}

export type BusHandler = (topic: Topic, event: ClusterEvent) => void;

export interface Bus {
  /** This node's id (unique per process start). */
  readonly nodeId: string;
  /** Sends to the other nodes subscribed to `topic`. Never throws: while the transport is down events are dropped and `healthy()` is false; clients recover by seq. */
  publish(topic: Topic, event: ClusterEvent): void;
  /**
   * Reference-counted: the topic stays subscribed until `unsubscribe` was called as often.
   * Resolves once events published on the topic will reach this node (await it before reading
   * the state a socket starts from, e.g. `ready`, so nothing falls between); never rejects, and
   * resolves at once while the transport is down (the subscription is restored on recovery).
   */
  subscribe(topic: Topic): Promise<void>;
  unsubscribe(topic: Topic): void;
  /** Receives events published by other nodes on subscribed topics. */
  onEvent(handler: BusHandler): void;
  /** True while no other node is attached, so every message of a room is published by this node (no join window to catch up). */
  alone?(): boolean;
  /** False while the transport cannot carry events (Redis down). */
  healthy(): boolean;
  /**
   * Asks the transport whether it answers now (for `/healthz`): a Redis that hangs with its
   * connections open fails nothing until a command is sent, so `healthy()` alone would stay true
   * on a quiet node. Absent for the in-memory version, which always answers.
   */
  answers?(timeoutMs: number): Promise<boolean>;
  /**
   * Called when the transport works again after an outage, during which events in either
   * direction may have been dropped. The server makes its local sockets resync (close them
   * with 1013 TRY_AGAIN_LATER, spread over a few seconds: clients reconnect and fetch the gap by seq).
   * The in-memory version never calls it.
   */
  onRecover(handler: () => void): void;
  close(): Promise<void>;
}

/**
 * Cluster-wide presence: a user is online while any node holds a socket of
 * theirs. Each method reports whether the cluster-wide state changed, so the
 * caller announces `presence` exactly once per transition.
 */
/**
 * The send rate limit counted over every node: the contract's "per user",
 * whichever nodes the user's tabs are on. In memory (one node) there is
 * none; the node's own limiter is the whole count.
 */
export interface SharedSendCounter {
  /** Counts one send of `userId`; false when it is over the limit (and then not counted). */
  tryTake(userId: number): Promise<boolean>;
  /** Adds `count` sends of `userId` counted so far only on this node (as of now: their window ends later, not sooner). */
  seed(userId: number, count: number): Promise<void>;
}

/**
 * A per-user pace counted over every node (support staff's room opens). In memory (one node)
 * there is none: the node's own window is the whole count.
 */
export interface SharedPace {
  /** Counts one event of `userId` and answers 0, or the milliseconds to wait (nothing counted); null when the nodes cannot be asked. */
  take(userId: number): Promise<number | null>;
}

/** A socket refused because its user already holds the most sockets allowed, counted over every node. */
export class TooManySockets extends Error {
  constructor() {
    super('Too many open sockets for this user');
    this.name = 'TooManySockets';
  }
}

export interface PresenceTracker {
  /**
   * A socket of `userId` opened on this node; true when the user just came online.
   * With `maxSockets`, rejects with TooManySockets (counting nothing) when the user
   * already has that many sockets across the cluster (the contract's per-user cap).
   */
  socketOpened(userId: number, maxSockets?: number): Promise<boolean>;
  /** A socket closed on this node; true when the user just went offline everywhere. */
  socketClosed(userId: number): Promise<boolean>;
  /** Which of these users are online anywhere. */
  onlineAmong(userIds: number[]): Promise<Set<number>>;
  /**
   * Called with users that went offline because another node died (its
   * sockets vanished without closing). The in-memory version never calls it.
   */
  onOffline(handler: (userIds: number[]) => void): void;
  /**
   * Called with users of this node who are online again after a peer took
   * the node for dead (it was silent longer than its heartbeat lifetime,
   * e.g. a long pause) and reported them offline through `onOffline`. The
   * in-memory version never calls it.
   */
  onOnline(handler: (userIds: number[]) => void): void;
  /**
   * Called with a user when a socket of theirs opens on this node while
   * another node holds sockets of theirs too: their per-user limits must be
   * counted over the nodes from now on. The in-memory version never calls it.
   */
  onSpread(handler: (userId: number) => void): void;
  /**
   * Whether the cluster-wide counts can be asked and hold this node's sockets. False while
   * Redis is down or hung, or before this node's counts are written again after that: each
   * node then judges transitions by its own sockets alone. The in-memory version always is.
   */
  healthy(): boolean;
  /**
   * Whether the cluster-wide counts kept this node's entries through its last outage, so the other
   * nodes went on seeing its users (false when Redis lost them, e.g. restarted empty). Read while
   * `healthy()`. The in-memory version always did.
   */
  entriesKept(): boolean;
  /**
   * The node is shutting down and its users will reconnect to other nodes
   * (a deploy): from now on its closing sockets change nothing the cluster
   * sees, so peers see no offline-then-online flicker. Its entries stay
   * until its heartbeat expires; then a peer's sweep announces only the
   * users who did not come back, as after a crash. False where there is no
   * other node to hand over to (in memory): closes are then announced as usual.
   */
  handOver(): boolean;
  close(): Promise<void>;
}
