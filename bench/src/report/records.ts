/** What each scenario reports: one record per run, printed as a JSON line and kept for the doc. */
import type { LatencySummary } from '../histogram.ts';
import type { ConnectResult, RateResult } from '../measure.ts';
import type { DbKind, SystemKind } from '../target.ts';
import type { HostProbe } from '../hostProbe.ts';
import type { ProfileSummary } from './profile.ts';
import type { DeliveryTotals } from '../ledger.ts';
import type { ChurnCounts } from '../generator/ipc.ts';
import type { SoakSample } from '../soakFit.ts';

interface Base {
  system: SystemKind;
  db: DbKind;
  /** ISO time the record was made. */
  at: string;
}

export type BenchRecord =
  | (Base & { scenario: 'marketplace'; users: number; roomsPerUser: number; readReceipts?: boolean; result: RateResult })
  | (Base & { scenario: 'ramp'; users: number; roomsPerUser: number } & RampOutcome)
  | (Base & {
      scenario: 'idle';
      users: number;
      roomsPerUser: number;
      baselineRssKiB: number;
      connectedRssKiB: number;
      perUserKiB: number;
      connect: ConnectResult;
    })
  | (Base & { scenario: 'storm'; users: number; roomsPerUser: number; connect: ConnectResult; serverRssKiB: number })
  | (Base & { scenario: 'group'; members: number; result: RateResult })
  | (Base & {
      scenario: 'history';
      messages: number;
      seedSeconds: number;
      limit: number;
      /** Clients requesting at once, one request at a time each. */
      requesters: number;
      /** Round trip over the socket. */
      latency: LatencySummary;
      /** `store.history` called directly in-process (the database's share). */
      storeLatency: LatencySummary;
      errors: Record<string, number>;
    })
  | (Base & {
      scenario: 'cluster';
      users: number;
      roomsPerUser: number;
      single: RampOutcome;
      double: RampOutcome;
      /** Sustained rate of two nodes over one node. */
      ratio: number;
    })
  | (Base & ChurnOutcome)
  | (Base & { scenario: 'profile'; label: string; profile: ProfileSummary })
  | (Base & { scenario: 'failed'; failedScenario: string; error: string })
  | HostRecord;

/** The host probe (hostProbe.ts) on the server's core at the start or the end of a run: what the host gave that day. */
export interface HostRecord {
  scenario: 'host';
  at: string;
  when: 'start' | 'end';
  /** The cores it was pinned to (null: not pinned). */
  cpus: string | null;
  probe: HostProbe;
}

/** Users connecting and disconnecting for a while: does the server give back what each connection took? */
export interface ChurnOutcome {
  scenario: 'churn';
  users: number;
  roomsPerUser: number;
  durationMs: number;
  /** How each socket lived: [min, max] ms, share with a second tab, mean ms between one user's messages. */
  plan: { minLifeMs: number; maxLifeMs: number; secondTabShare: number; sendEveryMs: number };
  /** Before anyone connected (after GC). */
  baseline: SoakSample;
  samples: SoakSample[];
  /** After every generator socket closed and a few seconds passed (after GC). */
  final: SoakSample;
  /** Slope over the samples after the first third, per 1,000 cycles (null: too few samples). */
  heapKiBPer1000Cycles: number | null;
  rssKiBPer1000Cycles: number | null;
  /** The heap's growth per 1,000 cycles with the open sockets of each sample held fixed, and KiB per open socket (soakFit.ts). */
  heapAtFixedSockets?: { per1000Cycles: number; perSocket: number } | null;
  counts: ChurnCounts;
  totals: DeliveryTotals;
  errors: Record<string, number>;
  /** Heap snapshots written (with BENCH_HEAP_SNAPSHOT_DIR). */
  snapshots?: string[];
}

export interface RampOutcome {
  steps: RateResult[];
  /** Highest offered rate that held p99 ≤ bound with nothing lost (0 if none). */
  sustainedRate: number;
  stopReason: string;
}

export type ScenarioName = 'marketplace' | 'ramp' | 'idle' | 'storm' | 'group' | 'history' | 'peer' | 'cluster' | 'churn';
export const SCENARIOS: readonly ScenarioName[] = ['marketplace', 'ramp', 'idle', 'storm', 'group', 'history', 'peer', 'cluster', 'churn'];

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memGiB: number;
  node: string;
  kernel: string;
  loadAtStart: number[];
}

export type ScenarioRecord<S extends BenchRecord['scenario']> = Extract<BenchRecord, { scenario: S }>;

/** The records of one scenario, typed as such. */
export const recordsOf = <S extends BenchRecord['scenario']>(records: BenchRecord[], scenario: S): ScenarioRecord<S>[] =>
  records.filter((r): r is ScenarioRecord<S> => r.scenario === scenario);

/** How many clients asked for history at once, in words. */
export const requesterCount = (n: number): string => (n === 1 ? 'one requester' : `${n} requesters at once`);

/** A cluster run's ratio as text; none when one node held no rate at all (0 would read as "two nodes are worse"). */
export function clusterRatio(r: { single: RampOutcome; ratio: number }): string {
  return r.single.sustainedRate > 0 ? `${r.ratio.toFixed(2)}×` : 'not measured (one node held no rate)';
}
