/**
 * The system under test: a fresh database (an SQLite file in a temp dir, or a
 * PostgreSQL database created for the run and dropped after), load fixtures
 * made by the project's own fixtures command, and the server process — ours
 * or the Socket.IO reference peer — pinned to the server core.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { run, startServer, type ServerProcess } from './procs.ts';

export type DbKind = 'sqlite' | 'postgres';
export type SystemKind = 'ecc' | 'peer';

export const PG_ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchDatabase {
  kind: DbKind;
  /** DATA_DIR (and DATABASE_URL for PostgreSQL) for every process of the run. */
  env: Record<string, string>;
  dataDir: string;
  databaseUrl: string | undefined;
  drop(): Promise<void>;
}

export async function createDatabase(kind: DbKind): Promise<BenchDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-bench-'));
  if (kind === 'sqlite') {
    return {
      kind,
      env: { DATA_DIR: dataDir },
      dataDir,
      databaseUrl: undefined,
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const name = `ecc_bench_${Date.now().toString(36)}_${process.pid}`;
  await run('psql', [PG_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const databaseUrl = PG_ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
  return {
    kind,
    env: { DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    dataDir,
    databaseUrl,
    drop: async () => {
      await run('psql', [PG_ADMIN_URL, '-qc', `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`]);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `npm run fixtures` against the database (with a general room of the first `groupSize` users); returns the JSON file's path. */
export async function makeFixtures(db: BenchDatabase, users: number, roomsPerUser: number, groupSize = 0): Promise<string> {
  const out = path.join(db.dataDir, `fixtures-${users}x${roomsPerUser}g${groupSize}.json`);
  const flags = ['--users', String(users), '--rooms-per-user', String(roomsPerUser), '--out', out];
  if (groupSize > 0) flags.push('--group-size', String(groupSize));
  // BENCH_FIXTURES_SCRIPT: another script with the same flags (only for testing the bench itself).
  const script = process.env.BENCH_FIXTURES_SCRIPT;
  if (script) await run(process.execPath, ['--import', 'tsx', script, ...flags], db.env);
  else await run('npm', ['run', '--silent', 'fixtures', '--', ...flags], db.env);
  await settleIo(db);
  return out;
}

/**
 * Writes out what earlier work left for the disk — PostgreSQL's dirty
 * buffers (CHECKPOINT) and the kernel's dirty pages (sync) — so the next
 * measurement does not pay for it: a million seeded rows flushed in the
 * background made every PostgreSQL commit of the next scenario wait on a busy disk.
 */
export async function settleIo(db: BenchDatabase): Promise<void> {
  if (db.kind === 'postgres') await run('psql', [PG_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', 'CHECKPOINT']);
  await run('sync', []);
}

export interface SystemOptions {
  cpus: string | null;
  nice?: number;
  /** Write a V8 CPU profile of the server to this directory. */
  cpuProfDir?: string;
  /** Use Redis fan-out (our server) — the peer always uses its Redis adapter. */
  redis?: boolean;
  /** Open the V8 inspector on a free loopback port (heap after GC, heap snapshots). */
  inspect?: boolean;
}

/**
 * Starts our server the README's way (`tsx server/src/main.ts`) or the peer.
 * The per-user send rate limit is an anti-abuse limit, not a capacity one,
 * so it is raised for load runs; every other limit stays at its default.
 */
export function startSystem(kind: SystemKind, db: BenchDatabase, options: SystemOptions): Promise<ServerProcess> {
  const nodeFlags = [
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`] : []),
    ...(options.inspect ? ['--inspect=127.0.0.1:0'] : []),
  ];
  const common = { ...db.env, LOG_LEVEL: 'warn', NODE_ENV: 'production' };
  if (kind === 'peer') {
    return startServer({
      script: 'bench/peer/server.ts',
      env: { ...common, REDIS_URL },
      cpus: options.cpus,
      nice: options.nice ?? 0,
      nodeFlags,
      readyPath: '/healthz',
    });
  }
  return startServer({
    script: 'server/src/main.ts',
    env: {
      ...common,
      SEED_DEMO: '0',
      SEND_RATE_LIMIT: '1000000',
      ...(options.redis ? { REDIS_URL } : {}),
    },
    cpus: options.cpus,
    nice: options.nice ?? 0,
    nodeFlags,
    readyPath: '/healthz',
  });
}
