/**
 * The benchmark scenarios. Each builds its own system under test (fresh
 * database, fixtures, server pinned to the server core, generators pinned to
 * the generator core), measures, tears everything down, and returns records.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadFixtures } from './fixtures.ts';
import { LatencyHistogram } from './histogram.ts';
import { connectUsers, offerRate } from './measure.ts';
import { GeneratorPool } from './pool.ts';
import { combined, type ServerProcess } from './procs.ts';
import { describeStep, rampSteps } from './rampSteps.ts';
import type { BenchRecord } from './report/records.ts';
import { summariseProfileDir } from './report/profile.ts';
import { seedHistoryRoom, timeStoreHistory } from './seedHistory.ts';
import { createDatabase, makeFixtures, settleIo, startSystem, type BenchDatabase, type DbKind, type SystemKind } from './target.ts';

export interface BenchOptions {
  db: DbKind;
  users: number;
  roomsPerUser: number;
  rate: number;
  durationMs: number;
  contentBytes: number;
  p99BoundMs: number;
  rampStart: number;
  rampFactor: number;
  /** After the first failed step, how many times the gap to the last sustained rate is halved. */
  rampRefineSteps: number;
  rampMaxRate: number;
  rampStepMs: number;
  /** The churn soak's length. */
  churnDurationMs: number;
  peerRampStart: number;
  idleSizes: number[];
  stormUsers: number;
  groupMembers: number;
  groupMessages: number;
  historyMessages: number;
  historyRequests: number;
  serverCpus: string | null;
  generatorCpus: string | null;
  /** Nice value for the server and generator processes (0: unchanged). */
  nice: number;
  profile: boolean;
  /** Marketplace: recipients also mark each message read as it arrives (ours only; the peer has no read marks). */
  reads: boolean;
  log: (line: string) => void;
}

export type Emit = (record: BenchRecord) => void;
type ExtraRoom = { id: number; participantIds: number[] };

export const now = (): string => new Date().toISOString();

/** Generators for `users` sockets: enough processes to stay far from the open-file limit. */
function generatorCount(users: number): number {
  return Math.min(6, Math.max(2, Math.ceil(users / 4000)));
}

export async function withDatabase<T>(kind: DbKind, fn: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const db = await createDatabase(kind);
  try {
    return await fn(db);
  } finally {
    await db.drop();
  }
}

export async function withServer<T>(
  system: SystemKind,
  db: BenchDatabase,
  options: BenchOptions,
  emit: Emit,
  label: string,
  fn: (server: ServerProcess) => Promise<T>,
  extra: { redis?: boolean; inspect?: boolean } = {},
): Promise<T> {
  const profileDir = options.profile ? await mkdtemp(path.join(os.tmpdir(), 'ecc-prof-')) : undefined;
  const server = await startSystem(system, db, { cpus: options.serverCpus, nice: options.nice, ...extra, ...(profileDir ? { cpuProfDir: profileDir } : {}) });
  try {
    return await fn(server);
  } finally {
    await server.stop();
    if (profileDir) {
      const profile = await summariseProfileDir(profileDir);
      if (profile) emit({ scenario: 'profile', system, db: db.kind, at: now(), label, profile });
      else options.log(`no CPU profile was written for ${label}`);
    }
  }
}

export async function withGenerators<T>(
  server: ServerProcess | string[],
  fixturePath: string,
  system: SystemKind,
  userLimit: number,
  options: BenchOptions,
  extraRooms: ExtraRoom[],
  fn: (pool: GeneratorPool) => Promise<T>,
): Promise<T> {
  const pool = GeneratorPool.start(generatorCount(userLimit), options.generatorCpus, options.nice);
  const baseUrls = Array.isArray(server) ? server : [server.baseUrl];
  try {
    await pool.all('inited', (workerIndex) => ({
      cmd: 'init',
      fixturePath,
      workerIndex,
      workerCount: pool.size,
      userLimit,
      baseUrls,
      protocol: system === 'peer' ? 'sio' : 'ecc',
      extraRooms,
    }));
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

export async function connectAllOrThrow(pool: GeneratorPool, expected: number, maxInFlight = 100) {
  const connect = await connectUsers(pool, maxInFlight);
  if (connect.failed > 0 || connect.connected !== expected) {
    throw new Error(`${connect.failed} of ${expected} users could not connect: ${connect.failures.join('; ')}`);
  }
  return connect;
}

/** A fixed rate on the marketplace scenario, for `systems` on one database and one set of fixtures. */
export async function marketplace(options: BenchOptions, emit: Emit, systems: SystemKind[]): Promise<void> {
  if (options.reads && systems.includes('peer')) throw new Error('--reads: the Socket.IO peer has no read marks');
  await withDatabase(options.db, async (db) => {
    const fixturePath = await makeFixtures(db, options.users, options.roomsPerUser);
    for (const system of systems) {
      await withServer(system, db, options, emit, `marketplace ${system} ${options.rate}/s`, (server) =>
        withGenerators(server, fixturePath, system, options.users, options, [], async (pool) => {
          await connectAllOrThrow(pool, options.users);
          const result = await offerRate(pool, server, {
            rate: options.rate,
            durationMs: options.durationMs,
            contentBytes: options.contentBytes,
            readReceipts: options.reads,
          });
          const label = options.reads ? 'marketplace with reads' : 'marketplace';
          options.log(`${label} ${system}/${options.db}: ${describeStep(result)}`);
          const readReceipts = options.reads ? { readReceipts: true } : {};
          emit({ scenario: 'marketplace', system, db: options.db, at: now(), users: options.users, roomsPerUser: options.roomsPerUser, ...readReceipts, result });
        }),
      );
    }
  });
}

/** Raises the rate step by step until p99 passes the bound or anything is lost. */
export async function ramp(options: BenchOptions, emit: Emit, systems: SystemKind[]): Promise<void> {
  await withDatabase(options.db, async (db) => {
    const fixturePath = await makeFixtures(db, options.users, options.roomsPerUser);
    for (const system of systems) {
      await withServer(system, db, options, emit, `ramp ${system}`, (server) =>
        withGenerators(server, fixturePath, system, options.users, options, [], async (pool) => {
          await connectAllOrThrow(pool, options.users);
          const start = system === 'peer' ? options.peerRampStart : options.rampStart;
          const outcome = await rampSteps(pool, server, options, start, `ramp ${system}/${options.db}`);
          emit({ scenario: 'ramp', system, db: options.db, at: now(), users: options.users, roomsPerUser: options.roomsPerUser, ...outcome });
        }),
      );
    }
  });
}

/**
 * One node vs two nodes behind Redis on PostgreSQL. Users alternate between
 * the nodes, so every pair room spans both and every message crosses Redis.
 * One node: node on core 0, generators on core 1. Two nodes: one per core,
 * generators unpinned — on two cores the second node competes with the
 * generators, which the doc states next to the figure.
 */
export async function cluster(options: BenchOptions, emit: Emit): Promise<void> {
  await withDatabase('postgres', async (db) => {
    const fixturePath = await makeFixtures(db, options.users, options.roomsPerUser);
    const single = await withServer('ecc', db, options, emit, 'cluster: one node', (node) =>
      withGenerators(node, fixturePath, 'ecc', options.users, options, [], async (pool) => {
        await connectAllOrThrow(pool, options.users);
        return rampSteps(pool, node, options, options.rampStart, 'cluster one node');
      }),
      { redis: true },
    );
    const cores = options.serverCpus === null ? [null, null] : ['0', '1'];
    const nodeA = await startSystem('ecc', db, { cpus: cores[0] ?? null, nice: options.nice, redis: true });
    try {
      const nodeB = await startSystem('ecc', db, { cpus: cores[1] ?? null, nice: options.nice, redis: true });
      try {
        const double = await withGenerators([nodeA.baseUrl, nodeB.baseUrl], fixturePath, 'ecc', options.users, { ...options, generatorCpus: null }, [], async (pool) => {
          await connectAllOrThrow(pool, options.users);
          return rampSteps(pool, combined([nodeA, nodeB]), options, options.rampStart, 'cluster two nodes');
        });
        const ratio = single.sustainedRate > 0 ? double.sustainedRate / single.sustainedRate : 0;
        options.log(`cluster: one node ${single.sustainedRate}/s, two nodes ${double.sustainedRate}/s (${ratio.toFixed(2)}×)`);
        emit({ scenario: 'cluster', system: 'ecc', db: 'postgres', at: now(), users: options.users, roomsPerUser: options.roomsPerUser, single, double, ratio });
      } finally {
        await nodeB.stop();
      }
    } finally {
      await nodeA.stop();
    }
  });
}

/** Memory per idle connected user, each size on a fresh server. */
export async function idle(options: BenchOptions, emit: Emit): Promise<void> {
  const largest = Math.max(...options.idleSizes);
  await withDatabase(options.db, async (db) => {
    const fixturePath = await makeFixtures(db, largest, options.roomsPerUser);
    for (const users of options.idleSizes) {
      await withServer('ecc', db, { ...options, profile: false }, emit, `idle ${users}`, async (server) => {
        await settleQuietly(3000);
        const baselineRssKiB = await server.rssKiB();
        await withGenerators(server, fixturePath, 'ecc', users, options, [], async (pool) => {
          const connect = await connectAllOrThrow(pool, users);
          await settleQuietly(5000);
          const connectedRssKiB = await server.rssKiB();
          const perUserKiB = (connectedRssKiB - baselineRssKiB) / users;
          options.log(`idle ${users} users: RSS ${baselineRssKiB} → ${connectedRssKiB} KiB = ${perUserKiB.toFixed(1)} KiB/user`);
          emit({ scenario: 'idle', system: 'ecc', db: options.db, at: now(), users, roomsPerUser: options.roomsPerUser, baselineRssKiB, connectedRssKiB, perUserKiB, connect });
        });
      });
    }
  });
}

/** Everyone connects at once: time until the last user has its `ready`. */
export async function storm(options: BenchOptions, emit: Emit): Promise<void> {
  const users = options.stormUsers;
  await withDatabase(options.db, async (db) => {
    const fixturePath = await makeFixtures(db, users, options.roomsPerUser);
    await withServer('ecc', db, options, emit, `storm ${users}`, (server) =>
      withGenerators(server, fixturePath, 'ecc', users, options, [], async (pool) => {
        const connect = await connectAllOrThrow(pool, users, 250);
        const serverRssKiB = await server.rssKiB();
        options.log(`storm ${users} users: all ready in ${connect.allReadyMs.toFixed(0)} ms (ready p99 ${connect.readyLatency.p99.toFixed(0)} ms)`);
        emit({ scenario: 'storm', system: 'ecc', db: options.db, at: now(), users, roomsPerUser: options.roomsPerUser, connect, serverRssKiB });
      }),
    );
  });
}

/** One message at a time to a big general room: latency until every member has it. */
export async function group(options: BenchOptions, emit: Emit): Promise<void> {
  const members = options.groupMembers;
  await withDatabase(options.db, async (db) => {
    // The fixtures command's --group-size makes the general room of the first `members` users.
    const fixturePath = await makeFixtures(db, members, 1, members);
    const fixtures = await loadFixtures(fixturePath);
    const room = fixtures.rooms.find((r) => r.participantIds.length === members);
    if (!room) throw new Error(`the fixtures have no ${members}-member room`);
    const senders = room.participantIds.slice(0, 10).map((userId) => ({ userId, roomId: room.id }));
    const rate = 10;
    await withServer('ecc', db, options, emit, `group ${members}`, (server) =>
      withGenerators(server, fixturePath, 'ecc', members, options, [], async (pool) => {
        await connectAllOrThrow(pool, members);
        const result = await offerRate(pool, server, {
          rate,
          durationMs: Math.ceil((options.groupMessages / rate) * 1000),
          contentBytes: options.contentBytes,
          senders,
          perMessage: true,
        });
        options.log(
          `group ${members} members: delivered-to-all p50 ${result.deliveredToAll?.p50.toFixed(1)} p99 ${result.deliveredToAll?.p99.toFixed(1)} ms, lost ${result.totals.lost}`,
        );
        emit({ scenario: 'group', system: 'ecc', db: options.db, at: now(), members, result });
      }),
    );
  });
}

/** Unrecorded requests per client before the measured ones (the store-only timing warms up the same way). */
const HISTORY_WARMUP_REQUESTS = 200;

/** History pages deep inside a room of `historyMessages` messages, one request at a time per client. */
export async function history(options: BenchOptions, emit: Emit): Promise<void> {
  const total = options.historyMessages;
  const limit = 50;
  await withDatabase(options.db, async (db) => {
    const fixturePath = await makeFixtures(db, 2, 1);
    const fixtures = await loadFixtures(fixturePath);
    const [a, b] = fixtures.users;
    if (!a || !b) throw new Error('fixtures without two users');
    const memberIds: [number, number] = [a.id, b.id];
    const { roomId, seconds: seedSeconds } = await seedHistoryRoom(
      { databaseUrl: db.databaseUrl, dataDir: db.dataDir },
      memberIds,
      total,
    );
    options.log(`history: seeded ${total} messages in ${seedSeconds.toFixed(1)} s`);
    await settleIo(db);
    const storeLatency = (
      await timeStoreHistory({ databaseUrl: db.databaseUrl, dataDir: db.dataDir }, roomId, total, options.historyRequests, limit, HISTORY_WARMUP_REQUESTS)
    ).summary();
    options.log(`history: store.history alone p50 ${storeLatency.p50.toFixed(2)} p99 ${storeLatency.p99.toFixed(2)} ms`);
    await withServer('ecc', db, options, emit, `history ${total}`, (server) =>
      withGenerators(server, fixturePath, 'ecc', 2, options, [{ id: roomId, participantIds: memberIds }], async (pool) => {
        await connectAllOrThrow(pool, 2);
        // One requester measures a request's latency; two measure it with the server busy answering the other.
        for (const requesters of [1, 2]) {
          const answers = await pool.all('history', (workerIndex) => ({
            cmd: 'history',
            roomId,
            requests: workerIndex < requesters ? Math.ceil(options.historyRequests / requesters) : 0,
            warmup: workerIndex < requesters ? HISTORY_WARMUP_REQUESTS : 0,
            maxSeq: total,
            limit,
          }));
          const latency = new LatencyHistogram();
          const errors: Record<string, number> = {};
          for (const answer of answers) {
            latency.merge(LatencyHistogram.fromJSON(answer.latency));
            for (const [code, n] of Object.entries(answer.errors)) errors[code] = (errors[code] ?? 0) + n;
          }
          const summary = latency.summary();
          options.log(
            `history ${limit} before a random seq of ${total}, ${requesters} requester(s): p50 ${summary.p50.toFixed(2)} p99 ${summary.p99.toFixed(2)} ms`,
          );
          emit({ scenario: 'history', system: 'ecc', db: options.db, at: now(), messages: total, seedSeconds, limit, requesters, latency: summary, storeLatency, errors });
        }
      }),
    );
  });
}

export function settleQuietly(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
