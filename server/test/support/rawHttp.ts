/** Raw TCP clients for tests of what a client can hold of the server's connections. */
import net from 'node:net';
import type { TestServer } from '../../src/testing.ts';

export interface RawClient {
  socket: net.Socket;
  /** Everything the server wrote so far (latin1). */
  received(): string;
  /** Resolves once the server has written something matching `pattern`. */
  answered(pattern: RegExp): Promise<string>;
  /** Resolves once the connection is closed (by either end). */
  closed: Promise<void>;
}

/**
 * A connection to the test server. `allowHalfOpen` keeps the client's side open after the
 * server's FIN, as a client that never closes would; `localAddress` picks the client address.
 */
export function rawConnect(server: TestServer, options: { allowHalfOpen?: boolean; localAddress?: string } = {}): Promise<RawClient> {
  const socket = net.connect({ port: server.port, host: '127.0.0.1', ...options });
  const chunks: Buffer[] = [];
  const listeners = new Set<() => void>();
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    for (const listener of listeners) listener();
  });
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  const received = () => Buffer.concat(chunks).toString('latin1');
  const answered = (pattern: RegExp) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(received())) return;
        listeners.delete(check);
        resolve(received());
      };
      listeners.add(check);
      void closed.then(() => (pattern.test(received()) ? resolve(received()) : reject(new Error(`closed without ${pattern}: ${JSON.stringify(received())}`))));
      check();
    });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve({ socket, received, answered, closed }));
    socket.once('error', reject);
  });
}

/** How many connections the server holds open now. */
export function openConnections(server: TestServer): Promise<number> {
  return new Promise((resolve, reject) => server.server.httpServer.getConnections((err, count) => (err ? reject(err) : resolve(count))));
}

/**
 * Takes what the server sends at most `bytes` every `everyMs` (the socket paused between), as a
 * client on a slow link does; returns a stop function.
 */
export function readPaced(client: RawClient, bytes: number, everyMs: number): () => void {
  const { socket } = client;
  socket.pause();
  const timer = setInterval(() => {
    if (socket.destroyed) return clearInterval(timer);
    // read() hands the bytes to the 'data' listener, so received() has them.
    const n = Math.min(bytes, socket.readableLength);
    socket.read(n > 0 ? n : 0);
  }, everyMs);
  void client.closed.then(() => clearInterval(timer));
  return () => clearInterval(timer);
}
