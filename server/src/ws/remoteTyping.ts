/**
 * Typing states relayed by other nodes, expired here too. A `true` is ended
 * by the node that relayed it (expiry, the typing socket closing), but when
 * that node dies, or Redis loses its `false`, nobody ends it: the others
 * kept seeing "typing…" until the typer typed again, against the contract's
 * "a true not refreshed within 6 s expires as false". So every `true` that
 * comes through the bus arms a timer here, re-armed by the next `true` of
 * that user in that room and cleared by a `false`; when it fires, this node
 * relays the `false` to its own sockets as if it had come, unless the user
 * types here now (their tab moved here from the dead node): this node's own
 * tracker ends that typing.
 */
import type { ServerFrameOf } from '@ecc/protocol';
import { roomTopic, type ClusterEvent, type Topic } from '../fanout/bus.ts';

/** Past the typer's own expiry: how late its node's `false` (or a refreshing `true`) may still come through Redis. */
export const REMOTE_TYPING_GRACE_MS = 2000;

type TypingFrame = ServerFrameOf<'typing'>;

export class RemoteTypingExpiry {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    /** Delivers an event to this node's sockets only (Hub.deliverLocal). */
    private readonly deliverLocal: (topic: Topic, event: ClusterEvent) => void,
    private readonly expiryMs: number,
    /** Whether the user is typing in the room on a socket of this node (TypingTracker.typingHere). */
    private readonly typingHere: (userId: number, roomId: number) => boolean = () => false,
  ) {}

  /** Every event from another node (a bus handler). */
  observe(_topic: Topic, event: ClusterEvent): void {
    if (event.kind !== 'frame' || event.frame.type !== 'typing') return;
    const frame = event.frame;
    const key = `${frame.userId}:${frame.roomId}`;
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    if (!frame.isTyping) return;
    const timer = setTimeout(() => this.expire(key, frame), this.expiryMs + REMOTE_TYPING_GRACE_MS);
    timer.unref();
    this.timers.set(key, timer);
  }

  private expire(key: string, frame: TypingFrame): void {
    this.timers.delete(key);
    if (this.typingHere(frame.userId, frame.roomId)) return;
    this.deliverLocal(roomTopic(frame.roomId), { kind: 'frame', frame: { ...frame, isTyping: false }, exceptUserId: frame.userId });
  }

  /** Drops every timer (the node stops). */
  close(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
