/**
 * GET /metrics: this node's counters and gauges in the Prometheus text
 * format, for the operators' scraper. Off (404, as for any unknown path)
 * unless METRICS_TOKEN is set; then only for `Authorization: Bearer
 * <METRICS_TOKEN>` (401 otherwise). Gauges are read here, at scrape time,
 * so serving traffic pays nothing for them.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { ChatError, ERROR_CODES } from '@ecc/protocol';
import { STATUS_CLASSES } from '../../metrics/counters.ts';
import { EXPOSITION_CONTENT_TYPE, exposition, type Family } from '../../metrics/exposition.ts';
import type { Services } from '../../services.ts';
import { sendJson } from '../respond.ts';
import type { RequestContext, Router } from '../router.ts';

/** Sampling step of the event-loop delay histogram (Node's default). */
const LOOP_DELAY_RESOLUTION_MS = 10;

/** What the server stops on close (the event-loop sampler). */
export interface MetricsRoute {
  close(): void;
}

export function registerMetricsRoutes(router: Router, services: Services): MetricsRoute {
  const token = services.config.metricsToken;
  if (token === undefined) {
    // Answered like any unknown API path, not left to the web app's fallback page.
    router.add('GET', '/metrics', () => Promise.reject(new ChatError('NOT_FOUND', 'Not found')));
    return { close: () => {} };
  }
  const expected = digest(token);
  // One sampler per node, made only when metrics are on; read and reset by each scrape.
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  loopDelay.enable();
  router.add('GET', '/metrics', async (ctx) => {
    if (!authorized(ctx, expected)) {
      sendJson(ctx.res, 401, new ChatError('UNAUTHORIZED', 'Metrics need the bearer token').toBody(), { 'WWW-Authenticate': 'Bearer' });
      return;
    }
    const text = exposition(families(services, loopDelay));
    ctx.res.writeHead(200, { 'Content-Type': EXPOSITION_CONTENT_TYPE, 'Content-Length': Buffer.byteLength(text), 'Cache-Control': 'no-store' });
    ctx.res.end(text);
  });
  return { close: () => loopDelay.disable() };
}

/** Whether the request carries `Bearer <token>`, compared in constant time (digests have one length whatever was sent). */
function authorized(ctx: RequestContext, expected: Buffer): boolean {
  const presented = /^Bearer +(\S+) *$/i.exec(ctx.req.headers.authorization ?? '')?.[1];
  return presented !== undefined && timingSafeEqual(digest(presented), expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function families(services: Services, loopDelay: IntervalHistogram): Family[] {
  const { counters, hub, bus, config } = services;
  const memory = process.memoryUsage();
  // Since the previous scrape: a p99 over the process's whole life would hide today's stalls.
  const loopDelayP99Seconds = loopDelay.percentile(99) / 1e9;
  loopDelay.reset();
  const list: Family[] = [
    { name: 'ecc_websocket_connections', type: 'gauge', help: 'Open WebSocket connections on this node.', samples: hub.totalSockets() },
    { name: 'ecc_connected_users', type: 'gauge', help: 'Distinct users with at least one socket on this node.', samples: hub.connectedUsers() },
    { name: 'ecc_messages_stored_total', type: 'counter', help: 'Messages of send frames stored by this node.', samples: counters.messagesStored },
    { name: 'ecc_send_batches_total', type: 'counter', help: 'Send batches committed by this node (messages stored / batches = batch size).', samples: counters.sendBatches },
    {
      name: 'ecc_frames_refused_total',
      type: 'counter',
      help: 'Error frames sent to sockets of this node, by error code.',
      samples: ERROR_CODES.map((code) => ({ labels: { code }, value: counters.framesRefused[code] })),
    },
    {
      name: 'ecc_http_responses_total',
      type: 'counter',
      help: 'HTTP responses finished by this node, by status class.',
      samples: STATUS_CLASSES.map((statusClass, i) => ({ labels: { class: statusClass }, value: counters.httpResponses[i] ?? 0 })),
    },
    {
      name: 'ecc_http_connections_refused_total',
      type: 'counter',
      help: 'HTTP connections refused by this node at the per-address cap, before any request.',
      samples: counters.httpConnectionsRefused,
    },
  ];
  if (config.redisUrl !== undefined) {
    list.push({ name: 'ecc_fanout_healthy', type: 'gauge', help: 'Whether the Redis fan-out carries events (1) or not (0).', samples: bus.healthy() ? 1 : 0 });
  }
  list.push(
    { name: 'ecc_event_loop_delay_p99_seconds', type: 'gauge', help: 'Event-loop delay, 99th percentile since the previous scrape.', samples: loopDelayP99Seconds },
    { name: 'ecc_process_resident_memory_bytes', type: 'gauge', help: 'Resident set size of the process.', samples: memory.rss },
    { name: 'ecc_process_heap_used_bytes', type: 'gauge', help: 'V8 heap in use.', samples: memory.heapUsed },
    { name: 'ecc_process_start_time_seconds', type: 'gauge', help: 'Start time of the process, in seconds since the Unix epoch.', samples: PROCESS_START_SECONDS },
  );
  return list;
}

const PROCESS_START_SECONDS = Math.round((Date.now() / 1000 - process.uptime()) * 1000) / 1000;
