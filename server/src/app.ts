/**
 * One chat server node: HTTP API, static web app and WebSocket on one port.
 * Everything it uses is passed in (no globals), so tests and the cluster
 * runner can start several nodes in one process.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChatError, CloseCode } from '@ecc/protocol';
import { MemoryAttemptCounts } from './auth/loginThrottle.ts';
import { userTopic } from './fanout/bus.ts';
import { guardConnections, httpTimeoutOptions } from './http/connectionGuard.ts';
import { registerAttachmentRoutes } from './http/routes/attachments.ts';
import { registerAuthRoutes } from './http/routes/auth.ts';
import { registerHealthRoutes } from './http/routes/health.ts';
import { registerJobRoutes } from './http/routes/jobs.ts';
import { registerMetricsRoutes } from './http/routes/metrics.ts';
import { registerRoomRoutes } from './http/routes/rooms.ts';
import { registerSupportRoutes } from './http/routes/support.ts';
import { sendError } from './http/respond.ts';
import { Router, type RequestContext } from './http/router.ts';
import { applyCors, setBaseSecurityHeaders } from './http/security.ts';
import { StaticFiles } from './http/static.ts';
import { NodeCounters } from './metrics/counters.ts';
import type { ServerDeps, Services } from './services.ts';
import { PresenceAnnouncer } from './services/presenceAnnouncer.ts';
import { RoomAnnouncer } from './services/roomAnnouncer.ts';
import { tellSupport } from './services/jobs.ts';
import { RoomSweeper } from './services/roomSweeper.ts';
import { SessionSweeper } from './services/sessionSweeper.ts';
import type { RoomView } from './storage/store.ts';
import { Hub } from './ws/hub.ts';
import { JobBoard, supportJobBoard } from './ws/jobBoard.ts';
import { SendLimiter, SharedWindowLimiter, SlidingWindowLimiter } from './ws/rateLimiter.ts';
import { RemoteTypingExpiry } from './ws/remoteTyping.ts';
import { RoomAccessCache } from './ws/roomAccess.ts';
import { ReadBatcher } from './ws/readBatcher.ts';
import { SendBatcher } from './ws/sendBatcher.ts';
import { TypingTracker } from './ws/typing.ts';
import { UpgradeHandler } from './ws/upgrade.ts';

/**
 * Pending connections the kernel queues for accept (capped by
 * net.core.somaxconn). Node's default of 511 overflows when thousands of
 * clients reconnect at once after a deploy; dropped SYNs are retried only
 * after 1, 3, 7, 15 s, which left a connect storm's last users waiting 16 s.
 */
const LISTEN_BACKLOG = 8192;

export interface ChatServer {
  readonly httpServer: http.Server;
  /** The node's parts, for tests and operators' tools. */
  readonly services: Services;
  /** Number of live sockets on this node (a socket being closed no longer counts). */
  socketCount(): number;
  /** Starts listening; resolves with the actual port (pass 0 for a free one). */
  listen(port?: number, host?: string): Promise<number>;
  /** Runs the room sweeper once now (tests; it also runs periodically). */
  sweepRooms(): Promise<void>;
  /** Deletes expired sessions now (tests; it also runs at start and hourly). */
  sweepSessions(): Promise<void>;
  /**
   * Graceful stop: refuse new sockets, answer queued sends, close sockets
   * with 1001, stop HTTP. The store, bus and presence stay open (the caller owns them).
   */
  close(): Promise<void>;
}

/** Longest spread of resync closes after a fan-out outage, so clients do not reconnect all at once. */
const RESYNC_SPREAD_MS = 3000;

export function createChatServer(deps: ServerDeps): ChatServer {
  const { config, store, bus, presence, logger } = deps;
  // The hub is made below; the cache asks it only once requests come.
  const access = new RoomAccessCache(store, (roomId) => hub.watches(roomId));
  const sendLimiter = new SendLimiter(new SlidingWindowLimiter(config.limits.sendRateLimit, config.limits.sendRateWindowMs), deps.sendCounter);
  const hub = new Hub({
    bus,
    logger,
    onRoomChanged: (roomId) => access.invalidate(roomId),
    onUserSpread: (userId) => sendLimiter.markSpread(userId),
    messagesAfter: async (roomId, afterSeq, limit) => (await store.history({ roomId, afterSeq, limit })).messages,
    lastSeqs: (roomIds) => store.lastSeqs(roomIds),
    unreadFor: (pairs) => store.unreadFor(pairs),
    getMessage: (id) => store.getMessage(id),
    // The announcer is made below; the hub asks it only once events come.
    roomViewFor: (roomId, userId): Promise<RoomView | null> => rooms.viewFor(roomId, userId),
  });
  const rooms = new RoomAnnouncer({ store, hub, access, presence, logger, closeGraceMs: config.roomCloseGraceMs });
  const typing = new TypingTracker(hub, config.limits.typingExpiryMs);
  // A typing `true` from another node also ends here when that node cannot end it (remoteTyping.ts).
  const remoteTyping = new RemoteTypingExpiry(
    (topic, event) => hub.deliverLocal(topic, event),
    config.limits.typingExpiryMs,
    (userId, roomId) => typing.typingHere(userId, roomId),
  );
  bus.onEvent((topic, event) => remoteTyping.observe(topic, event));
  const counters = new NodeCounters();
  // Every node holding the user's sockets starts counting their sends over the nodes.
  presence.onSpread((userId) => hub.emit(userTopic(userId), { kind: 'user_spread' }));
  const services: Services = {
    ...deps,
    hub,
    board: new JobBoard(bus),
    supportBoard: supportJobBoard(bus),
    access,
    rooms,
    presenceAnnouncer: new PresenceAnnouncer({ store, hub, access, presence, bus, logger }),
    batcher: new SendBatcher({
      store,
      hub,
      logger,
      maxBatch: config.limits.sendBatchMax,
      windowMs: config.limits.sendBatchWindowMs,
      maxInFlight: config.limits.sendBatchesInFlight,
      counters,
    }),
    reads: new ReadBatcher({ store, maxBatch: config.limits.sendBatchMax }),
    sendLimiter,
    editLimiter: new SlidingWindowLimiter(config.limits.editRateLimit, config.limits.sendRateWindowMs),
    staffRoomLimiter: new SharedWindowLimiter(new SlidingWindowLimiter(config.limits.staffRoomOpenLimit, config.limits.staffRoomOpenWindowMs), deps.staffRoomOpens),
    typing,
    loginAttempts: deps.loginAttempts ?? new MemoryAttemptCounts(),
    counters,
  };

  const router = new Router();
  registerHealthRoutes(router, services);
  registerAuthRoutes(router, services);
  registerJobRoutes(router, services);
  registerSupportRoutes(router, services);
  registerAttachmentRoutes(router, services);
  registerRoomRoutes(router, services);
  const metrics = registerMetricsRoutes(router, services);
  const statics = new StaticFiles(config.webDistDir);
  const upgrades = new UpgradeHandler(services);
  const sweeper = new RoomSweeper({
    store,
    rooms,
    logger,
    graceMs: config.roomCloseGraceMs,
    intervalMs: config.roomSweepIntervalMs,
    // Support's jobs pages stop offering to join it (Job.roomActive).
    onClosed: async (roomId) => {
      const job = await store.getJobOfRoom(roomId);
      if (job) await tellSupport(store, services.supportBoard, job);
    },
  });
  const sessionSweeper = new SessionSweeper({ store, logger });

  const httpServer = http.createServer(httpTimeoutOptions(config.limits), (req, res) => {
    const requestId = randomUUID();
    const log = logger.child({ req: requestId });
    const started = performance.now();
    setBaseSecurityHeaders(req, res, config.trustProxy);
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      counters.httpAnswered(res.statusCode);
      log.debug({ method: req.method, path: req.url?.split('?')[0], status: res.statusCode, ms: Math.round(performance.now() - started) }, 'http');
    });
    if (applyCors(req, res, config.allowedOrigins)) return;
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const match = router.match(method, url.pathname);
    const ctx: RequestContext = { req, res, url, params: {}, log, requestId };
    const fail = (err: unknown) => sendError(res, err, log);
    if (match.kind === 'found') {
      ctx.params = match.params;
      match.handler(ctx).catch(fail);
      return;
    }
    if (match.kind === 'method_not_allowed') return fail(new ChatError('BAD_REQUEST', `${method} is not supported here`));
    if (upgrades.isSocketPath(url.pathname)) return void upgrades.refuseWithoutUpgrade(req).catch(fail);
    const isApi = url.pathname.startsWith('/api/') || url.pathname === '/api' || url.pathname.startsWith('/ws/') || url.pathname === '/healthz';
    if (isApi || (method !== 'GET' && method !== 'HEAD')) return fail(new ChatError('NOT_FOUND', 'Not found'));
    statics.serve(url.pathname, res, method === 'HEAD').catch(fail);
  });
  guardConnections(httpServer, config.limits, config.trustProxy, {
    counters,
    logger,
    onUpgrade: (req, socket, head, handOver) => upgrades.handle(req, socket, head, handOver),
  });

  bus.onRecover(() => {
    // Events may have been lost while the transport was down: make every local socket resync by seq.
    logger.warn({ sockets: upgrades.connections.size }, 'fan-out recovered: asking sockets to resync');
    // Spread the reconnects of many sockets (about 2 ms each, at most 3 s); a few close at once.
    const spreadMs = Math.min(RESYNC_SPREAD_MS, upgrades.connections.size * 2);
    // Their users come back at once: not told offline meanwhile (resyncGrace.ts).
    services.presenceAnnouncer.expectBack([...upgrades.connections].map((c) => c.userId), spreadMs);
    for (const connection of upgrades.connections) {
      const timer = setTimeout(() => connection.close(CloseCode.TRY_AGAIN_LATER, 'Resync after an outage'), Math.random() * spreadMs);
      timer.unref();
    }
  });

  let closing: Promise<void> | null = null;

  return {
    httpServer,
    services,
    socketCount: () => hub.totalSockets(),
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
          httpServer.off('error', reject);
          sweeper.start();
          sessionSweeper.start();
          resolve((httpServer.address() as AddressInfo).port);
        });
      });
    },
    sweepRooms: () => sweeper.sweep(),
    sweepSessions: () => sessionSweeper.sweep(),
    close() {
      closing ??= (async () => {
        upgrades.stopAccepting();
        upgrades.keepAlive.stop();
        await Promise.all([sweeper.stop(), sessionSweeper.stop()]);
        remoteTyping.close();
        await Promise.all([services.batcher.drain(), services.reads.drain()]);
        // The users reconnect to another node (or to this one restarted): peers should not see them flicker offline.
        services.presence.handOver();
        for (const connection of [...upgrades.connections]) connection.close(CloseCode.GOING_AWAY, 'Server shutting down');
        await Promise.all([services.batcher.drain(), services.reads.drain()]);
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeIdleConnections();
          setTimeout(() => httpServer.closeAllConnections(), 2000).unref();
        });
        upgrades.wss.close();
        metrics.close();
        // Closed sockets' last-seen times are written before the caller closes the store.
        services.presenceAnnouncer.stop();
        await services.presenceAnnouncer.settled();
      })();
      return closing;
    },
  };
}
