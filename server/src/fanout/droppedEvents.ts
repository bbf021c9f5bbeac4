/**
 * What a node could not publish while Redis was down or hung, kept small so
 * that it can be told once Redis is back: the other nodes' sockets would
 * otherwise miss it (this node's own sockets resync by themselves then).
 *
 * - Per (topic, room), the latest room change (`room_changed`: a room made,
 *   a job's status, a room closed), marked `catchUp`: the other nodes'
 *   users stay connected, so without it they would not see a new room (nor
 *   hear its messages) or its closing until a reload. The receiving node
 *   reads the room afresh for its users and sends that, never the frame the
 *   change came with, which a later change made elsewhere may have
 *   overtaken: so the latest change is enough, a late one cannot roll a
 *   socket back, and of its `room` frame (1–2 KB) only the room's last seq
 *   is kept (where the receiving node's line of the room starts), as a stub
 *   `room` frame (bus.ts `LateRoomChange`): a kept change is about 100 bytes.
 *   A new room's first message is kept whole with the room's later changes
 *   (sent as it is, and the line starts there instead: the messages stored
 *   since are fetched); its participants' entries share it. Told first, so a
 *   new room comes before its messages. A node that predates `catchUp` on
 *   room changes would deliver the stub as a room (see docs/deploy.md).
 * - Per room, only the newest message dropped: published again as a
 *   redelivery marked `catchUp`. A node whose line of the room is behind it
 *   reads what it missed from the database at once (roomSequencer.ts); a
 *   node that predates `catchUp` takes it as a redelivery past a gap and
 *   fetches the gap a second later. Sockets never get a seq twice.
 * - Per message, the latest edit or deletion (`message_updated`), marked
 *   `catchUp`: the receiving node first reads the message and drops the
 *   update when the store holds a newer state (a later edit made elsewhere,
 *   which its own node announced), so a late copy never rolls a socket back
 *   (a node that predates `catchUp` on frames delivers it as it comes).
 * - Per (room, reader), the highest `receipt`; per (user, room), the latest
 *   `unread` by its versions (the sockets' unread gate drops older counts).
 * - Session closes (logouts), each: a signed-out tab on another node must close.
 * - Per job, its latest `open_job` (the open-jobs board; a job that left the
 *   board is never put back by its older "posted"): cleaners on other nodes
 *   would otherwise keep a taken job, or miss a new one, until they reload.
 *
 * Not kept: typing (ephemeral: a stale "is typing" told late would be wrong,
 * and it expires anyway), presence (a frame of then may have been judged by
 * this node's sockets alone, or overtaken: the users announced meanwhile are
 * read afresh and told by services/presenceCatchUp.ts).
 *
 * Bounded (each kind): past the bound the oldest entries go, which costs only
 * their timeliness (clients fetch a gap when the room's next message comes,
 * or on reconnect; a session's sockets fail at their next reconnect).
 */
import { compareMessageState, replacesBoardChange, type ServerFrameOf, type ServerFrameType } from '@ecc/protocol';
import type { ClusterEvent, LateRoomChange, LateRoomFrame, Topic } from './bus.ts';

type MessageEvent = Extract<ClusterEvent, { kind: 'message' }>;
type FrameEvent = Extract<ClusterEvent, { kind: 'frame' }>;
type CloseSessionEvent = Extract<ClusterEvent, { kind: 'close_session' }>;
type RoomChangedEvent = Extract<ClusterEvent, { kind: 'room_changed' }>;
interface Kept<E extends ClusterEvent> {
  topic: Topic;
  event: E;
}

const MAX_ROOMS = 10_000;
const MAX_ROOM_CHANGES = 10_000;
const MAX_UPDATES = 10_000;
const MAX_READS = 10_000;
const MAX_SESSION_CLOSES = 1_000;
const MAX_JOBS = 10_000;

/** The newest entry per key, at most `max` keys (the least recently replaced go first). */
class Newest<K, E extends ClusterEvent> {
  readonly entries = new Map<K, Kept<E>>();

  constructor(
    private readonly max: number,
    /** Whether `incoming` replaces `kept`. */
    private readonly replaces: (incoming: E, kept: E) => boolean,
  ) {}

  /** Keeps `event` unless a newer one is kept; the number of entries let go past the bound (0 or 1). */
  add(key: K, topic: Topic, event: E): number {
    const kept = this.entries.get(key);
    if (kept && !this.replaces(event, kept.event)) return 0;
    this.entries.delete(key);
    this.entries.set(key, { topic, event });
    if (this.entries.size <= this.max) return 0;
    this.entries.delete(this.entries.keys().next().value as K);
    return 1;
  }
}

type Frame<T extends ServerFrameType> = FrameEvent & { frame: ServerFrameOf<T> };

function isFrame<T extends ServerFrameType>(event: FrameEvent, type: T): event is Frame<T> {
  return event.frame.type === type;
}

export class DroppedEvents {
  /** `topic|roomId` → the room's latest change told on the topic, as it is told late (read afresh where it lands: the latest wins). */
  private readonly roomChanges = new Newest<string, LateRoomChange>(MAX_ROOM_CHANGES, () => true);
  /** Room topic → its newest message not published. */
  private readonly messages = new Newest<Topic, MessageEvent>(MAX_ROOMS, (e, kept) => e.frame.message.seq > kept.frame.message.seq);
  /** Message id → its latest edit or deletion. */
  private readonly updates = new Newest<number, Frame<'message_updated'>>(
    MAX_UPDATES,
    (e, kept) => compareMessageState(e.frame.message, kept.frame.message) >= 0,
  );
  /** `roomId:userId` → the reader's highest receipt. */
  private readonly receipts = new Newest<string, Frame<'receipt'>>(MAX_READS, (e, kept) => e.frame.lastReadSeq >= kept.frame.lastReadSeq);
  /** `userId:roomId` → the user's latest count of the room (a count without versions is taken as the latest). */
  private readonly unreads = new Newest<string, Frame<'unread'>>(
    MAX_READS,
    (e, kept) => e.versions?.roomVersion === undefined || kept.versions?.roomVersion === undefined || e.versions.roomVersion >= kept.versions.roomVersion,
  );
  /** Job id → its latest board change (jobs leave the open state for good: that one wins). */
  private readonly jobs = new Newest<number, Frame<'open_job'>>(MAX_JOBS, (e, kept) => replacesBoardChange(e.frame.job, kept.frame.job));
  private sessionCloses: Kept<CloseSessionEvent>[] = [];
  /** Entries let go past the bounds since the last `take`. */
  private overflow = 0;

  /** Entries kept (for tests and logs). */
  get size(): number {
    return this.kinds().reduce((sum, kind) => sum + kind.entries.size, this.sessionCloses.length);
  }

  /** An event that was not published; only the kinds above are kept. */
  add(topic: Topic, event: ClusterEvent): void {
    if (event.kind === 'room_changed') this.addRoomChange(topic, event);
    else if (event.kind === 'message') this.overflow += this.messages.add(topic, topic, event);
    else if (event.kind === 'close_session') {
      this.sessionCloses.push({ topic, event });
      if (this.sessionCloses.length > MAX_SESSION_CLOSES) {
        this.sessionCloses.shift();
        this.overflow++;
      }
    } else if (event.kind === 'frame') {
      if (isFrame(event, 'message_updated')) this.overflow += this.updates.add(event.frame.message.id, topic, event);
      else if (isFrame(event, 'receipt')) this.overflow += this.receipts.add(`${event.frame.roomId}:${event.frame.userId}`, topic, event);
      else if (isFrame(event, 'unread')) this.overflow += this.unreads.add(`${topic}:${event.frame.roomId}`, topic, event);
      else if (isFrame(event, 'open_job')) this.overflow += this.jobs.add(event.frame.job.id, topic, event);
    }
  }

  /**
   * Everything kept, as the events to publish now (room changes first, so that a new room comes before
   * its messages; then messages, so that an update or receipt follows the message it is about), and how
   * many were let go; empties the store.
   */
  take(): { events: Kept<ClusterEvent>[]; overflow: number } {
    const events: Kept<ClusterEvent>[] = [];
    events.push(...this.roomChanges.entries.values());
    for (const { topic, event } of this.messages.entries.values()) events.push({ topic, event: { ...event, redelivery: true, catchUp: true } });
    for (const { topic, event } of this.updates.entries.values()) events.push({ topic, event: { ...event, catchUp: true } });
    events.push(...this.receipts.entries.values(), ...this.unreads.entries.values(), ...this.jobs.entries.values(), ...this.sessionCloses);
    const overflow = this.overflow;
    for (const kind of this.kinds()) kind.entries.clear();
    this.sessionCloses = [];
    this.overflow = 0;
    return { events, overflow };
  }

  /** Every kind kept by key (the session closes are a list of their own). */
  private kinds(): { entries: Map<unknown, unknown> }[] {
    return [this.roomChanges, this.messages, this.updates, this.receipts, this.unreads, this.jobs];
  }

  /**
   * A change replaces the room's earlier one on the topic, but a new room's first message stays with it.
   * Kept as it will be told: nothing of the room but its last seq (the frame and its count versions are
   * read afresh where it lands).
   */
  private addRoomChange(topic: Topic, event: RoomChangedEvent): void {
    const key = `${topic}|${event.roomId}`;
    const firstMessage = event.firstMessage ?? this.roomChanges.entries.get(key)?.event.firstMessage;
    const frame: LateRoomFrame | undefined = event.frame?.type === 'room' ? { type: 'room', room: { lastSeq: event.frame.room.lastSeq } } : undefined;
    const late: LateRoomChange = { kind: 'room_changed', roomId: event.roomId, catchUp: true };
    if (frame) late.frame = frame;
    if (firstMessage) late.firstMessage = firstMessage;
    this.overflow += this.roomChanges.add(key, topic, late);
  }
}
