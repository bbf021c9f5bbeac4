/**
 * Runs several chat nodes on one machine with node:cluster: the primary forks
 * `WORKERS` workers (default: one per CPU), each a full node (`main.ts`) with
 * its own node id, all sharing the listening port, one PostgreSQL and one
 * Redis. The primary only supervises: it restarts a worker that dies (with a
 * growing delay if workers keep crashing) and stops them all on SIGTERM/SIGINT.
 *
 * Cluster mode requires DATABASE_URL and REDIS_URL: SQLite is single-process
 * and in-process fan-out cannot reach the other workers.
 *
 *   WORKERS=4 DATABASE_URL=postgres://… REDIS_URL=redis://… npm run start:cluster
 *   (or `WORKERS=4 … npm start`: main.ts hands over to cluster mode when WORKERS is set)
 */
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { pino, type Logger } from 'pino';

export interface ClusterSettings {
  workers: number;
}

/** Reads the cluster settings; throws an Error naming what is missing or wrong. */
export function clusterSettings(env: Record<string, string | undefined>): ClusterSettings {
  const problems: string[] = [];
  if (!env.DATABASE_URL?.trim()) problems.push('DATABASE_URL must point at PostgreSQL (SQLite is single-process)');
  if (!env.REDIS_URL?.trim()) problems.push('REDIS_URL must point at Redis (workers fan out to each other through it)');
  const raw = env.WORKERS?.trim();
  const workers = raw ? Number(raw) : os.availableParallelism();
  if (!Number.isSafeInteger(workers) || workers < 1 || workers > 256) problems.push(`WORKERS must be an integer from 1 to 256, got "${raw}"`);
  if (problems.length > 0) throw new Error(`Cannot start cluster mode:\n  ${problems.join('\n  ')}`);
  return { workers };
}

/** Delay before restarting a crashed worker: grows while workers die young, resets once one lives. */
export function restartDelayMs(recentCrashes: number): number {
  return Math.min(30_000, recentCrashes === 0 ? 0 : 250 * 2 ** (recentCrashes - 1));
}

/** A worker that lived this long is considered healthy; the crash streak resets. */
const STABLE_AFTER_MS = 30_000;
/** How long workers get to close their sockets on shutdown before being killed. */
const SHUTDOWN_GRACE_MS = 30_000;

export interface PrimaryOptions {
  settings: ClusterSettings;
  /** The worker entry point (a node's main module). */
  exec: string;
  logger: Logger;
}

/**
 * Starts the primary. The first worker is started alone and the others once a
 * worker listens (it or its replacement), so only one runs migrations and demo
 * seeding on an empty database.
 */
export function runPrimary({ settings, exec, logger }: PrimaryOptions): void {
  cluster.setupPrimary({ exec });
  let stopping = false;
  let crashStreak = 0;
  const startedAt = new Map<Worker, number>();

  const fork = (): Worker => {
    const worker = cluster.fork();
    startedAt.set(worker, Date.now());
    return worker;
  };

  fork();
  // Any worker's, not the first one's: a first worker that died before listening (the database down at boot)
  // is replaced by one that must start the others in its place.
  cluster.once('listening', (_worker, address) => {
    // A stop that came while the first was starting: no more to start (nor to be left unstopped).
    if (stopping) return;
    logger.info({ port: address.port, workers: settings.workers }, 'first worker listening; starting the others');
    for (let i = 1; i < settings.workers; i++) fork();
  });

  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? Date.now());
    startedAt.delete(worker);
    if (stopping) return;
    crashStreak = lived >= STABLE_AFTER_MS ? 1 : crashStreak + 1;
    const delay = restartDelayMs(crashStreak);
    logger.error({ pid: worker.process.pid, code, signal, livedMs: lived, restartInMs: delay }, 'worker died; restarting it');
    setTimeout(() => {
      if (!stopping) fork();
    }, delay);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    const workers = Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined);
    logger.info({ signal, workers: workers.length }, 'stopping workers');
    for (const worker of workers) worker.process.kill('SIGTERM');
    const deadline = setTimeout(() => {
      logger.error('workers did not stop in time; killing them');
      for (const worker of workers) worker.process.kill('SIGKILL');
    }, SHUTDOWN_GRACE_MS);
    deadline.unref();
    const check = setInterval(() => {
      if (Object.keys(cluster.workers ?? {}).length > 0) return;
      clearInterval(check);
      logger.info('all workers stopped');
      process.exit(0);
    }, 100);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * Starts cluster mode from environment variables, or exits with a message
 * naming what is missing. Runs in the primary only.
 */
export function startClusterFromEnv(env: Record<string, string | undefined> = process.env): void {
  const logger = pino({ level: env.LOG_LEVEL ?? 'info', base: { role: 'primary' } });
  let settings: ClusterSettings;
  try {
    settings = clusterSettings(env);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(2);
  }
  runPrimary({ settings, exec: fileURLToPath(new URL('./main.ts', import.meta.url)), logger });
}

const isEntryPoint = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;

if (isEntryPoint && cluster.isPrimary) startClusterFromEnv();
