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
import type { ChatClientEvents, ChatClientOptions, ErrorEvent, HistoryQuery, ReadyEvent, SendInput, WithdrawOptions } from './chatTypes.ts';
import { newClientId } from './clientId.ts';
import { Connection, type ConnectionState } from './connection.ts';
import { Emitter } from './emitter.ts';
import { isTransient, sendRefused } from './errors.ts';
import { fillGap } from './gapResync.ts';
import { Outbox } from './outbox.ts';
import type { HistoryPage } from './requests.ts';
import { RoomSequencer, type SyncRequest } from './roomSequencer.ts';
import { readServerFrame } from './serverFrames.ts';
import type { WebSocketCtor } from './socket.ts';

export type * from './chatTypes.ts';

/** A held-back send refused with RATE_LIMITED is tried again this much later: a fifth of the default window. */
const DEFAULT_RATE_LIMIT_RETRY_MS = DEFAULT_LIMITS.sendWindowMs / 5;
/** Tries per held-back send refused with RATE_LIMITED: at the default pause, three of the default windows. */
const RATE_LIMITED_RETRIES = 15;

export class ChatClient {
  private currentUser: User | null = null;
  private readonly emitter = new Emitter<ChatClientEvents>((err) => console.error('ChatClient listener failed', err));
  /** This connection's server answers a `read` with an `unread` carrying its ref (an addition): reads are settled by ref only. */
  private unreadCarriesRef = false;
  /** This connection's server answers an `edit`/`delete` with a `message_updated` carrying its ref (an addition): they are settled by ref only. */
  private updateCarriesRef = false;
  private readonly sequencer = new RoomSequencer((message) => this.emitter.emit('message', { message }));
  private readonly connection: Connection;
  private readonly outbox: Outbox;
  private readonly maxTransientRetries: number;
  private readonly rateLimitRetryMs: number;
  /** The errors the server refused sends with, storing nothing (sendRefused: not a transient error, a timeout, the client closing). */
  private readonly refusals = new WeakSet<ChatError>();
  /** The errors the server answered sends with, refusals or not (not a timeout, the client closing, a withdrawal). */
  private readonly answers = new WeakSet<ChatError>();

  constructor(private readonly options: ChatClientOptions) {
    const WebSocketImpl = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    if (!WebSocketImpl) throw new TypeError('No WebSocket implementation: pass options.WebSocket (in Node: the `ws` package)');
    const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
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
        readyTimeoutMs: requestTimeoutMs,
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
    this.outbox = new Outbox(this.connection, requestTimeoutMs, options.maxFrameBytes ?? DEFAULT_LIMITS.maxFrameBytes, (request) => {
      if (request.kind === 'send') this.emitter.emit('send_written', { clientId: request.frame.clientId, roomId: request.frame.roomId });
    });
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
    const ref = this.outbox.nextRef();
    const frame: ClientFrame & { type: 'send' } = { type: 'send', ref, roomId: input.roomId, clientId, content: input.content };
    if (input.replyToId !== undefined) frame.replyToId = input.replyToId;
    if (input.attachmentId !== undefined) frame.attachmentId = input.attachmentId;
    const sent = new Promise<Message>((resolve, reject) => {
      const fail = (error: ChatError): void => {
        this.emitter.emit('send_failed', { clientId, roomId: input.roomId, error, refused: this.refusals.has(error), answered: this.answers.has(error) });
        reject(error);
      };
      this.outbox.submit({ kind: 'send', ref, frame, resolve, reject: fail });
    });
    // However it ends, the send behind it in its room's retry line may go.
    return sent.finally(() => this.outbox.retries.settled(input.roomId, ref));
  }

  /**
   * Takes back a send that never went on a socket (written offline, still queued): it will not go out, and
   * its promise rejects (UNAVAILABLE). False when it was written once (it may be stored; a replay after a
   * drop goes with the same clientId) or is not held any more. With `evenIfWritten`, one written on a
   * socket that dropped before its answer is taken back too while it waits for the next connection: it is
   * not sent again, and a copy the server stored comes as any message (the resync after the reconnect;
   * with `resync: false` it is skipped as any gap is, and comes only with the room's history).
   * Never one on the current socket: its answer is on its way. Decided here alone, so a send is withdrawn
   * or goes, never both, however close to the reconnect.
   */
  withdraw(clientId: string, options: WithdrawOptions = {}): boolean {
    const send = this.outbox.requests.withdrawSend(clientId, options.evenIfWritten === true);
    send?.reject(new ChatError('UNAVAILABLE', send.written ? 'Withdrawn before it was sent again' : 'Withdrawn before it was sent'));
    return send !== undefined;
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
    const mark = Math.max(seq, this.outbox.requests.unqueueRead(roomId)?.frame.seq ?? 0);
    const ref = this.outbox.nextRef();
    this.outbox.submit({
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
    const ref = this.outbox.nextRef();
    return new Promise<void>((resolve, reject) => {
      this.outbox.submit({ kind: 'edit', ref, frame: { type: 'edit', ref, messageId, content }, resolve, reject });
    });
  }

  /** Deletes a message; resolves on its `message_updated`. */
  delete(messageId: number): Promise<void> {
    const ref = this.outbox.nextRef();
    return new Promise<void>((resolve, reject) => {
      this.outbox.submit({ kind: 'delete', ref, frame: { type: 'delete', ref, messageId }, resolve, reject });
    });
  }

  /** Highest seq delivered to the app for a room (0 when the room is unknown). */
  lastSeq(roomId: number): number {
    return this.sequencer.lastSeq(roomId);
  }

  // ---- connection events --------------------------------------------------

  /** The socket is gone: resyncs are abandoned, replayable requests go back to the queue. */
  private connectionLost(): void {
    this.outbox.retries.clear();
    this.sequencer.disconnected();
    for (const request of this.outbox.requests.connectionLost()) {
      request.reject(new ChatError('UNAVAILABLE', 'Connection lost'));
    }
  }

  /** Closed for good: every pending request rejected with `error`. */
  private failAll(error: ChatError): void {
    this.outbox.retries.clear();
    for (const request of this.outbox.requests.drain()) request.reject(error);
  }

  // ---- outgoing -----------------------------------------------------------

  private fetchHistory(query: HistoryQuery, internal: boolean): Promise<HistoryPage> {
    const ref = this.outbox.nextRef();
    const frame: ClientFrame & { type: 'history' } = { type: 'history', ref, roomId: query.roomId };
    if (query.beforeSeq !== undefined) frame.beforeSeq = query.beforeSeq;
    if (query.afterSeq !== undefined) frame.afterSeq = query.afterSeq;
    if (query.limit !== undefined) frame.limit = query.limit;
    return new Promise<HistoryPage>((resolve, reject) => {
      this.outbox.submit({ kind: 'history', ref, frame, internal, resolve, reject });
    });
  }

  private transmit(frame: ClientFrame): void {
    this.connection.send(JSON.stringify(frame));
  }

  // ---- incoming -----------------------------------------------------------

  private receive(data: unknown): void {
    this.outbox.liveness.heard();
    const read = readServerFrame(data);
    if (read.ok) {
      if (read.frame) this.handle(read.frame);
      return;
    }
    const request = this.outbox.answered(this.outbox.requests.settle(read.ref));
    if (request) request.reject(new ChatError('INTERNAL', read.problem));
    else this.reportError('INTERNAL', read.problem);
  }

  private handle(frame: ServerFrame): void {
    const handler = this.handlers[frame.type] as (f: ServerFrame) => void;
    handler(frame);
  }

  private readonly handlers: { [T in ServerFrameType]: (frame: ServerFrameOf<T>) => void } = {
    ready: (frame) => this.onReady(frame),
    ack: (frame) => {
      const request = this.outbox.answered(this.outbox.requests.settle(frame.ref) ?? this.outbox.requests.settleSend(frame.clientId));
      // The ack is the sending socket's copy of its message: deliver it like a live one.
      this.offerLive(frame.message);
      if (request?.kind === 'send') request.resolve(frame.message);
      else if (request) request.reject(new ChatError('INTERNAL', 'Unexpected ack for a non-send request'));
    },
    message: (frame) => this.offerLive(frame.message),
    message_updated: (frame) => {
      this.sequencer.noteUpdate(frame.message);
      // The editing socket's copy carries the ref (an addition); a server without it is matched by message id,
      // by a copy the change would have made only (until a ref is seen, another tab's change would pass too).
      // Once a server is seen answering by ref, a change without one (another tab's or device's) answers no
      // edit or delete, and an answer whose request was settled already (timed out) never settles another.
      if (frame.ref !== undefined) this.updateCarriesRef = true;
      const request = this.outbox.answered(
        frame.ref !== undefined ? this.outbox.requests.settle(frame.ref) : this.updateCarriesRef ? undefined : this.outbox.requests.settleUpdate(frame.message),
      );
      this.emitter.emit('message_updated', { message: frame.message });
      if (request && (request.kind === 'edit' || request.kind === 'delete')) request.resolve();
    },
    history: (frame) => {
      const request = this.outbox.answered(this.outbox.requests.settle(frame.ref));
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
      const read = this.outbox.answered(
        frame.ref !== undefined ? this.outbox.requests.settle(frame.ref) : this.unreadCarriesRef ? undefined : this.outbox.requests.settleRead(frame.roomId),
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
    job_changed: (frame) => this.emitter.emit('job_changed', frame),
  };

  private onReady(frame: ReadyEvent): void {
    const generation = this.connection.generation;
    this.currentUser = frame.user;
    // Learnt again per connection: a rolling deploy can bring the client to an older server.
    this.unreadCarriesRef = false;
    this.updateCarriesRef = false;
    const syncs = frame.rooms.map((room) => this.sequencer.observeRoom(room.id, room.lastSeq, this.startOf(room)));
    this.connection.markReady();
    this.emitter.emit('ready', frame);
    if (generation !== this.connection.generation) return; // a listener closed or dropped the connection
    this.outbox.flushQueue();
    for (const sync of syncs) this.startSync(sync);
  }

  /** Where the stream of a room seen for the first time starts: its lastSeq, or with `deliverUnread` the user's read mark. */
  private startOf(room: Room): number {
    if (!this.options.deliverUnread) return room.lastSeq;
    const me = room.participants.find((p) => p.id === this.currentUser?.id);
    return me ? me.lastReadSeq : room.lastSeq;
  }

  private onError(frame: ErrorEvent): void {
    const request = this.outbox.answered(this.outbox.requests.settle(frame.ref));
    if (!request) {
      this.emitter.emit('error', frame);
      return;
    }
    const error = new ChatError(frame.code, frame.message);
    if (request.kind === 'send' && isTransient(frame.code) && request.transientFailures < this.maxTransientRetries) {
      // Nothing was stored (no ack): retry with the same clientId after a short pause, in the room's order.
      request.transientFailures++;
      this.outbox.requests.markInFlight(request);
      this.outbox.retries.join(request, backoffDelay(request.transientFailures, this.options.backoff));
      return;
    }
    if (request.kind === 'send' && frame.code === 'RATE_LIMITED' && request.heldBack && request.rateLimitedRetries < RATE_LIMITED_RETRIES) {
      // The burst was ours (a queue let go at once after a reconnect), not the user's: nothing was stored,
      // so wait for the server's window to move on and send it again, in the room's order.
      request.rateLimitedRetries++;
      this.outbox.requests.markInFlight(request);
      this.outbox.retries.join(request, this.rateLimitRetryMs);
      return;
    }
    if ((request.kind === 'edit' || request.kind === 'delete') && frame.code === 'RATE_LIMITED' && request.heldBack && !request.superseded && request.rateLimitedRetries < RATE_LIMITED_RETRIES) {
      // The same for an edit or delete: edits and deletions made offline, or saved over a reload, all go at once.
      request.rateLimitedRetries++;
      this.outbox.later(request, this.rateLimitRetryMs, error);
      return;
    }
    if (request.kind === 'send') this.answers.add(error);
    if (request.kind === 'send' && sendRefused(frame.code)) this.refusals.add(error);
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
