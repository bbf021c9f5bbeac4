/**
 * The messages between the orchestrator and its generator processes
 * (Node IPC channel). Both directions are zod-checked on receipt.
 */
import { z } from 'zod';
import { HistogramJson } from '../histogram.ts';
import { DeliveryTotals, SenderReport } from '../ledger.ts';

export const WireProtocol = z.enum(['ecc', 'sio']);
export type WireProtocol = z.infer<typeof WireProtocol>;

export const Command = z.discriminatedUnion('cmd', [
  z.object({
    cmd: z.literal('init'),
    fixturePath: z.string(),
    workerIndex: z.number().int().nonnegative(),
    workerCount: z.number().int().positive(),
    /** Only users[0 .. userLimit) take part. */
    userLimit: z.number().int().positive(),
    /** Server nodes; the user at fixture index i connects to baseUrls[i % length]. */
    baseUrls: z.array(z.string()).min(1),
    protocol: WireProtocol,
    /** Rooms made outside the fixtures command (group room, history room). */
    extraRooms: z.array(z.object({ id: z.number().int(), participantIds: z.array(z.number().int()) })),
  }),
  z.object({ cmd: z.literal('connect'), maxInFlight: z.number().int().positive() }),
  z.object({
    cmd: z.literal('run'),
    runTag: z.string(),
    /** This generator's share of the aggregate rate (with `senders`: the rate of the whole list). */
    ratePerSec: z.number().nonnegative(),
    durationMs: z.number().int().positive(),
    contentBytes: z.number().int().nonnegative(),
    /** Restrict sending to these (user, room) pairs; default: every local user in every room. */
    senders: z.array(z.object({ userId: z.number().int(), roomId: z.number().int() })).optional(),
    ackTimeoutMs: z.number().int().positive(),
    /** Each recipient marks every message read as it arrives, as a reader with the room open. */
    readReceipts: z.boolean().optional(),
  }),
  z.object({
    cmd: z.literal('settle'),
    runTag: z.string(),
    reports: z.array(SenderReport),
    timeoutMs: z.number().int().positive(),
    /** Also report, per message number of each sender, the slowest local delivery (group rooms). */
    perMessage: z.boolean(),
  }),
  z.object({
    cmd: z.literal('history'),
    roomId: z.number().int(),
    /** 0: this generator stays idle (fewer requesters than generators). */
    requests: z.number().int().nonnegative(),
    /** Requests made first and not recorded (JIT, caches), as the ramp's warm-up. */
    warmup: z.number().int().nonnegative(),
    maxSeq: z.number().int().positive(),
    limit: z.number().int().positive(),
  }),
  z.object({
    cmd: z.literal('churn'),
    runTag: z.string(),
    /** Each socket lives a random time in [minLifeMs, maxLifeMs], then the same user connects again. */
    minLifeMs: z.number().int().positive(),
    maxLifeMs: z.number().int().positive(),
    secondTabShare: z.number().min(0).max(1),
    sendEveryMs: z.number().int().positive(),
    contentBytes: z.number().int().nonnegative(),
  }),
  /** The churn's counters so far (it goes on). */
  z.object({ cmd: z.literal('churnStatus') }),
  /** Ends the churn with each user's first tab open and caught up; `settle` then accounts for every message. */
  z.object({ cmd: z.literal('churnStop') }),
  z.object({ cmd: z.literal('close') }),
]);
export type Command = z.infer<typeof Command>;

export const ErrorCounts = z.record(z.string(), z.number().int());
export type ErrorCounts = z.infer<typeof ErrorCounts>;

export const ChurnCounts = z.object({
  /** Sockets opened and closed again by the generator (one connect/disconnect cycle each). */
  cycles: z.number().int(),
  connects: z.number().int(),
  connectFailures: z.number().int(),
  /** Sockets the server closed (not the generator). */
  unexpectedCloses: z.number().int(),
  sent: z.number().int(),
  /** Sends repeated under the same clientId after a reconnect (the first was never acked). */
  resent: z.number().int(),
  acked: z.number().int(),
  /** `history {afterSeq}` pages fetched to catch up after reconnects. */
  historyPages: z.number().int(),
});
export type ChurnCounts = z.infer<typeof ChurnCounts>;

export const WorkerEvent = z.discriminatedUnion('ev', [
  z.object({ ev: z.literal('inited'), users: z.number().int() }),
  z.object({
    ev: z.literal('connected'),
    connected: z.number().int(),
    failed: z.number().int(),
    failures: z.array(z.string()),
    /** Wall-clock ms (performance.timeOrigin + now) of the first attempt and the last `ready`. */
    startedAt: z.number(),
    lastReadyAt: z.number(),
    readyLatency: HistogramJson,
  }),
  z.object({
    ev: z.literal('ran'),
    sent: z.number().int(),
    acked: z.number().int(),
    ackLatency: HistogramJson,
    errors: ErrorCounts,
    disconnects: z.number().int(),
    reports: z.array(SenderReport),
    /** When sending really started and ended (wall clock ms). */
    startedAt: z.number(),
    endedAt: z.number(),
    /** How late this process's event loop ran during the run (ms): deliveries it stamped were late by up to this. */
    loopLag: z.object({ p99Ms: z.number().nonnegative(), maxMs: z.number().nonnegative() }),
  }),
  z.object({
    ev: z.literal('settled'),
    totals: DeliveryTotals,
    latency: HistogramJson,
    /** key `${senderId}.${n}` → [slowest local delivery ms, local recipients reached]. */
    perMessage: z.record(z.string(), z.tuple([z.number(), z.number().int()])).optional(),
  }),
  z.object({ ev: z.literal('history'), latency: HistogramJson, errors: ErrorCounts }),
  z.object({ ev: z.literal('churning') }),
  z.object({ ev: z.literal('churnStatus'), counts: ChurnCounts }),
  z.object({ ev: z.literal('churned'), counts: ChurnCounts, errors: ErrorCounts, failures: z.array(z.string()), reports: z.array(SenderReport) }),
  z.object({ ev: z.literal('closed') }),
  z.object({ ev: z.literal('failed'), message: z.string() }),
]);
export type WorkerEvent = z.infer<typeof WorkerEvent>;

/** Wall-clock milliseconds with sub-ms resolution, comparable across processes on one machine. */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}
