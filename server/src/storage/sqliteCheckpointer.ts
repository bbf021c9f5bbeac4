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
 * If the worker dies, the main connection checkpoints again by itself. If it
 * lives but cannot keep up — at its low priority it gets next to no CPU on a
 * saturated core — a guard on the main thread sees the WAL file pass a hard
 * bound and runs the RESTART itself before the next write: a pause of the
 * event loop, but the WAL stays bounded.
 */
import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** SQLite's own default, restored on the main connection if the worker is gone. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;
/** The WAL is truncated back to this size after a checkpoint lets it restart. */
const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
/** WAL frames (pages) past which the worker makes the WAL start over (~16 MiB of 4 KiB pages). */
const RESTART_FRAMES = 4000;
/** Past this many times RESTART_FRAMES the worker is not keeping up, and the main thread checkpoints. */
const HARD_BOUND_FACTOR = 8;
/** How often the main thread looks at the WAL file's size. */
const GUARD_MS = 1000;

// Plain CommonJS so the worker needs no TypeScript loader.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.driverPath);
// Lowest priority for this thread only (on Linux the calling thread's): copying pages into the file
// must not take the core from the thread answering sockets; it catches up whenever that one idles.
if (workerData.lowPriority) try { require('node:os').setPriority(19); } catch {}
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
  /** How often the main thread checks that the WAL stays under its hard bound. */
  guardMs?: number;
  /** The WAL file is truncated back to this size when it starts over. */
  walSizeLimitBytes?: number;
  /** Run the worker at the lowest priority (default). */
  lowPriority?: boolean;
  onError?: (err: Error) => void;
}

export class SqliteCheckpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private exited = false;
  private restartWanted = false;
  private restarting: { done: Promise<void>; finish: () => void } | null = null;
  /** Set by the guard: the worker is behind, the main thread checkpoints before its next write. */
  private overBound = false;
  private readonly guard: NodeJS.Timeout;

  constructor(
    private readonly raw: SQLite.Database,
    file: string,
    {
      intervalMs = 250,
      restartFrames = RESTART_FRAMES,
      guardMs = GUARD_MS,
      walSizeLimitBytes = WAL_SIZE_LIMIT_BYTES,
      lowPriority = true,
      onError = (err) => console.error('sqlite checkpointer failed', err),
    }: CheckpointerOptions = {},
  ) {
    raw.pragma('wal_autocheckpoint = 0');
    raw.pragma(`journal_size_limit = ${walSizeLimitBytes}`);
    const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driverPath, file, intervalMs, restartFrames, lowPriority } });
    // Above the size a WAL that started over is truncated back to, or the guard would fire again and again.
    const pageBytes = Number(raw.pragma('page_size', { simple: true }));
    const hardBoundBytes = Math.max(HARD_BOUND_FACTOR * restartFrames * pageBytes, 2 * walSizeLimitBytes);
    this.guard = setInterval(() => {
      this.overBound = walBytes(`${file}-wal`) > hardBoundBytes;
    }, guardMs);
    this.guard.unref();
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
    if (this.overBound && !this.stopped) {
      // The worker is not keeping up: pause here rather than let the WAL grow (see the header).
      this.overBound = false;
      this.raw.pragma('wal_checkpoint(RESTART)');
      return null;
    }
    if (!this.restartWanted || this.exited || this.stopped) return null;
    this.restartWanted = false;
    let finish!: () => void;
    const done = new Promise<void>((resolve) => (finish = resolve));
    this.restarting = { done, finish };
    // Referenced while the writer waits on it: with no socket or timer of its own (a CLI, a script),
    // an unreferenced worker would let the process exit in the middle of its writes.
    this.worker.ref();
    this.worker.postMessage('restart');
    return done;
  }

  /** Runs a last checkpoint and ends the worker. */
  stop(): Promise<void> {
    clearInterval(this.guard);
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
    if (restarting && !this.stopped) this.worker.unref();
    restarting?.finish();
  }

  private fallBack(): void {
    if (this.stopped || !this.raw.open) return;
    this.raw.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
  }
}

/** The WAL file's size; 0 when it does not exist (yet). */
function walBytes(walFile: string): number {
  try {
    return statSync(walFile).size;
  } catch {
    return 0;
  }
}
