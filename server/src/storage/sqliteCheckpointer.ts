/**
 * WAL checkpoints off the event loop. A checkpoint copies the WAL's pages
 * into the database file and fsyncs it; run by the committing connection
 * (SQLite's default, every 1,000 pages) it blocked the event loop for
 * milliseconds every few hundred messages. Here the main connection never
 * checkpoints; a worker thread with its own connection runs PASSIVE
 * checkpoints (they never block writers) on a timer.
 *
 * Under steady writes a PASSIVE checkpoint never reaches the last frame, so
 * the WAL would never start over and would grow without bound (a long WAL
 * makes every page read slower). Past a bound the worker asks for a RESTART,
 * which blocks writers while it runs; the main thread grants it before its
 * next write (`beforeWrite`), so the write waits asynchronously instead of
 * the whole event loop sleeping in SQLite's busy handler, and no transaction
 * of the main connection is open for the RESTART to wait on.
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
// Lowest priority for this thread only (on Linux the calling thread's): copying pages into the file
// must not take the core from the thread answering sockets; it catches up whenever that one idles.
try { require('node:os').setPriority(19); } catch {}
const db = new SQLite(workerData.file);
db.pragma('busy_timeout = 5000');
const checkpoint = (mode) => db.pragma('wal_checkpoint(' + mode + ')')[0];
let restartAsked = false;
const timer = setInterval(() => {
  // PASSIVE passes go on while a RESTART waits to be granted: if sends stop, they catch up with
  // the last frame and the next write of any kind begins the WAL again by itself.
  if (checkpoint('PASSIVE').log > workerData.restartFrames && !restartAsked) {
    restartAsked = true;
    parentPort.postMessage('restart-wanted'); // granted by the main thread before its next write
  }
}, workerData.intervalMs);
parentPort.on('message', (message) => {
  if (message === 'restart') {
    // Copies the few frames written since the PASSIVE pass; the next write begins the WAL again.
    checkpoint('RESTART');
    restartAsked = false;
    parentPort.postMessage('restarted');
    return;
  }
  clearInterval(timer);
  checkpoint('PASSIVE');
  db.close();
  parentPort.close();
});
`;

export interface CheckpointerOptions {
  intervalMs?: number;
  /** WAL frames past which the WAL is made to start over. */
  restartFrames?: number;
  onError?: (err: Error) => void;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private exited = false;
  private restartWanted = false;
  private restarting: { done: Promise<void>; finish: () => void } | null = null;

  constructor(
    private readonly raw: SQLite.Database,
    file: string,
    { intervalMs = 250, restartFrames = RESTART_FRAMES, onError = (err) => console.error('sqlite checkpointer failed', err) }: CheckpointerOptions = {},
  ) {
    raw.pragma('wal_autocheckpoint = 0');
    raw.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driverPath, file, intervalMs, restartFrames } });
    this.worker.on('message', (message) => {
      if (message === 'restart-wanted') this.restartWanted = true;
      else if (message === 'restarted') this.endRestart();
    });
    this.worker.on('error', (err) => {
      onError(err);
      this.fallBack();
    });
    this.worker.on('exit', () => {
      this.exited = true;
      this.endRestart();
      this.fallBack();
    });
    // Not keeping the process alive: stop() references it again while it finishes.
    this.worker.unref();
  }

  /**
   * Call before a write while no transaction of the main connection is open.
   * Null (write now) unless the worker asked to make the WAL start over; then
   * the RESTART runs and the promise resolves when it is done.
   */
  beforeWrite(): Promise<void> | null {
    if (this.restarting) return this.restarting.done;
    if (!this.restartWanted || this.exited || this.stopped) return null;
    this.restartWanted = false;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.restarting = { done, finish };
    this.worker.postMessage('restart');
    return done;
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

  private endRestart(): void {
    const restarting = this.restarting;
    this.restarting = null;
    restarting?.finish();
  }

  private fallBack(): void {
    if (this.stopped || !this.raw.open) return;
    this.raw.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}
