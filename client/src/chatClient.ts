/**
 * The chat connection: one WebSocket per tab, reconnecting with backoff,
 * every server frame validated, requests matched to answers by `ref`, sends
 * made idempotent by `clientId`, and every room's messages delivered to the
 * app exactly once and in seq order across disconnects (see RoomSequencer).
 */
import {
  ChatError,
  DEFAULT_LIMITS,
  type ClientFrame,
  type Message,
  type ServerFrame,
  type ServerFrameOf,
  type Room,
  type ServerFrameType,
  type User,
} from '@ecc/protocol';
import { backoffDelay } from './backoff.ts';
import type { ChatClientEvents, ChatClientOptions, ErrorEvent, HistoryQuery, ReadyEvent, SendInput } from './chatTypes.ts';
import { newClientId } from './clientId.ts';
import { Connection, type ConnectionState } from './connection.ts';
import { Emitter } from './emitter.ts';
import { isTransient } from './errors.ts';
import { oversizeError } from './frameSize.ts';
import { fillGap } from './gapResync.ts';
import { LinkLiveness } from './linkLiveness.ts';
import { RequestManager, type HistoryPage, type NewRequest, type PendingRequest } from './requests.ts';
import { RetryLines } from './retryLines.ts';
import { RoomSequencer, type SyncRequest } from './roomSequencer.ts';
import { readServerFrame } from './serverFrames.ts';
import type { WebSocketCtor } from './socket.ts';

export type * from './chatTypes.ts';

/** A held-back send refused with RATE_LIMITED is tried again this much later: a fifth of the default window. */
const DEFAULT_RATE_LIMIT_RETRY_MS = DEFAULT_LIMITS.sendWindowMs / 5;
/** Tries per held-back send refused with RATE_LIMITED: at the default pause, three of the default windows. */
const RATE_LIMITED_RETRIES = 15;

/** A send the server already refused once; after a reconnect it goes first in its room, alone. */
function isRetry(request: PendingRequest): boolean {
  return request.transientFailures > 0 || request.rateLimitedRetries > 0;
}

export class ChatClient {
  private refCounter = 0;
  private currentUser: User | null = null;
  private readonly emitter = new Emitter<ChatClientEvents>((err) => console.error('ChatClient listener failed', err));
  private readonly requests = new RequestManager();
  private readonly liveness = new LinkLiveness();
  private readonly retries = new RetryLines((send) => {
    // It may have been settled meanwhile (an ack found by its clientId).
    if (!this.requests.isInFlight(send)) return false;
    this.dispatch(send);
    return true;
  });
  /** This connection's server answers a `read` with an `unread` carrying its ref (an addition): reads are settled by ref only. */
  private unreadCarriesRef = false;
  private readonly sequencer = new RoomSequencer((message) => this.emitter.emit('message', { message }));
  private readonly connection: Connection;
  private readonly requestTimeoutMs: number;
  private readonly maxFrameBytes: number;
  private readonly maxTransientRetries: number;
  private readonly rateLimitRetryMs: number;

  constructor(private readonly options: ChatClientOptions) {
    const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!WebSocketImpl) throw new TypeError('No WebSocket implementation: pass options.WebSocket (in Node: the `ws` package)');
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes;
    this.maxTransientRetries = options.maxTransientRetries ?? 3;
    this.rateLimitRetryMs = options.rateLimitRetryMs ?? DEFAULT_RATE_LIMIT_RETRY_MS;
    this.connection = new Connection(
      {
        url: options.url,
        userId: options.userId,
        token: options.token,
        WebSocket: WebSocketImpl,
        backoff: options.backoff,
        keepAlive: options.keepAlive,
        readyTimeoutMs: this.requestTimeoutMs,
        tooManySocketsRetryMs: options.tooManySocketsRetryMs,
      },
      {
        frame: (data) => this.receive(data),
        lost: () => this.connectionLost(),
        state: (state, attempt, closeCode) =>
          this.emitter.emit('state', closeCode === undefined ? { state, attempt } : { state, attempt, closeCode }),
        terminated: (error) => this.failAll(error),
        error: (code, message) => this.reportError(code, message),
      },
    );
  }

  get state(): ConnectionState {
    return this.connection.state;
  }

  /** The user of the last `ready`, or null before the first. */
  get user(): User | null {
    return this.currentUser;
  }

  /** Replaces the Bearer token for the next connection (after a new login). */
  setToken(token: string | undefined): void {
    this.connection.setToken(token);
  }

  /** Opens the socket; idempotent. Reconnects with backoff until close() or a terminal close code. */
  connect(): void {
    this.connection.connect();
  }

  /** Closes the socket for good; pending requests reject with UNAVAILABLE. */
  close(): void {
    if (this.connection.state === 'closed') return;
    this.connection.close();
    this.failAll(new ChatError('UNAVAILABLE', 'Chat client closed'));
  }

  on<T extends keyof ChatClientEvents>(type: T, fn: (ev: ChatClientEvents[T]) => void): () => void {
    return this.emitter.on(type, fn);
  }

  /**
   * Sends a message. Offline it is queued until the next `ready`; if the
   * socket drops while it is in flight it is re-sent with the same clientId
   * (the server dedups), so the promise resolves once with the stored message.
   * Rejects (and emits `send_failed`) with the server's ChatError.
   */
  send(input: SendInput): Promise<Message> {
    const clientId = input.clientId ?? newClientId();
    const ref = this.nextRef();
    const frame: ClientFrame & { type: 'send' } = { type: 'send', ref, roomId: input.roomId, clientId, content: input.content };
    if (input.replyToId !== undefined) frame.replyToId = input.replyToId;
    if (input.attachmentId !== undefined) frame.attachmentId = input.attachmentId;
    const sent = new Promise<Message>((resolve, reject) => {
      const fail = (error: ChatError): void => {
        this.emitter.emit('send_failed', { clientId, roomId: input.roomId, error });
        reject(error);
      };
      this.submit({ kind: 'send', ref, frame, resolve, reject: fail });
    });
    // However it ends, the send behind it in its room's retry line may go.
    return sent.finally(() => this.retries.settled(input.roomId, ref));
  }

  /** Fetches a page of a room's history (ascending seq). Not fed into the live message stream. */
  history(query: HistoryQuery): Promise<HistoryPage> {
    return this.fetchHistory(query, false);
  }

  /**
   * Moves your read mark; fire-and-forget. Queued while offline (the highest
   * per room), and kept until the room's `unread` answers it, so a mark sent
   * on a socket that died is sent again after the reconnect.
   */
  read(roomId: number, seq: number): void {
    if (this.connection.state === 'closed') return;
    const mark = Math.max(seq, this.requests.unqueueRead(roomId)?.frame.seq ?? 0);
    const ref = this.nextRef();
    this.submit({
      kind: 'read',
      ref,
      frame: { type: 'read', ref, roomId, seq: mark },
      resolve: () => undefined,
      // Nobody awaits a read: its refusal is an `error` event, as an unanswerable frame's would be.
      reject: (error) => {
        if (this.connection.state !== 'closed') this.reportError(error.code, error.message);
      },
    });
  }

  /** Typing indicator; dropped while offline (a stale typing state is useless). */
  typing(roomId: number, isTyping: boolean): void {
    if (this.connection.isReady) this.transmit({ type: 'typing', roomId, isTyping });
  }

  /** Edits your message; resolves on its `message_updated`. */
  edit(messageId: number, content: string): Promise<void> {
    const ref = this.nextRef();
    return new Promise<void>((resolve, reject) => {
      this.submit({ kind: 'edit', ref, frame: { type: 'edit', ref, messageId, content }, resolve, reject });
    });
  }

  /** Deletes a message; resolves on its `message_updated`. */
  delete(messageId: number): Promise<void> {
    const ref = this.nextRef();
    return new Promise<void>((resolve, reject) => {
      this.submit({ kind: 'delete', ref, frame: { type: 'delete', ref, messageId }, resolve, reject });
    });
  }

  /** Highest seq delivered to the app for a room (0 when the room is unknown). */
  lastSeq(roomId: number): number {
    return this.sequencer.lastSeq(roomId);
  }

  // ---- connection events --------------------------------------------------

  /** The socket is gone: resyncs are abandoned, replayable requests go back to the queue. */
  private connectionLost(): void {
    this.retries.clear();
    this.sequencer.disconnected();
    for (const request of this.requests.connectionLost()) {
      request.reject(new ChatError('UNAVAILABLE', 'Connection lost'));
    }
  }

  /** Closed for good: every pending request rejected with `error`. */
  private failAll(error: ChatError): void {
    this.retries.clear();
    for (const request of this.requests.drain()) request.reject(error);
  }

  // ---- outgoing -----------------------------------------------------------

  private nextRef(): string {
    return `r${++this.refCounter}`;
  }

  private fetchHistory(query: HistoryQuery, internal: boolean): Promise<HistoryPage> {
    const ref = this.nextRef();
    const frame: ClientFrame & { type: 'history' } = { type: 'history', ref, roomId: query.roomId };
    if (query.beforeSeq !== undefined) frame.beforeSeq = query.beforeSeq;
    if (query.afterSeq !== undefined) frame.afterSeq = query.afterSeq;
    if (query.limit !== undefined) frame.limit = query.limit;
    return new Promise<HistoryPage>((resolve, reject) => {
      this.submit({ kind: 'history', ref, frame, internal, resolve, reject });
    });
  }

  private submit(request: NewRequest): void {
    if (this.connection.state === 'closed') {
      request.reject(new ChatError('UNAVAILABLE', 'Chat client closed'));
      return;
    }
    const text = JSON.stringify(request.frame);
    const tooLarge = oversizeError(text, this.maxFrameBytes);
    if (tooLarge) {
      // The server would close the socket (1009) and the replay after reconnect would do it again.
      request.reject(tooLarge);
      return;
    }
    if (request.kind === 'history' && request.internal && !this.connection.isReady) {
      // A resync fetch belongs to one connection; the resync after the next `ready` replaces it.
      request.reject(new ChatError('UNAVAILABLE', 'Offline'));
      return;
    }
    this.requests.enqueue({ ...request, text }, !this.connection.isReady);
    if (this.connection.isReady) this.flushQueue();
  }

  private flushQueue(): void {
    for (const request of this.requests.takeQueued()) {
      // A send that was waiting to retry when the socket dropped goes first in its room, alone.
      if (request.kind === 'send' && (isRetry(request) || this.retries.holds(request.frame.roomId))) {
        request.heldBack = true;
        this.requests.markInFlight(request);
        this.retries.join(request, 0);
      } else {
        this.dispatch(request);
      }
    }
  }

  /** Puts a request on the current socket and arms its timeout. */
  private dispatch(request: PendingRequest): void {
    this.requests.markInFlight(request);
    clearTimeout(request.timer);
    const sentAt = this.liveness.stamp();
    request.timer = setTimeout(() => this.unanswered(request, sentAt), this.requestTimeoutMs);
    this.connection.send(request.text ?? JSON.stringify(request.frame));
  }

  /**
   * No answer in time. On a link that died silently the socket is dropped and
   * everything in flight is replayed after the reconnect; from a slow server
   * the request fails (see LinkLiveness).
   */
  private unanswered(request: PendingRequest, sentAt: number): void {
    if (!this.requests.isInFlight(request)) return;
    if (this.liveness.judgeTimeout(sentAt) === 'dead-link') {
      this.connection.drop(4000, 'request timeout');
      return;
    }
    this.requests.settle(request.ref);
    request.reject(new ChatError('UNAVAILABLE', `No answer within ${this.requestTimeoutMs} ms`));
  }

  private transmit(frame: ClientFrame): void {
    this.connection.send(JSON.stringify(frame));
  }

  // ---- incoming -----------------------------------------------------------

  private receive(data: unknown): void {
    this.liveness.heard();
    const read = readServerFrame(data);
    if (read.ok) {
      if (read.frame) this.handle(read.frame);
      return;
    }
    const request = this.answered(this.requests.settle(read.ref));
    if (request) request.reject(new ChatError('INTERNAL', read.problem));
    else this.reportError('INTERNAL', read.problem);
  }

  /** Passes a request the server answered through, noting that the link works. */
  private answered(request: PendingRequest | undefined): PendingRequest | undefined {
    if (request) this.liveness.answered();
    return request;
  }

  private handle(frame: ServerFrame): void {
    const handler = this.handlers[frame.type] as (f: ServerFrame) => void;
    handler(frame);
  }

  private readonly handlers: { [T in ServerFrameType]: (frame: ServerFrameOf<T>) => void } = {
    ready: (frame) => this.onReady(frame),
    ack: (frame) => {
      const request = this.answered(this.requests.settle(frame.ref) ?? this.requests.settleSend(frame.clientId));
      // The ack is the sending socket's copy of its message: deliver it like a live one.
      this.offerLive(frame.message);
      if (request?.kind === 'send') request.resolve(frame.message);
      else if (request) request.reject(new ChatError('INTERNAL', 'Unexpected ack for a non-send request'));
    },
    message: (frame) => this.offerLive(frame.message),
    message_updated: (frame) => {
      this.sequencer.noteUpdate(frame.message);
      // The editing socket's copy may carry the ref (an addition); otherwise match by message id.
      const byRef = this.requests.settle(frame.ref);
      const request = this.answered(byRef ?? this.requests.settleUpdate(frame.message.id));
      this.emitter.emit('message_updated', { message: frame.message });
      if (request && (request.kind === 'edit' || request.kind === 'delete')) request.resolve();
    },
    history: (frame) => {
      const request = this.answered(this.requests.settle(frame.ref));
      if (request?.kind === 'history') request.resolve({ messages: frame.messages, hasMore: frame.hasMore });
      else if (request) request.reject(new ChatError('INTERNAL', 'Unexpected history answer'));
      // A history answer whose request already failed carries nothing the app still waits for.
    },
    unread: (frame) => {
      // Every `read` is answered with its room's `unread`, carrying its ref (a server without that
      // addition answers with any `unread` of the room). Once a server is seen answering by ref, a
      // count without one (another tab's read, a new message) answers no read, and an answer whose
      // read was settled already never settles another read of the room.
      if (frame.ref !== undefined) this.unreadCarriesRef = true;
      const read = this.answered(
        frame.ref !== undefined ? this.requests.settle(frame.ref) : this.unreadCarriesRef ? undefined : this.requests.settleRead(frame.roomId),
      );
      if (read?.kind === 'read') read.resolve();
      this.emitter.emit('unread', frame);
    },
    receipt: (frame) => this.emitter.emit('receipt', frame),
    typing: (frame) => this.emitter.emit('typing', frame),
    presence: (frame) => this.emitter.emit('presence', frame),
    room: (frame) => {
      this.emitter.emit('room', frame);
      this.startSync(this.sequencer.observeRoom(frame.room.id, frame.room.lastSeq, this.startOf(frame.room)));
    },
    error: (frame) => this.onError(frame),
    pong: () => this.connection.pong(),
    open_job: (frame) => this.emitter.emit('open_job', frame),
  };

  private onReady(frame: ReadyEvent): void {
    const generation = this.connection.generation;
    this.currentUser = frame.user;
    // Learnt again per connection: a rolling deploy can bring the client to an older server.
    this.unreadCarriesRef = false;
    const syncs = frame.rooms.map((room) => this.sequencer.observeRoom(room.id, room.lastSeq, this.startOf(room)));
    this.connection.markReady();
    this.emitter.emit('ready', frame);
    if (generation !== this.connection.generation) return; // a listener closed or dropped the connection
    this.flushQueue();
    for (const sync of syncs) this.startSync(sync);
  }

  /** Where the stream of a room seen for the first time starts: its lastSeq, or with `deliverUnread` the user's read mark. */
  private startOf(room: Room): number {
    if (!this.options.deliverUnread) return room.lastSeq;
    const me = room.participants.find((p) => p.id === this.currentUser?.id);
    return me ? me.lastReadSeq : room.lastSeq;
  }

  private onError(frame: ErrorEvent): void {
    const request = this.answered(this.requests.settle(frame.ref));
    if (!request) {
      this.emitter.emit('error', frame);
      return;
    }
    const error = new ChatError(frame.code, frame.message);
    if (request.kind === 'send' && isTransient(frame.code) && request.transientFailures < this.maxTransientRetries) {
      // Nothing was stored (no ack): retry with the same clientId after a short pause, in the room's order.
      request.transientFailures++;
      this.requests.markInFlight(request);
      this.retries.join(request, backoffDelay(request.transientFailures, this.options.backoff));
      return;
    }
    if (request.kind === 'send' && frame.code === 'RATE_LIMITED' && request.heldBack && request.rateLimitedRetries < RATE_LIMITED_RETRIES) {
      // The burst was ours (a queue let go at once after a reconnect), not the user's: nothing was stored,
      // so wait for the server's window to move on and send it again, in the room's order.
      request.rateLimitedRetries++;
      this.requests.markInFlight(request);
      this.retries.join(request, this.rateLimitRetryMs);
      return;
    }
    request.reject(error);
  }

  private offerLive(message: Message): void {
    this.startSync(this.sequencer.offerLive(message));
  }

  /** Fills a room's gap page by page; live messages of the room stay buffered meanwhile. */
  private startSync(request: SyncRequest): void {
    if (!request) return;
    if (this.options.resync === false) {
      this.sequencer.skipGap(request.roomId);
      return;
    }
    void fillGap(request, {
      sequencer: this.sequencer,
      fetchPage: (query) => this.fetchHistory(query, true),
      generation: () => this.connection.generation,
      maxTransientRetries: this.maxTransientRetries,
      backoff: this.options.backoff,
      reportError: (code, message) => this.reportError(code, message),
    });
  }

  private reportError(code: ErrorEvent['code'], message: string): void {
    this.emitter.emit('error', { type: 'error', code, message });
  }
}
