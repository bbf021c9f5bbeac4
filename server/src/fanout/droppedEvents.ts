/**
 * What a node could not publish while Redis was down or hung, kept small so
 * that it can be told once Redis is back: the other nodes' sockets would
 * otherwise miss it (this node's own sockets resync by themselves then).
 *
 * - Per room, only the newest message dropped: published again as a
 *   redelivery marked `catchUp`. A node whose line of the room is behind it
 *   reads what it missed from the database at once (roomSequencer.ts); a
 *   node that predates `catchUp` takes it as a redelivery past a gap and
 *   fetches the gap a second later. Sockets never get a seq twice.
 * - Session closes (logouts), each: a signed-out tab on another node must close.
 *
 * Bounded (rooms and sessions): past the bound the oldest entries go, which
 * costs only their timeliness (clients fetch a gap when the room's next message
 * comes, or on reconnect; a session's sockets fail at their next reconnect).
 */
import type { ClusterEvent, Topic } from './bus.ts';

type MessageEvent = Extract<ClusterEvent, { kind: 'message' }>;
type CloseSessionEvent = Extract<ClusterEvent, { kind: 'close_session' }>;

const MAX_ROOMS = 10_000;
const MAX_SESSION_CLOSES = 1_000;

export class DroppedEvents {
  /** Room topic → its newest message not published (Map order: oldest dropped first). */
  private readonly messages = new Map<Topic, MessageEvent>();
  private sessionCloses: { topic: Topic; event: CloseSessionEvent }[] = [];
  /** Entries let go past the bounds since the last `take`. */
  private overflow = 0;

  /** Entries kept (for tests and logs). */
  get size(): number {
    return this.messages.size + this.sessionCloses.length;
  }

  /** An event that was not published; only the kinds above are kept. */
  add(topic: Topic, event: ClusterEvent): void {
    if (event.kind === 'message') {
      const kept = this.messages.get(topic);
      if (kept && kept.frame.message.seq >= event.frame.message.seq) return;
      this.messages.delete(topic);
      this.messages.set(topic, event);
      if (this.messages.size > MAX_ROOMS) {
        const oldest = this.messages.keys().next().value as Topic;
        this.messages.delete(oldest);
        this.overflow++;
      }
    } else if (event.kind === 'close_session') {
      this.sessionCloses.push({ topic, event });
      if (this.sessionCloses.length > MAX_SESSION_CLOSES) {
        this.sessionCloses.shift();
        this.overflow++;
      }
    }
  }

  /** Everything kept, as the events to publish now, and how many were let go; empties the store. */
  take(): { events: { topic: Topic; event: ClusterEvent }[]; overflow: number } {
    const events: { topic: Topic; event: ClusterEvent }[] = [];
    for (const [topic, event] of this.messages) events.push({ topic, event: { ...event, redelivery: true, catchUp: true } });
    events.push(...this.sessionCloses);
    const overflow = this.overflow;
    this.messages.clear();
    this.sessionCloses = [];
    this.overflow = 0;
    return { events, overflow };
  }
}
