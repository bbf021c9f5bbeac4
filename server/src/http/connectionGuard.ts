/**
 * What one client can hold of a node's connections, each an open file (past the process's limit
 * the node accepts nobody; a slowloris client holds many by sending slowly or not at all):
 *
 * - a request's headers must be in within `httpHeadersTimeoutMs` of its connection opening or of
 *   the connection's previous answer (with its request's body in), else 408 and closed. Node's own headersTimeout is set too,
 *   but it never counts blank lines sent between keep-alive requests as a request begun, so a
 *   client writing "\r\n" now and then held its connection for good;
 * - the whole request, body included, within `httpRequestTimeoutMs` of its start (Node's
 *   requestTimeout, 408): long, since the largest upload must finish over a slow mobile link;
 * - once the request is in, its answer must move: a connection whose answer waits on its client and
 *   took less than STALL_MIN_BYTES in an `httpHeadersTimeoutMs` window is closed (a download nobody
 *   takes, or taken a byte now and then), however long a steady one lasts (no Range to resume);
 * - nothing received or sent for `httpIdleTimeoutMs` (before a request too; while one is open: a body that stopped
 *   coming): the connection is closed without an answer (Node's server.timeout);
 * - at most `maxHttpConnectionsPerAddress` HTTP connections open at once per client address (IPv6
 *   by its /64, as the sign-in throttle counts); one more is answered 429 and closed before any
 *   request is read, counted (ecc_http_connections_refused_total) and logged (at most once a minute
 *   per address). Not behind a proxy (TRUST_PROXY): there every connection comes from the proxy,
 *   which limits its clients itself.
 *
 * An upgrade request stays in its address's count until the upgrade's listener hands its connection
 * over as a signed-in user's socket (at most MAX_SOCKETS_PER_USER of them, watched by its keep-alive,
 * none of these apply to it any more) or it closes: while the database stalls, each waits on its
 * session lookup, and one address must not hold any number of them. One not handed over within
 * `httpHeadersTimeoutMs` of its request is destroyed (Node's timeouts end at the upgrade).
 */
import type http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { throttleAddress } from '../auth/throttleAddress.ts';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { NodeCounters } from '../metrics/counters.ts';
import { answerRawAndClose, RetryAfterError } from './respond.ts';

type Limits = Pick<Config['limits'], 'httpHeadersTimeoutMs' | 'httpRequestTimeoutMs' | 'httpIdleTimeoutMs' | 'maxHttpConnectionsPerAddress'>;

/** Node's own timeouts, checked often enough that they hold near their value (Node checks every 30 s by default). */
export function httpTimeoutOptions(limits: Limits): http.ServerOptions {
  const shortest = Math.min(limits.httpHeadersTimeoutMs, limits.httpRequestTimeoutMs);
  return {
    headersTimeout: limits.httpHeadersTimeoutMs,
    requestTimeout: limits.httpRequestTimeoutMs,
    connectionsCheckingInterval: Math.max(50, Math.min(5000, Math.floor(shortest / 4))),
  };
}

/**
 * What an answer waiting on its client must take per `httpHeadersTimeoutMs` window (16 KiB per 20 s,
 * ~6.5 kbit/s): far below any working link, far above a client reading a byte now and then.
 */
export const STALL_MIN_BYTES = 16 * 1024;

/** How often the cap's refusals of one address are logged at most. */
const REFUSAL_LOG_INTERVAL_MS = 60_000;

/** Node's answer to a request that timed out, as its own header and request timeouts give it. */
const TIMED_OUT = 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n';

interface Waiting {
  /** Requests whose answer is not done (pipelined ones may overlap). */
  inFlight: number;
  timer: NodeJS.Timeout | null;
  upgraded: boolean;
  /** Gives the connection's place in its address's count back (once). */
  release: () => void;
}

/** The connection is a signed-in user's socket now: out of its address's count and of the upgrade's timeout. */
export type HandOver = () => void;

/** Answers an upgrade request (the http server's 'upgrade' event), calling `handOver` once it is a socket. */
export type UpgradeListener = (req: http.IncomingMessage, socket: Duplex, head: Buffer, handOver: HandOver) => void;

export interface GuardDeps {
  /** Where the upgrades of the connections the guard let in go (refused connections get none). */
  onUpgrade: UpgradeListener;
  counters: Pick<NodeCounters, 'httpConnectionsRefused'>;
  logger: Logger;
}

export function guardConnections(server: http.Server, limits: Limits, trustProxy: boolean, deps: GuardDeps): void {
  // No 'timeout' listener: Node destroys the connection (between requests keepAliveTimeout applies instead).
  server.setTimeout(limits.httpIdleTimeoutMs);
  const perAddress = new Map<string, number>();
  const states = new WeakMap<Socket, Waiting>();

  const arm = (socket: Socket, state: Waiting) => {
    if (state.timer) clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = null;
      if (state.inFlight > 0 || state.upgraded || socket.destroyed) return;
      socket.end(TIMED_OUT, () => socket.destroy());
    }, limits.httpHeadersTimeoutMs);
    state.timer.unref();
  };
  const disarm = (state: Waiting) => {
    if (state.timer) clearTimeout(state.timer);
    state.timer = null;
  };

  /** Counts the connection under its address; null when the address holds its most already. */
  const take = (socket: Socket): (() => void) | null => {
    if (trustProxy) return () => {};
    const address = throttleAddress(socket.remoteAddress ?? 'unknown');
    const open = perAddress.get(address) ?? 0;
    if (open >= limits.maxHttpConnectionsPerAddress) return null;
    perAddress.set(address, open + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (perAddress.get(address) ?? 1) - 1;
      if (left > 0) perAddress.set(address, left);
      else perAddress.delete(address);
    };
  };

  const lastLogged = new Map<string, number>();
  const refused = (socket: Socket) => {
    deps.counters.httpConnectionsRefused += 1;
    const address = throttleAddress(socket.remoteAddress ?? 'unknown');
    const now = Date.now();
    if (now - (lastLogged.get(address) ?? -Infinity) < REFUSAL_LOG_INTERVAL_MS) return;
    // Only addresses at the cap get here, few at a time; the old ones go as one is added.
    for (const [logged, at] of lastLogged) if (now - at >= REFUSAL_LOG_INTERVAL_MS) lastLogged.delete(logged);
    lastLogged.set(address, now);
    deps.logger.warn({ address, cap: limits.maxHttpConnectionsPerAddress }, 'HTTP connections refused: address at its cap (logged once a minute)');
  };

  server.on('connection', (socket: Socket) => {
    const release = take(socket);
    if (!release) {
      refused(socket);
      answerRawAndClose(socket, new RetryAfterError('Too many connections from this address', 10));
      return;
    }
    const state: Waiting = { inFlight: 0, timer: null, upgraded: false, release };
    states.set(socket, state);
    socket.once('close', () => {
      disarm(state);
      release();
    });
    arm(socket, state);
  });

  // Before the app's own listener, so the answer's close is heard however soon the app ends it.
  server.prependListener('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    const state = states.get(socket);
    if (!state) return;
    state.inFlight += 1;
    disarm(state);
    const stall = watchAnswer(req, socket, limits.httpHeadersTimeoutMs);
    res.once('close', () => {
      clearInterval(stall);
      state.inFlight -= 1;
      // Headers are awaited once the request is in: an upload answered early (401, 413) goes on
      // coming while Node reads and drops the rest.
      const next = () => {
        if (state.inFlight === 0 && !state.upgraded && !socket.destroyed) arm(socket, state);
      };
      if (req.complete) next();
      else req.once('end', next);
    });
  });

  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    // A refused connection's request is not looked at: its 429 is on its way and it is destroyed once written.
    const state = states.get(req.socket);
    if (!state) return;
    state.upgraded = true;
    disarm(state);
    // Node's header, request and idle timeouts no longer watch the connection.
    state.timer = setTimeout(() => {
      state.timer = null;
      socket.destroy();
    }, limits.httpHeadersTimeoutMs);
    state.timer.unref();
    deps.onUpgrade(req, socket, head, () => {
      disarm(state);
      state.release();
    });
  });
}

/**
 * Closes the connection when the request is in and its answer, waiting on the client, moved less than
 * STALL_MIN_BYTES in a window. Node's requestTimeout watches the request only; its idle timeout is held
 * back while a write is pending and moves, so a client taking a byte now and then escapes it. An answer
 * the app is still making (nothing waiting on the client) is not the client's doing.
 */
function watchAnswer(req: http.IncomingMessage, socket: Socket, windowMs: number): NodeJS.Timeout {
  let seen = socket.bytesWritten;
  const timer = setInterval(() => {
    // What the socket took from the app: with a streamed body (a file, 64 KiB at a time) that follows what its
    // client takes, in lumps of about a third of the kernel's send buffer (writable again only then), which
    // a steady slow link fills within seconds: a window of 20 s is many lumps.
    const moved = socket.bytesWritten - seen;
    seen = socket.bytesWritten;
    if (req.complete && socket.writableLength > 0 && moved < STALL_MIN_BYTES) socket.destroy();
  }, windowMs);
  timer.unref();
  return timer;
}
