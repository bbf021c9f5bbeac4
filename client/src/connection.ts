/**
 * The socket lifecycle under ChatClient: open, keep-alive, wait for `ready`,
 * reconnect with backoff (after 4429, longer waits: 5 s growing to 30 s), and stop for good on a terminal close code. It
 * knows nothing of frames beyond sending text; the owner reacts to hooks.
 */
import { ChatError, CloseCode, TERMINAL_CLOSE_CODES, TOO_MANY_SOCKETS_FIRST_RETRY_MS, TOO_MANY_SOCKETS_RETRY_MS, type ErrorCode } from '@ecc/protocol';
import { backoffDelay, type BackoffOptions } from './backoff.ts';
import { KeepAlive, type KeepAliveOptions } from './keepAlive.ts';
import { sessionEnded } from './sessionProbe.ts';
import { SOCKET_OPEN, socketUrl, type WebSocketCtor, type WebSocketLike } from './socket.ts';

export type ConnectionState = 'idle' | 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionOptions {
  url: string;
  userId: number;
  token?: string;
  WebSocket: WebSocketCtor;
  backoff?: BackoffOptions;
  keepAlive?: KeepAliveOptions;
  /** How long a new socket may take to send `ready`, its upgrade included. */
  readyTimeoutMs: number;
  /** Longest wait before trying again after 4429 (too many sockets); default TOO_MANY_SOCKETS_RETRY_MS. */
  tooManySocketsRetryMs?: number;
}

export interface ConnectionHooks {
  /** A text (or other) frame from the current socket. */
  frame(data: unknown): void;
  /** The current socket is gone; called before any reconnect or terminal state. */
  lost(): void;
  state(state: ConnectionState, attempt: number, closeCode?: number): void;
  /** The connection stopped for good on its own (terminal close code, refused upgrade). */
  terminated(error: ChatError): void;
  error(code: ErrorCode, message: string): void;
}

export class Connection {
  private currentState: ConnectionState = 'idle';
  private socket: WebSocketLike | null = null;
  /** Bumped per socket, so the handlers of an old socket become no-ops. */
  private epoch = 0;
  private ready = false;
  private attempt = 0;
  /** 4429 closes since the last `ready`: each waits longer before the next try. */
  private tooManyRefusals = 0;
  private token: string | undefined;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private readyTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly keepAlive: KeepAlive;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly hooks: ConnectionHooks,
  ) {
    this.token = options.token;
    this.keepAlive = new KeepAlive(
      options.keepAlive ?? {},
      () => this.send(JSON.stringify({ type: 'ping' })),
      () => this.drop(4000, 'keep-alive timeout'),
    );
  }

  get state(): ConnectionState {
    return this.currentState;
  }

  /** True between the current socket's `ready` and its loss. */
  get isReady(): boolean {
    return this.ready;
  }

  /** Identifies the current socket; async work started on one socket checks it before acting. */
  get generation(): number {
    return this.epoch;
  }

  setToken(token: string | undefined): void {
    this.token = token;
  }

  connect(): void {
    if (this.currentState !== 'idle' && this.currentState !== 'closed') return;
    this.watchNetwork(true);
    this.attempt = 0;
    this.tooManyRefusals = 0;
    this.setState('connecting');
    this.open();
  }

  /** Closes for good at the owner's request. */
  close(): void {
    if (this.currentState === 'closed') return;
    this.drop(1000, 'client closed', false);
    this.stop(1000);
  }

  /** The server's `ready` arrived: the connection is usable and the backoff starts over. */
  markReady(): void {
    clearTimeout(this.readyTimer);
    this.ready = true;
    this.setState('open');
    this.attempt = 0;
    this.tooManyRefusals = 0;
  }

  /** Proof of life from the server. */
  pong(): void {
    this.keepAlive.pong();
  }

  /** Sends a text frame if the socket is open; false when it could not. */
  send(text: string): boolean {
    const socket = this.socket;
    if (!socket || socket.readyState !== SOCKET_OPEN) return false;
    try {
      socket.send(text);
      return true;
    } catch (err) {
      this.hooks.error('UNAVAILABLE', `Socket send failed: ${describe(err)}`);
      this.drop(4000, 'send failed');
      return false;
    }
  }

  /** Closes the current socket at once and, unless told otherwise, reconnects. */
  drop(code: number, reason: string, reconnect = true): void {
    const socket = this.socket;
    if (!socket) return;
    try {
      if (socket.terminate) socket.terminate();
      else socket.close(code, reason);
    } catch (err) {
      this.hooks.error('INTERNAL', `Closing the socket failed: ${describe(err)}`);
    }
    this.gone();
    if (reconnect) this.scheduleReconnect(code);
  }

  private open(): void {
    const epoch = ++this.epoch;
    const url = socketUrl(this.options.url, this.options.userId);
    const Ctor = this.options.WebSocket;
    let socket: WebSocketLike;
    // A browser WebSocket cannot carry headers (it sends the session cookie); `ws` takes them as options.
    const browserSocket = Ctor === (globalThis as { WebSocket?: WebSocketCtor }).WebSocket;
    try {
      socket =
        this.token && !browserSocket
          ? new Ctor(url, { headers: { Authorization: `Bearer ${this.token}` } })
          : new Ctor(url);
    } catch (err) {
      this.hooks.error('UNAVAILABLE', `Cannot open the socket: ${describe(err)}`);
      this.scheduleReconnect();
      return;
    }
    this.socket = socket;
    // `ready` is the server's first frame; a socket that never sends it is as good as dead. Timed from
    // here, not from `open`: an upgrade nobody answers (a wedged proxy, a link that died mid-handshake)
    // would otherwise stay connecting for ever, the client never trying again.
    clearTimeout(this.readyTimer);
    this.readyTimer = setTimeout(() => this.drop(4000, 'no ready'), this.options.readyTimeoutMs);
    let refusedStatus: number | undefined;
    let opened = false;
    socket.onopen = () => {
      if (epoch !== this.epoch) return;
      opened = true;
      this.keepAlive.start();
    };
    socket.onmessage = (ev) => {
      if (epoch === this.epoch) this.hooks.frame(ev.data);
    };
    socket.onerror = (ev) => {
      // `ws` in Node reports a refused upgrade as "Unexpected server response: 401"; browsers say nothing.
      const status = /Unexpected server response: (\d{3})/.exec(describe(ev))?.[1];
      if (status) refusedStatus = Number(status);
    };
    socket.onclose = (ev) => {
      if (epoch !== this.epoch) return;
      this.gone();
      if (refusedStatus === 401 || refusedStatus === 403) {
        const code = refusedStatus === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN';
        this.hooks.error(code, `Socket upgrade refused with HTTP ${refusedStatus}`);
        this.terminate(new ChatError(code, 'The server refused the socket'), ev.code);
      } else if (TERMINAL_CLOSE_CODES.has(ev.code)) {
        this.terminate(new ChatError('UNAUTHORIZED', 'Session ended'), ev.code);
      } else if (ev.code === CloseCode.TOO_MANY_SOCKETS) {
        // Not for good: the user may close another tab, and a crashed node's sockets stop counting.
        this.tooManyRefusals++;
        this.scheduleReconnect(ev.code, this.tooManySocketsDelay());
      } else {
        this.scheduleReconnect(ev.code);
        // A browser hides the upgrade's status: ask whether it was our session the server refused.
        if (browserSocket && !opened) this.checkSession(ev.code);
      }
    };
  }

  /** 5 s, 10, 20, then 30 s (or the configured longest) between tries while the user has too many sockets. */
  private tooManySocketsDelay(): number {
    const maxMs = this.options.tooManySocketsRetryMs ?? TOO_MANY_SOCKETS_RETRY_MS;
    return backoffDelay(this.tooManyRefusals, { initialMs: Math.min(TOO_MANY_SOCKETS_FIRST_RETRY_MS, maxMs), maxMs, factor: 2, jitter: 0.2 });
  }

  /** Stops for good, as for a refused upgrade, when the server no longer takes the session. */
  private checkSession(closeCode: number): void {
    void sessionEnded(this.options.url).then((ended) => {
      // A socket that got `ready` meanwhile proves the session (the answer was about an older one).
      if (!ended || this.currentState !== 'reconnecting' || this.ready) return;
      if (this.socket) this.drop(closeCode, 'session ended', false);
      this.hooks.error('UNAUTHORIZED', 'Socket upgrade refused: the session has ended');
      this.terminate(new ChatError('UNAUTHORIZED', 'The server refused the socket'), closeCode);
    });
  }

  /** Clean-up when a socket is gone, whatever the cause. */
  private gone(): void {
    // Invalidates the old socket's handlers and the async work started on it.
    this.epoch++;
    this.socket = null;
    this.ready = false;
    this.keepAlive.stop();
    clearTimeout(this.readyTimer);
    this.hooks.lost();
  }

  private scheduleReconnect(closeCode?: number, delayMs?: number): void {
    if (this.currentState === 'closed') return;
    this.attempt++;
    this.setState('reconnecting', closeCode);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (this.currentState === 'reconnecting') this.open();
    }, delayMs ?? backoffDelay(this.attempt, this.options.backoff));
  }

  private terminate(error: ChatError, closeCode: number): void {
    this.stop(closeCode);
    this.hooks.terminated(error);
  }

  private stop(closeCode: number): void {
    this.watchNetwork(false);
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.setState('closed', closeCode);
  }

  /**
   * Browsers only: going offline almost always kills the socket silently, so drop
   * it at once (sends queue instead of vanishing); coming back online skips the
   * rest of the backoff.
   */
  private watchNetwork(on: boolean): void {
    // Typed here rather than through the DOM library, which a Node program need not load.
    type Listen = (type: string, listener: () => void) => void;
    const target = globalThis as { addEventListener?: Listen; removeEventListener?: Listen };
    if (typeof target.addEventListener !== 'function' || typeof target.removeEventListener !== 'function') return;
    const method = on ? 'addEventListener' : 'removeEventListener';
    target[method]?.('online', this.onOnline);
    target[method]?.('offline', this.onOffline);
  }

  private readonly onOnline = (): void => {
    if (this.currentState !== 'reconnecting' || this.reconnectTimer === undefined) return;
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.open();
  };

  private readonly onOffline = (): void => {
    if (this.socket) this.drop(4000, 'network offline');
  };

  private setState(state: ConnectionState, closeCode?: number): void {
    this.currentState = state;
    this.hooks.state(state, this.attempt, closeCode);
  }
}

export function describe(value: unknown): string {
  if (value instanceof Error) return value.message;
  if (typeof value === 'object' && value !== null && 'message' in value && typeof value.message === 'string') {
    return value.message;
  }
  return String(value);
}
