/**
 * A test WebSocket client: opens a real socket with Bearer or cookie auth,
 * validates every server frame with the protocol schema, and awaits frames
 * by predicate (each frame is handed out once, in arrival order).
 */
import WebSocket from 'ws';
import { ServerFrame, type ServerFrameOf, type ServerFrameType } from '@ecc/protocol';

export interface SocketAuth {
  token?: string;
  cookie?: string;
  origin?: string;
  /** Any other request headers (a proxy's X-Forwarded-Proto). */
  headers?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 10_000;

interface Waiter {
  match(frame: ServerFrame): boolean;
  resolve(frame: ServerFrame): void;
}

export class TestSocket {
  /** Every frame received, in order. */
  readonly frames: ServerFrame[] = [];
  private readonly taken = new Set<number>();
  private waiters: Waiter[] = [];
  private refCounter = 0;
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data, isBinary) => {
      if (isBinary) throw new Error('server sent a binary frame');
      const text = (data as Buffer).toString('utf8');
      const parsed = ServerFrame.safeParse(JSON.parse(text));
      if (!parsed.success) throw new Error(`invalid server frame: ${text.slice(0, 300)} — ${parsed.error.message}`);
      const index = this.frames.push(parsed.data) - 1;
      const waiter = this.waiters.find((w) => w.match(parsed.data));
      if (waiter) {
        this.taken.add(index);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        waiter.resolve(parsed.data);
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /**
   * Opens a socket to `url` and resolves once it is open (not yet `ready`). With `autoPong: false` the
   * server's pings are not answered unless the test does (`ws.pong`).
   */
  static open(url: string, auth: SocketAuth = {}, { autoPong = true }: { autoPong?: boolean } = {}): Promise<TestSocket> {
    const headers: Record<string, string> = { ...auth.headers };
    if (auth.token) headers.Authorization = `Bearer ${auth.token}`;
    if (auth.cookie) headers.Cookie = auth.cookie;
    if (auth.origin) headers.Origin = auth.origin;
    const ws = new WebSocket(url, { headers, autoPong });
    const socket = new TestSocket(ws);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(socket));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  /** Opens a socket and waits for its `ready` frame. */
  static async connect(url: string, auth: SocketAuth = {}): Promise<{ socket: TestSocket; ready: ServerFrameOf<'ready'> }> {
    const socket = await TestSocket.open(url, auth);
    const ready = await socket.next('ready');
    return { socket, ready };
  }

  /** The next not-yet-taken frame of `type` matching `predicate`. */
  next<T extends ServerFrameType>(type: T, predicate: (f: ServerFrameOf<T>) => boolean = () => true, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ServerFrameOf<T>> {
    const match = (f: ServerFrame): boolean => f.type === type && predicate(f as ServerFrameOf<T>);
    const index = this.frames.findIndex((f, i) => !this.taken.has(i) && match(f));
    if (index >= 0) {
      this.taken.add(index);
      return Promise.resolve(this.frames[index] as ServerFrameOf<T>);
    }
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.frames.map((f) => f.type).join(',');
        reject(new Error(`timed out waiting for a "${type}" frame (received: ${seen})`));
      }, timeoutMs);
      const waiter: Waiter = {
        match,
        resolve: (f) => {
          clearTimeout(timer);
          resolve(f as ServerFrameOf<T>);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Sends a JSON frame. */
  send(frame: Record<string, unknown>): void {
    this.ws.send(JSON.stringify(frame));
  }

  /** Sends a frame with a fresh `ref` and waits for the answer of `type` (or an error) carrying it. */
  async request<T extends ServerFrameType>(type: T, frame: Record<string, unknown>): Promise<ServerFrameOf<T> | ServerFrameOf<'error'>> {
    const ref = `r${++this.refCounter}`;
    const answer = Promise.race([
      this.next(type, (f) => 'ref' in f && f.ref === ref),
      this.next('error', (f) => f.ref === ref),
    ]);
    this.send({ ...frame, ref });
    return answer;
  }

  /** Waits for the answer and fails the test unless it is of `type`. */
  async expect<T extends ServerFrameType>(type: T, frame: Record<string, unknown>): Promise<ServerFrameOf<T>> {
    const answer = await this.request(type, frame);
    if (answer.type !== type) throw new Error(`expected ${type}, got ${JSON.stringify(answer)}`);
    return answer as ServerFrameOf<T>;
  }

  /** Waits for the error answering `frame`; returns its code. */
  async expectError(frame: Record<string, unknown>): Promise<string> {
    const answer = await this.request('error', frame);
    if (answer.type !== 'error') throw new Error(`expected an error, got ${JSON.stringify(answer)}`);
    return answer.code;
  }

  /**
   * A barrier: a ping round trip. Everything the server sent this socket
   * before handling the ping has arrived once it resolves.
   */
  async sync(): Promise<void> {
    await this.expect('pong', { type: 'ping' });
  }

  /** Frames of `type` received so far (taken or not). */
  all<T extends ServerFrameType>(type: T): ServerFrameOf<T>[] {
    return this.frames.filter((f): f is ServerFrameOf<T> => f.type === type);
  }

  close(): void {
    this.ws.close();
  }
}

/** The HTTP status of a refused upgrade (fails when the upgrade succeeds). */
export function upgradeStatus(url: string, auth: SocketAuth = {}): Promise<number> {
  return TestSocket.open(url, auth).then(
    (socket) => {
      socket.close();
      throw new Error('upgrade unexpectedly accepted');
    },
    (err: Error) => {
      const m = /upgrade refused: (\d+)/.exec(err.message);
      if (!m) throw err;
      return Number(m[1]);
    },
  );
}
