/**
 * Requests waiting for an answer, tRPC style: *queued* ones were never put on
 * the current socket (offline, or before `ready`) and go out after the next
 * `ready`; *in-flight* ones were sent on the current socket (or wait there for
 * a transient-error retry, or behind one: see RetryLines). When the socket drops, in-flight requests that may
 * be repeated move back to the front of the queue, in creation order.
 *
 * A `read` is a request too: the contract answers it with an `unread` for its
 * room (no ref), so a read mark lost with a dead socket is sent again.
 */
import type { ChatError, ClientFrameOf, Message } from '@ecc/protocol';

export interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
}

interface Base {
  /** Creation order; keeps replays in the order the app asked. */
  readonly seq: number;
  readonly ref: string;
  readonly reject: (err: ChatError) => void;
  /** Timer of the in-flight timeout or of a pending transient retry. */
  timer?: ReturnType<typeof setTimeout>;
  /** How many times the server answered with a transient error. */
  transientFailures: number;
  /** How many times the server refused it with RATE_LIMITED while the client held it back (see `heldBack`). */
  rateLimitedRetries: number;
  /**
   * The client held it back: written offline, replayed after a reconnect, or
   * waiting behind a retry. It then goes out in a burst the user never made,
   * so a RATE_LIMITED answer means "later", not "you wrote too fast".
   */
  heldBack: boolean;
  /** The frame serialised once (the same bytes on every replay). */
  text?: string;
  /** Put on a socket at least once: from then on the server may hold it, whatever comes of that socket. */
  written: boolean;
  /**
   * An edit after which a later edit or delete of the same message was asked: refused RATE_LIMITED, it is
   * not tried again, which could make it after the later one (the message would show the older text).
   */
  superseded: boolean;
  /**
   * The RATE_LIMITED refusal it waits out off the socket (Outbox.later), until it goes out again: a change of its
   * message without a ref is not its answer meanwhile, and superseded it fails with this refusal (Outbox.dispatch).
   */
  pausedBy?: ChatError;
}

export type PendingRequest =
  | (Base & { kind: 'send'; frame: ClientFrameOf<'send'>; resolve: (message: Message) => void })
  | (Base & {
      kind: 'history';
      frame: ClientFrameOf<'history'>;
      /** Internal resync fetches are not replayed: the resync after the next `ready` supersedes them. */
      internal: boolean;
      resolve: (page: HistoryPage) => void;
    })
  | (Base & { kind: 'edit'; frame: ClientFrameOf<'edit'>; resolve: () => void })
  | (Base & { kind: 'delete'; frame: ClientFrameOf<'delete'>; resolve: () => void })
  | (Base & { kind: 'read'; frame: ClientFrameOf<'read'>; resolve: () => void });

/** A new request, before the manager gives it its order number. */
export type NewRequest = PendingRequest extends infer R
  ? R extends PendingRequest
    ? Omit<R, 'seq' | 'transientFailures' | 'rateLimitedRetries' | 'heldBack' | 'timer' | 'written' | 'superseded' | 'pausedBy'>
    : never
  : never;

/**
 * Matched by message id only, another tab's or device's change of the message would pass for the answer
 * (before the connection has seen a ref, e.g. the replays right after a reconnect): only a copy the
 * request would have made counts. A delete leaves `deletedAt` set; an edit, the message not deleted
 * and holding the edit's content, as the server stores it (as given: edit.ts).
 */
function answersChange(request: PendingRequest & { kind: 'edit' | 'delete' }, message: Message): boolean {
  if (request.frame.messageId !== message.id) return false;
  if (request.kind === 'delete') return message.deletedAt !== null;
  return message.deletedAt === null && message.content === request.frame.content;
}

export class RequestManager {
  private order = 0;
  private queued: PendingRequest[] = [];
  private readonly inFlight = new Map<string, PendingRequest>();

  /** Registers a request as queued and returns it; `heldBack` when it waits for a connection. */
  enqueue(request: NewRequest, heldBack: boolean): PendingRequest {
    const pending = { ...request, seq: ++this.order, transientFailures: 0, rateLimitedRetries: 0, heldBack, written: false, superseded: false } as PendingRequest;
    if (pending.kind === 'edit' || pending.kind === 'delete') {
      const messageId = pending.frame.messageId;
      for (const r of [...this.queued, ...this.inFlight.values()]) if (r.kind === 'edit' && r.frame.messageId === messageId) r.superseded = true;
    }
    this.queued.push(pending);
    return pending;
  }

  /** Removes and returns every queued request, oldest first (the caller sends them and marks them in flight). */
  takeQueued(): PendingRequest[] {
    const taken = this.queued;
    this.queued = [];
    return taken;
  }

  markInFlight(request: PendingRequest): void {
    this.inFlight.set(request.ref, request);
  }

  isInFlight(request: PendingRequest): boolean {
    return this.inFlight.get(request.ref) === request;
  }

  /** Removes and returns the in-flight request with this ref. */
  settle(ref: string | undefined): PendingRequest | undefined {
    if (ref === undefined) return undefined;
    const request = this.inFlight.get(ref);
    if (request) this.remove(request);
    return request;
  }

  /** Removes and returns the oldest in-flight send with this clientId (for an `ack` without ref). */
  settleSend(clientId: string): PendingRequest | undefined {
    return this.settleFirst((r) => r.kind === 'send' && r.frame.clientId === clientId);
  }

  /**
   * Removes and returns the oldest edit or delete on the socket that `message` (a `message_updated` without a
   * ref) could answer: of that message, and leaving it as the request would (see answersChange).
   */
  settleUpdate(message: Message): PendingRequest | undefined {
    return this.settleFirst((r) => (r.kind === 'edit' || r.kind === 'delete') && !r.pausedBy && answersChange(r, message));
  }

  /** Removes and returns the oldest in-flight read of a room (answered by the room's `unread`). */
  settleRead(roomId: number): PendingRequest | undefined {
    return this.settleFirst((r) => r.kind === 'read' && r.frame.roomId === roomId);
  }

  /** Removes and returns the queued (not yet sent) read of a room, so that only the highest mark goes out. */
  unqueueRead(roomId: number): (PendingRequest & { kind: 'read' }) | undefined {
    const index = this.queued.findIndex((r) => r.kind === 'read' && r.frame.roomId === roomId);
    if (index < 0) return undefined;
    const [read] = this.queued.splice(index, 1);
    return read as PendingRequest & { kind: 'read' };
  }

  /**
   * Removes and returns the send of `clientId` if it never went on a socket: queued, or waiting in
   * a retry line behind another send (the caller rejects it, which takes it out of the line). Nothing
   * of it can have reached the server. One written once (a replay queued after a drop) is left, unless
   * `evenIfWritten` and it is queued (off the socket, for the next connection): it may be stored.
   */
  withdrawSend(clientId: string, evenIfWritten = false): (PendingRequest & { kind: 'send' }) | undefined {
    const unwritten = (r: PendingRequest) => r.kind === 'send' && r.frame.clientId === clientId && !r.written;
    const index = this.queued.findIndex((r) => unwritten(r) || (evenIfWritten && r.kind === 'send' && r.frame.clientId === clientId));
    if (index >= 0) return this.queued.splice(index, 1)[0] as PendingRequest & { kind: 'send' };
    return this.settleFirst(unwritten) as (PendingRequest & { kind: 'send' }) | undefined;
  }

  /**
   * The socket dropped. Replayable in-flight requests go back to the front of
   * the queue; the rest are removed and returned for the caller to reject.
   */
  connectionLost(): PendingRequest[] {
    const replay: PendingRequest[] = [];
    const dropped: PendingRequest[] = [];
    for (const request of this.inFlight.values()) {
      clearTimeout(request.timer);
      request.timer = undefined;
      if (request.kind === 'history' && request.internal) {
        dropped.push(request);
      } else {
        request.heldBack = true;
        replay.push(request);
      }
    }
    this.inFlight.clear();
    this.queued = [...replay, ...this.queued].sort((a, b) => a.seq - b.seq);
    return dropped;
  }

  /** Removes and returns everything (the client is closing). */
  drain(): PendingRequest[] {
    const all = [...this.inFlight.values(), ...this.queued].sort((a, b) => a.seq - b.seq);
    for (const request of all) clearTimeout(request.timer);
    this.inFlight.clear();
    this.queued = [];
    return all;
  }

  get size(): { queued: number; inFlight: number } {
    return { queued: this.queued.length, inFlight: this.inFlight.size };
  }

  private remove(request: PendingRequest): void {
    clearTimeout(request.timer);
    request.timer = undefined;
    this.inFlight.delete(request.ref);
  }

  private settleFirst(match: (r: PendingRequest) => boolean): PendingRequest | undefined {
    let found: PendingRequest | undefined;
    for (const request of this.inFlight.values()) {
      if (match(request) && (!found || request.seq < found.seq)) found = request;
    }
    if (found) this.remove(found);
    return found;
  }
}
