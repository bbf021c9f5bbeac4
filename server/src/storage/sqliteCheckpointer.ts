/**
 * WAL checkpoints off the event loop. A checkpoint copies the WAL's pages
 * into the database file and fsyncs it; run by the committing connection
 * (SQLite's default, every 1,000 pages) it blocked the event loop for
 * milliseconds every few hundred messages. Here the main connection never
 * checkpoints; a worker thread with its own connection runs PASSIVE
 * checkpoints (they never block writers) on a timer, and a short RESTART
 * one when the WAL has grown past a bound, so it starts over instead of
 * growing (a long WAL makes every page read slower).
 *
 * If the worker dies, the main connection checkpoints again by itself, so
 * the WAL never grows without bound.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** SQLite's own default, restored on the main connection if the worker is gone. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** The WAL is truncated back to this size after a checkpoint lets it restart. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/** WAL frames (pages) past which the worker makes the WAL start over (~16 MiB of 4 KiB pages). */
const RESTART_FRAMES = 4000;

// Plain CommonJS so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driverPath);
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = (mode) => db.pragma('wal_checkpoint(' + mode + ')')[0];
const timer = setInterval(() => {
  // Under steady writes a PASSIVE checkpoint never catches up with the last frame, so the WAL
  // would never start over. Past the limit, RESTART: it copies the few frames written since the
  // PASSIVE pass while writers wait, and lets the next write begin the WAL again.
  if (checkpoint('PASSIVE').log > workerData.restartFrames) checkpoint('RESTART');
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint('PASSIVE');
  db.close();
  parentPort.close();
});
`;

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private exited = false;

  constructor(
    private readonly raw: SQLite.Database,
    file: string,
    intervalMs = 250,
    onError: (err: Error) => void = (err) => console.error('sqlite checkpointer failed', err),
  ) {
    raw.pragma('wal_autocheckpoint = 0');
    raw.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driverPath, file, intervalMs, restartFrames: RESTART_FRAMES } });
    this.worker.on('error', (err) => {
      onError(err);
      this.fallBack();
    });
    this.worker.on('exit', () => {
      this.exited = true;
      this.fallBack();
    });
    // Not keeping the process alive: stop() references it again while it finishes.
    this.worker.unref();
  }

  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void> {
    this.stopped ??= new Promise<void>((resolve) => {
      if (this.exited) return resolve();
      this.worker.once('exit', () => resolve());
      // Referenced again: an unreferenced worker would let the process exit before this resolves.
      this.worker.ref();
      this.worker.postMessage('stop');
    });
    return this.stopped;
  }

  private fallBack(): void {
    if (this.stopped || !this.raw.open) return;
    this.raw.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}
