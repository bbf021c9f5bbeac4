/**
 * The WebSocket upgrade at `/ws/user/{userId}/`: 401 without valid
 * credentials, 403 for another user's path or a cookie-authenticated
 * upgrade from a foreign Origin (Bearer upgrades skip the Origin check).
 * Beyond MAX_SOCKETS_PER_USER sockets the new socket is accepted and closed
 * with 4429: checked here against this node's sockets, then against the
 * user's sockets on every node when presence counts it (connection.ts).
 * So is a socket past SOCKET_OPEN_LIMIT opened by the user on this node
 * within SOCKET_OPEN_WINDOW_MS (a loop of opens and closes was a presence
 * frame to every peer, a last-seen write and a `ready` each time).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ChatError, CloseCode } from '@ecc/protocol';
import { authenticate, type Authenticated } from '../auth/authenticate.ts';
import { answerRawAndClose, errorResponse } from '../http/respond.ts';
import { isOriginAllowed } from '../http/security.ts';
import type { Services } from '../services.ts';
import { Connection } from './connection.ts';
import { KeepAliveRounds } from './keepAlive.ts';
import { FixedWindowCounter } from './rateLimiter.ts';
import { SessionCheck } from './sessionCheck.ts';

// Any one path segment is a user id to check: the contract answers 401/403 for `/ws/user/{userId}/`
// whatever the id looks like (`abc`, `0`, `01` are simply not the signed-in user), so only other
// shapes of path are 404.
const WS_PATH = /^\/ws\/user\/([^/]+)\/?$/;

export class UpgradeHandler {
  readonly wss: WebSocketServer;
  /** Every open socket of this node (keep-alive, resync, shutdown). */
  readonly connections = new Set<Connection>();
  /** Pings every open socket once per SERVER_PING_MS (stopped at shutdown). */
  readonly keepAlive: KeepAliveRounds<Connection>;
  /** Sockets each user opened here in the current window (one number per user: it is held for every connected user). */
  private readonly opens: FixedWindowCounter;
  private accepting = true;

  constructor(private readonly services: Services) {
    this.opens = new FixedWindowCounter(services.config.limits.socketOpenLimit, services.config.limits.socketOpenWindowMs);
    // While the bus cannot bring logouts from other nodes, each round also looks the sockets' sessions up.
    const sessions = new SessionCheck(services.bus, services.store, services.logger);
    this.keepAlive = new KeepAliveRounds<Connection>(services.config.limits.serverPingMs, (slice) => sessions.check(slice));
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: services.config.limits.maxFrameBytes,
      perMessageDeflate: false,
      // ws would close a text frame of invalid UTF-8 with 1007; the contract answers every bad frame
      // with an error and keeps the socket, so inboundText.ts checks the bytes itself.
      skipUTF8Validation: true,
    });
  }

  /** Refuse new sockets from now on (shutdown). */
  stopAccepting(): void {
    this.accepting = false;
  }

  /**
   * Answers an upgrade request; `handOver` is called once it is a signed-in user's socket here (counted
   * under MAX_SOCKETS_PER_USER): till then the connection guard counts it as its address's HTTP connection
   * (one closed at once, 4429 or 1001, counts until it is gone).
   */
  handle(req: IncomingMessage, socket: Duplex, head: Buffer, handOver: () => void): void {
    socket.on('error', destroyOnError);
    this.authorise(req)
      .then(
        (session) => this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, session, handOver)),
        (err: unknown) => refuse(socket, err, this.services.logger),
      )
      // A throw in either (a bug here or in ws) was an unhandled rejection, which ends the process. Destroying
      // the connection closes it for its client and gives its place in the address's count back (connectionGuard.ts).
      .catch((err: unknown) => {
        this.services.logger.error({ err }, 'upgrade failed; connection closed');
        socket.destroy();
      });
  }

  /**
   * The upgraded socket. Its own method, not a closure inside `handle`: a listener that lives as
   * long as the socket must not share a scope with the request, or every idle socket keeps its
   * IncomingMessage and headers (~1 KiB a user, seen in a heap snapshot of 5,000 idle users).
   */
  private accept(ws: WebSocket, session: Authenticated, handOver: () => void): void {
    const { hub, config, store } = this.services;
    if (!this.accepting) {
      ws.close(CloseCode.GOING_AWAY, 'Server shutting down');
      return;
    }
    if (hub.socketCount(session.user.id) >= config.limits.maxSocketsPerUser) {
      ws.close(CloseCode.TOO_MANY_SOCKETS, 'Too many open sockets for this user');
      return;
    }
    // Refused ones are not counted: a client waiting longer each time (as on 4429) gets back in.
    if (!this.opens.tryTake(session.user.id)) {
      ws.close(CloseCode.TOO_MANY_SOCKETS, 'Too many new sockets for this user; try again later');
      return;
    }
    const connection = new Connection(ws, session.user, session.sessionId, this.services, session.expiresAt);
    handOver();
    this.connections.add(connection);
    this.keepAlive.add(connection);
    ws.once('close', () => {
      this.connections.delete(connection);
      this.keepAlive.delete(connection);
    });
    const { tokenHash, sessionId } = session;
    connection.start(async () => (await store.findSession(tokenHash))?.sessionId === sessionId);
  }

  /** Whether `pathname` is a socket's path (`/ws/user/{userId}/`). */
  isSocketPath(pathname: string): boolean {
    return WS_PATH.test(pathname);
  }

  /**
   * A plain HTTP request (no upgrade) to a socket's path is answered as its upgrade would be
   * refused — 401, 403 (another user's path, a foreign Origin), 503 — and otherwise 400: it is
   * not a WebSocket handshake (RFC 6455 §4.2.2).
   */
  async refuseWithoutUpgrade(req: IncomingMessage): Promise<never> {
    await this.authorise(req);
    throw new ChatError('BAD_REQUEST', 'This path takes a WebSocket upgrade only');
  }

  private async authorise(req: IncomingMessage) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const match = WS_PATH.exec(url.pathname);
    if (!match) throw new ChatError('NOT_FOUND', 'No such socket path');
    if (!this.accepting) throw new ChatError('UNAVAILABLE', 'Server shutting down');
    const session = await authenticate(req, this.services.store, this.services.config.trustProxy);
    if (!session) throw new ChatError('UNAUTHORIZED', 'Sign in first');
    if (match[1] !== String(session.user.id)) throw new ChatError('FORBIDDEN', 'This socket path belongs to another user');
    if (session.via === 'cookie' && !isOriginAllowed(req, this.services.config.allowedOrigins, this.services.config.trustProxy)) {
      throw new ChatError('FORBIDDEN', 'Origin not allowed');
    }
    return session;
  }
}

/** A socket's error listener, at module level so that it holds no request (see `accept`). */
function destroyOnError(this: Duplex): void {
  this.destroy();
}

function refuse(socket: Duplex, err: unknown, log: Services['logger']): void {
  const { status, error } = errorResponse(err);
  if (status >= 500) log.error({ err: error.cause ?? error }, 'upgrade failed');
  // Out of the HTTP server's hands no timeout applies: destroyed once written (answerRawAndClose).
  answerRawAndClose(socket, err);
}
