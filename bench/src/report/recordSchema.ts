/**
 * A zod schema of the records, to read a results file back
 * (`npm run bench -- --doc-from docs/perf/results.jsonl`). Checked against
 * the TypeScript types, so the two cannot drift apart.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DeliveryTotals } from '../ledger.ts';
import { ChurnCounts } from '../generator/ipc.ts';
import type { BenchRecord, MachineInfo } from './records.ts';

const Latency = z.object({
  count: z.number(),
  mean: z.number(),
  p50: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});

const Rate = z.object({
  offeredRate: z.number(),
  durationMs: z.number(),
  sent: z.number(),
  acked: z.number(),
  sentPerSec: z.number(),
  deliveredPerSec: z.number(),
  latency: Latency,
  ackLatency: Latency,
  deliveredToAll: Latency.optional(),
  totals: DeliveryTotals,
  errors: z.record(z.string(), z.number()),
  disconnects: z.number(),
  serverRssKiB: z.number(),
  serverCpuPct: z.number(),
  serverWaitPct: z.number().optional(),
  generatorCpuPct: z.number(),
  generatorSaturated: z.boolean(),
  generatorLag: z.object({ p99Ms: z.number(), maxMs: z.number() }).optional(),
});

const Connect = z.object({
  connected: z.number(),
  failed: z.number(),
  failures: z.array(z.string()),
  allReadyMs: z.number(),
  readyLatency: Latency,
});

const SoakSample = z.object({ atSec: z.number(), cycles: z.number(), rssKiB: z.number(), heapUsedKiB: z.number(), sockets: z.number() });

const Ramp = z.object({ steps: z.array(Rate), sustainedRate: z.number(), stopReason: z.string() });

const Base = {
  system: z.enum(['ecc', 'peer']),
  db: z.enum(['sqlite', 'postgres']),
  at: z.string(),
};

export const BenchRecordSchema = z.discriminatedUnion('scenario', [
  z.object({
    ...Base,
    scenario: z.literal('marketplace'),
    users: z.number(),
    roomsPerUser: z.number(),
    /** Recipients marked each message read as it arrived (`--reads`). */
    readReceipts: z.boolean().optional(),
    result: Rate,
  }),
  z.object({ ...Base, scenario: z.literal('ramp'), users: z.number(), roomsPerUser: z.number(), ...Ramp.shape }),
  z.object({
    ...Base,
    scenario: z.literal('idle'),
    users: z.number(),
    roomsPerUser: z.number(),
    baselineRssKiB: z.number(),
    connectedRssKiB: z.number(),
    perUserKiB: z.number(),
    connect: Connect,
  }),
  z.object({ ...Base, scenario: z.literal('storm'), users: z.number(), roomsPerUser: z.number(), connect: Connect, serverRssKiB: z.number() }),
  z.object({ ...Base, scenario: z.literal('group'), members: z.number(), result: Rate }),
  z.object({
    ...Base,
    scenario: z.literal('history'),
    messages: z.number(),
    seedSeconds: z.number(),
    limit: z.number(),
    /** Clients requesting at once, one request at a time each (records before this field: 2). */
    requesters: z.number().default(2),
    latency: Latency,
    storeLatency: Latency,
    errors: z.record(z.string(), z.number()),
  }),
  z.object({
    ...Base,
    scenario: z.literal('cluster'),
    users: z.number(),
    roomsPerUser: z.number(),
    single: Ramp,
    double: Ramp,
    ratio: z.number(),
  }),
  z.object({
    ...Base,
    scenario: z.literal('churn'),
    users: z.number(),
    roomsPerUser: z.number(),
    durationMs: z.number(),
    plan: z.object({ minLifeMs: z.number(), maxLifeMs: z.number(), secondTabShare: z.number(), sendEveryMs: z.number() }),
    baseline: SoakSample,
    samples: z.array(SoakSample),
    final: SoakSample,
    heapKiBPer1000Cycles: z.number().nullable(),
    rssKiBPer1000Cycles: z.number().nullable(),
    heapAtFixedSockets: z.object({ per1000Cycles: z.number(), perSocket: z.number() }).nullable().optional(),
    counts: ChurnCounts,
    totals: DeliveryTotals,
    errors: z.record(z.string(), z.number()),
    snapshots: z.array(z.string()).optional(),
  }),
  z.object({
    ...Base,
    scenario: z.literal('profile'),
    label: z.string(),
    profile: z.object({
      totalMs: z.number(),
      idlePct: z.number(),
      topFrames: z.array(z.object({ frame: z.string(), selfPct: z.number() })),
      areas: z.array(z.object({ area: z.string(), selfPct: z.number() })),
    }),
  }),
  z.object({ ...Base, scenario: z.literal('failed'), failedScenario: z.string(), error: z.string() }),
  z.object({
    scenario: z.literal('host'),
    at: z.string(),
    when: z.enum(['start', 'end']),
    cpus: z.string().nullable(),
    probe: z.object({ sqliteUsPerRow: z.number(), loopbackUsPerRoundTrip: z.number(), jsUsPerOp: z.number() }),
  }),
]) satisfies z.ZodType<BenchRecord>;

export const MachineSchema = z.object({
  nproc: z.number(),
  cpuModel: z.string(),
  memGiB: z.number(),
  node: z.string(),
  kernel: z.string(),
  loadAtStart: z.array(z.number()),
}) satisfies z.ZodType<MachineInfo>;

/** The header line of a results file: how the run was made. */
export const RunHeader = z.object({
  run: z.literal('header'),
  machine: MachineSchema,
  commands: z.array(z.string()),
  startedAt: z.string(),
  nice: z.number(),
  /** SQLite's synchronous mode of the servers (ours and the peer). Absent in files made while NORMAL was the default. */
  sqliteSynchronous: z.enum(['NORMAL', 'FULL']).optional(),
});
export type RunHeader = z.infer<typeof RunHeader>;

/**
 * Reads a results file: an optional header line, then one record per line.
 * `bytes` is the file as read, to keep it as it is (the parsed records have
 * their keys in the schema's order and its defaults filled in).
 */
export async function readResults(file: string): Promise<{ header: RunHeader | null; records: BenchRecord[]; finishedAt: string; bytes: Buffer }> {
  const bytes = await readFile(file);
  const lines = bytes.toString('utf8').split('\n').filter((l) => l.trim() !== '');
  let header: RunHeader | null = null;
  const records: BenchRecord[] = [];
  for (const line of lines) {
    const raw: unknown = JSON.parse(line);
    const asHeader = RunHeader.safeParse(raw);
    if (asHeader.success) header = asHeader.data;
    else records.push(BenchRecordSchema.parse(raw));
  }
  return { header, records, finishedAt: records.at(-1)?.at ?? '', bytes };
}
