/**
 * The churn ("busy evening") soak: users keep connecting and disconnecting —
 * each socket lives a random 2–20 s, then the same user connects again, some
 * with a second tab — while they send, mark read and type. Every few seconds
 * the server's RSS, its V8 heap after a forced GC and its open sockets are
 * sampled; the verdict is the heap's growth per 1,000 connect/disconnect
 * cycles after warm-up, and the ledger's loss and duplicate counts across all
 * the reconnects (each user catches up with `history {afterSeq}` as a client does).
 */
import path from 'node:path';
import { Inspector, inspectorUrl } from './inspector.ts';
import { addCounts, addTotals, EMPTY_TOTALS } from './ledger.ts';
import { socketCount, type ServerProcess } from './procs.ts';
import type { ChurnOutcome } from './report/records.ts';
import { now, settleQuietly, withDatabase, withGenerators, withServer, type BenchOptions, type Emit } from './scenarios.ts';
import { growthAtFixedSockets, growthPer1000Cycles, type SoakSample } from './soakFit.ts';
import { makeFixtures } from './target.ts';
import type { ChurnCounts } from './generator/ipc.ts';

const PLAN = { minLifeMs: 2000, maxLifeMs: 20_000, secondTabShare: 0.2, sendEveryMs: 10_000 };

/** About fifteen samples a run, 5–30 s apart. */
export const sampleEverySec = (durationSec: number): number => Math.min(30, Math.max(5, Math.round(durationSec / 15)));

const NO_COUNTS: ChurnCounts = { cycles: 0, connects: 0, connectFailures: 0, unexpectedCloses: 0, sent: 0, resent: 0, acked: 0, historyPages: 0 };
const sumCounts = (all: ChurnCounts[]): ChurnCounts => all.reduce((a, b) => addCounts(a, b), NO_COUNTS);

export async function churn(options: BenchOptions, emit: Emit): Promise<void> {
  const users = options.users;
  const durationSec = options.churnDurationMs / 1000;
  const everySec = sampleEverySec(durationSec);
  const snapshotDir = process.env.BENCH_HEAP_SNAPSHOT_DIR;
  await withDatabase(options.db, async (db) => {
    const fixturePath = await makeFixtures(db, users, options.roomsPerUser);
    await withServer('ecc', db, options, emit, `churn ${users}`, async (server) => {
      const inspector = await Inspector.open(inspectorUrl(server.stderrTail()));
      try {
        const sample = (atSec: number, cycles: number): Promise<SoakSample> => sampleServer(server, inspector, atSec, cycles);
        const snapshots: string[] = [];
        const snapshot = async (name: string): Promise<void> => {
          if (!snapshotDir) return;
          const file = path.join(snapshotDir, `churn-${options.db}-${name}.heapsnapshot`);
          await inspector.writeHeapSnapshot(file);
          snapshots.push(file);
        };
        await settleQuietly(3000);
        const baseline = await sample(0, 0);
        await snapshot('before');
        const runTag = `c${Date.now().toString(36)}`;
        const run = await withGenerators(server, fixturePath, 'ecc', users, options, [], async (pool) => {
          await pool.all('churning', () => ({ cmd: 'churn', runTag, ...PLAN, contentBytes: options.contentBytes }));
          const t0 = performance.now();
          const samples: SoakSample[] = [];
          const sampleCount = Math.max(1, Math.floor(durationSec / everySec));
          for (let i = 1; i <= sampleCount; i += 1) {
            await settleQuietly(Math.max(0, t0 + i * everySec * 1000 - performance.now()));
            const counts = sumCounts((await pool.all('churnStatus', () => ({ cmd: 'churnStatus' }))).map((e) => e.counts));
            const s = await sample((performance.now() - t0) / 1000, counts.cycles);
            samples.push(s);
            options.log(`churn ${options.db} ${s.atSec.toFixed(0)} s: ${s.cycles} cycles, heap ${(s.heapUsedKiB / 1024).toFixed(1)} MiB, RSS ${(s.rssKiB / 1024).toFixed(0)} MiB, ${s.sockets} sockets`);
            // A snapshot where the fit starts and one at the end: what grew between them is what holds the growth.
            if (i === Math.ceil(sampleCount / 3)) await snapshot('warm');
          }
          await snapshot('end');
          const stopped = await pool.all('churned', () => ({ cmd: 'churnStop' }));
          const reports = stopped.flatMap((e) => e.reports);
          const settled = await pool.all('settled', () => ({ cmd: 'settle', runTag, reports, timeoutMs: 15_000, perMessage: false }));
          const errors: Record<string, number> = {};
          for (const e of stopped) for (const [code, n] of Object.entries(e.errors)) errors[code] = (errors[code] ?? 0) + n;
          const failures = stopped.flatMap((e) => e.failures);
          if (failures.length > 0) options.log(`churn: connect failures, e.g. ${failures.slice(0, 3).join('; ')}`);
          return {
            samples,
            counts: sumCounts(stopped.map((e) => e.counts)),
            totals: settled.reduce((t, e) => addTotals(t, e.totals), EMPTY_TOTALS),
            errors,
            durationMs: performance.now() - t0,
          };
        });
        // Everyone gone: what the server still holds of them.
        await settleQuietly(5000);
        const final = await sample(run.durationMs / 1000, run.counts.cycles);
        // Against 'before': what the server keeps of users who all left.
        await snapshot('gone');
        const record: ChurnOutcome = {
          scenario: 'churn',
          users,
          roomsPerUser: options.roomsPerUser,
          durationMs: Math.round(run.durationMs),
          plan: PLAN,
          baseline,
          samples: run.samples,
          final,
          heapKiBPer1000Cycles: growthPer1000Cycles(run.samples, (s) => s.heapUsedKiB),
          rssKiBPer1000Cycles: growthPer1000Cycles(run.samples, (s) => s.rssKiB),
          heapAtFixedSockets: growthAtFixedSockets(run.samples, (s) => s.heapUsedKiB),
          counts: run.counts,
          totals: run.totals,
          errors: run.errors,
          ...(snapshots.length > 0 ? { snapshots } : {}),
        };
        emit({ ...record, system: 'ecc', db: options.db, at: now() });
      } finally {
        inspector.close();
      }
    }, { inspect: true });
  });
}

async function sampleServer(server: ServerProcess, inspector: Inspector, atSec: number, cycles: number): Promise<SoakSample> {
  const heapUsedKiB = (await inspector.heapUsedAfterGc()) / 1024;
  return { atSec, cycles, rssKiB: await server.rssKiB(), heapUsedKiB, sockets: await socketCount(server.pid) };
}
