/**
 * One measurement step against a running system: connect the generators'
 * users, or offer a message rate for a while and account for every message.
 */
import { LatencyHistogram, type LatencySummary } from './histogram.ts';
import { addTotals, EMPTY_TOTALS, type DeliveryTotals, type SenderReport } from './ledger.ts';
import type { ErrorCounts } from './generator/ipc.ts';
import type { GeneratorPool } from './pool.ts';
import type { MeasuredServer } from './procs.ts';

/** Above this share of its core the generator, not the server, may be the bottleneck. */
export const GENERATOR_SATURATION_PCT = 90;

export interface ConnectResult {
  connected: number;
  failed: number;
  failures: string[];
  /** From the first connection attempt to the last `ready`, over all generators. */
  allReadyMs: number;
  readyLatency: LatencySummary;
}

export async function connectUsers(pool: GeneratorPool, maxInFlightPerGenerator: number): Promise<ConnectResult> {
  const events = await pool.all('connected', () => ({ cmd: 'connect', maxInFlight: maxInFlightPerGenerator }));
  const readyLatency = new LatencyHistogram();
  for (const e of events) readyLatency.merge(LatencyHistogram.fromJSON(e.readyLatency));
  const startedAt = Math.min(...events.map((e) => e.startedAt));
  const lastReadyAt = Math.max(...events.map((e) => e.lastReadyAt));
  return {
    connected: events.reduce((n, e) => n + e.connected, 0),
    failed: events.reduce((n, e) => n + e.failed, 0),
    failures: events.flatMap((e) => e.failures).slice(0, 5),
    allReadyMs: Math.max(0, lastReadyAt - startedAt),
    readyLatency: readyLatency.summary(),
  };
}

export interface RateOptions {
  /** Aggregate messages per second over all generators. */
  rate: number;
  durationMs: number;
  contentBytes: number;
  /** Only these (user, room) pairs send (each generator sends for the ones it holds). */
  senders?: { userId: number; roomId: number }[];
  /** Also compute delivered-to-all latency per message (group rooms). */
  perMessage?: boolean;
  /** Recipients mark each message read as it arrives (our protocol only). */
  readReceipts?: boolean;
  settleTimeoutMs?: number;
}

export interface RateResult {
  offeredRate: number;
  durationMs: number;
  sent: number;
  acked: number;
  /** Messages per second actually sent (the generator keeps up when ≈ offered). */
  sentPerSec: number;
  /** Deliveries (message frames to recipients) per second during the send window. */
  deliveredPerSec: number;
  latency: LatencySummary;
  ackLatency: LatencySummary;
  /** Slowest recipient per message (group rooms only). */
  deliveredToAll?: LatencySummary;
  totals: DeliveryTotals;
  errors: ErrorCounts;
  disconnects: number;
  serverRssKiB: number;
  /** Percent of one core over the send window. */
  serverCpuPct: number;
  /** Percent of the step the server's event loop waited runnable for its core (absent in older records). */
  serverWaitPct?: number;
  generatorCpuPct: number;
  generatorSaturated: boolean;
  /** The worst generator's event-loop lag (ms): latency it may have added to what it measured (absent in older records). */
  generatorLag?: { p99Ms: number; maxMs: number };
}

let runCounter = 0;

export async function offerRate(pool: GeneratorPool, server: MeasuredServer, options: RateOptions): Promise<RateResult> {
  runCounter += 1;
  const runTag = `b${Date.now().toString(36)}${runCounter}`;
  const serverCpu0 = await server.cpuSeconds();
  const serverWait0 = await server.waitSeconds();
  const generatorCpu0 = await pool.cpuSeconds();
  const cpuWall0 = performance.now();
  const ran = await pool.all('ran', () => ({
    cmd: 'run',
    runTag,
    ratePerSec: options.senders ? options.rate : options.rate / pool.size,
    durationMs: options.durationMs,
    contentBytes: options.contentBytes,
    ...(options.senders ? { senders: options.senders } : {}),
    ackTimeoutMs: 10_000,
    ...(options.readReceipts ? { readReceipts: true } : {}),
  }));
  const serverCpu1 = await server.cpuSeconds();
  const serverWait1 = await server.waitSeconds();
  const generatorCpu1 = await pool.cpuSeconds();
  // CPU over the whole step (send window plus ack wait), per second of wall time.
  const cpuWallSec = Math.max(0.001, (performance.now() - cpuWall0) / 1000);
  const serverRssKiB = await server.rssKiB();
  const windowSec = (Math.max(...ran.map((r) => r.endedAt)) - Math.min(...ran.map((r) => r.startedAt))) / 1000;

  const reports: SenderReport[] = ran.flatMap((r) => r.reports);
  const settled = await pool.all('settled', () => ({
    cmd: 'settle',
    runTag,
    reports,
    timeoutMs: options.settleTimeoutMs ?? 10_000,
    perMessage: options.perMessage ?? false,
  }));

  const ackLatency = new LatencyHistogram();
  for (const r of ran) ackLatency.merge(LatencyHistogram.fromJSON(r.ackLatency));
  const latency = new LatencyHistogram();
  let totals = EMPTY_TOTALS;
  for (const s of settled) {
    latency.merge(LatencyHistogram.fromJSON(s.latency));
    totals = addTotals(totals, s.totals);
  }
  const errors: ErrorCounts = {};
  for (const r of ran) for (const [code, n] of Object.entries(r.errors)) errors[code] = (errors[code] ?? 0) + n;

  const sent = ran.reduce((n, r) => n + r.sent, 0);
  const stepSec = Math.max(windowSec, 0.001);
  // Each generator's own send window: they start a few ms apart.
  const sentPerSec = ran.reduce((rate, r) => rate + (r.sent * 1000) / Math.max(1, r.endedAt - r.startedAt), 0);
  const generatorCpuPct = ((generatorCpu1 - generatorCpu0) / cpuWallSec) * 100;
  const result: RateResult = {
    offeredRate: options.rate,
    durationMs: options.durationMs,
    sent,
    acked: ran.reduce((n, r) => n + r.acked, 0),
    sentPerSec,
    deliveredPerSec: totals.delivered / stepSec,
    latency: latency.summary(),
    ackLatency: ackLatency.summary(),
    totals,
    errors,
    disconnects: ran.reduce((n, r) => n + r.disconnects, 0),
    serverRssKiB,
    serverCpuPct: ((serverCpu1 - serverCpu0) / cpuWallSec) * 100,
    serverWaitPct: ((serverWait1 - serverWait0) / cpuWallSec) * 100,
    generatorCpuPct,
    generatorSaturated: generatorCpuPct > GENERATOR_SATURATION_PCT,
    generatorLag: {
      p99Ms: Math.max(0, ...ran.map((r) => r.loopLag.p99Ms)),
      maxMs: Math.max(0, ...ran.map((r) => r.loopLag.maxMs)),
    },
  };
  if (options.perMessage) result.deliveredToAll = slowestPerMessage(settled.map((s) => s.perMessage ?? {}));
  return result;
}

/** Delivered-to-all latency: per message, the slowest recipient over all generators. */
function slowestPerMessage(parts: Record<string, [number, number]>[]): LatencySummary {
  const slowest = new Map<string, number>();
  for (const part of parts) {
    for (const [key, [ms]] of Object.entries(part)) slowest.set(key, Math.max(slowest.get(key) ?? 0, ms));
  }
  const histogram = new LatencyHistogram();
  for (const ms of slowest.values()) histogram.record(ms);
  return histogram.summary();
}

/** True when a step kept its promise: p99 within the bound, nothing lost or duplicated, no errors. */
export function stepPassed(result: RateResult, p99BoundMs: number): boolean {
  return (
    result.latency.p99 <= p99BoundMs &&
    result.totals.lost === 0 &&
    result.totals.duplicates === 0 &&
    result.totals.outOfOrder === 0 &&
    Object.keys(result.errors).length === 0 &&
    result.disconnects === 0 &&
    result.sentPerSec >= result.offeredRate * 0.95
  );
}
