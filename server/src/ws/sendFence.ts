/**
 * One socket's sends to a room stay in the order sent when one of them
 * fails. Sends are handed to the group commit without waiting for their
 * acks, so when a batch fails (`error INTERNAL`: nothing stored, retry with
 * the same clientId), the socket's next sends to the room may already be
 * queued behind it, or on their way, sent before the client heard of the
 * failure. Stored, they would come before the retry of the failed one.
 *
 * So a failure raises a fence on the room: the socket's later sends to it
 * are refused the same way (`error INTERNAL`; the client retries them in its
 * own order) until the client has heard of the failure. That moment is
 * exact, without timers: right after the error the server sends a WebSocket
 * ping (browsers answer pings by themselves); frames arrive in the order the
 * client sent them, so every send that arrives after the pong was sent
 * knowing of the failure. Retries of the failed sends pass the fence.
 * Frames are numbered as they arrive (by the connection), not as they are
 * handled, since a pong is not queued behind the frames before it.
 */

interface Fence {
  /** Arrival of the earliest failed send: later arrivals are held. */
  from: number;
  /** The last arrival before the pong that lifts it; null until then. */
  liftAt: number | null;
  /** Payload of the ping whose pong lifts it (the latest failure's). */
  token: string;
  /** The failed sends' clientIds: their retries pass. */
  retries: Set<string>;
}

/** Lifted fences kept per room (a send held by one may still be waiting for its batch). */
const KEPT_LIFTED = 4;

export class SendFence {
  private pings = 0;
  private readonly fences = new Map<number, Fence[]>();

  /** Whether a send (its arrival and clientId) must be refused: an earlier send to the room failed and the client had not heard of it yet. */
  holds(roomId: number, arrival: number, clientId: string): boolean {
    for (const fence of this.fences.get(roomId) ?? []) {
      if (arrival > fence.from && (fence.liftAt === null || arrival <= fence.liftAt) && !fence.retries.has(clientId)) return true;
    }
    return false;
  }

  /** A send to the room failed (the client retries it): the payload of the ping to send right after its error. */
  failed(roomId: number, arrival: number, clientId: string): string {
    const token = `fence:${++this.pings}`;
    let list = this.fences.get(roomId);
    if (!list) this.fences.set(roomId, (list = []));
    const open = list.find((fence) => fence.liftAt === null);
    if (open) {
      open.from = Math.min(open.from, arrival);
      open.retries.add(clientId);
      open.token = token;
      return token;
    }
    list.push({ from: arrival, liftAt: null, token, retries: new Set([clientId]) });
    while (list.length > KEPT_LIFTED + 1) list.splice(list.findIndex((fence) => fence.liftAt !== null), 1);
    return token;
  }

  /** A pong came back with `payload` after `lastArrival` frames: the fence it answers is lifted for every frame after them. */
  pong(payload: string, lastArrival: number): void {
    if (!payload.startsWith('fence:')) return;
    for (const list of this.fences.values()) {
      for (const fence of list) if (fence.liftAt === null && fence.token === payload) fence.liftAt = lastArrival;
    }
  }
}
