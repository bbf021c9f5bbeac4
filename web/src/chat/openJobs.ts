/**
 * The open-jobs board as the socket tells it (`open_job`, cleaners only): a
 * small store beside the chat store, held by the controller and read through
 * ChatContext (useOpenJobs). It keeps each job's latest board change, numbered
 * in arrival order, so the jobs page can lay the changes heard since it
 * started reading its list over that list (`onBoard`): a change that came
 * while the list was loading is not lost, whichever the server read first.
 */
import { replacesBoardChange, type Job } from '@ecc/protocol';

/** Changes kept at most; a page whose list is older than the ones let go reads its list again. */
const MAX_CHANGES = 1000;

export interface BoardChange {
  job: Job;
  /** Its number in arrival order (the store's `version` when it came). */
  at: number;
}

export interface OpenJobsState {
  /** Job id → its latest change, oldest first. */
  changes: ReadonlyMap<number, BoardChange>;
  /** Number of the latest change (0: none yet). */
  version: number;
  /** Changes up to this number may have been let go (MAX_CHANGES): a list read before it needs reading again. */
  forgotten: number;
}

const EMPTY: OpenJobsState = { changes: new Map(), version: 0, forgotten: 0 };

export class OpenJobsStore {
  private state: OpenJobsState = EMPTY;
  private readonly listeners = new Set<() => void>();

  getState = (): OpenJobsState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /**
   * A job was posted (`open`) or left the board (any other status); `replaces` orders two changes of
   * one job (support staff's `job_changed`: jobChanges.ts).
   */
  apply(job: Job, replaces: (incoming: Job, held: Job) => boolean = replacesBoardChange): void {
    const held = this.state.changes.get(job.id);
    // A late "posted" (it came through another node) does not undo "taken".
    if (held && !replaces(job, held.job)) return;
    const version = this.state.version + 1;
    const changes = new Map(this.state.changes);
    changes.delete(job.id);
    changes.set(job.id, { job, at: version });
    let forgotten = this.state.forgotten;
    for (const [id, change] of changes) {
      if (changes.size <= MAX_CHANGES) break;
      changes.delete(id);
      forgotten = change.at;
    }
    this.set({ changes, version, forgotten });
  }

  /** Sign-out: nothing heard is kept. */
  reset(): void {
    if (this.state !== EMPTY) this.set(EMPTY);
  }

  private set(state: OpenJobsState): void {
    this.state = state;
    for (const listener of [...this.listeners]) listener();
  }
}

/** Newest first, as the server lists open jobs (then the higher id). */
function newerFirst(a: Job, b: Job): number {
  const at = a.createdAt ?? '';
  const bt = b.createdAt ?? '';
  return at === bt ? b.id - a.id : at < bt ? 1 : -1;
}

/**
 * `jobs` (a list read when the store was at `since`) with the board changes heard since: a job
 * posted is put among the open jobs at its place, one that left the board is taken out — unless
 * `keep` says the cleaner is acting on it (their own accept took it off the board: the answer,
 * and the list read after it, say what it became; until then it stays open, also one posted
 * live). Returns `jobs` itself when nothing applies.
 */
export function onBoard(jobs: readonly Job[], board: OpenJobsState, since: number, keep: (jobId: number) => boolean): readonly Job[] {
  let next = jobs;
  for (const { job, at } of board.changes.values()) {
    if (at <= since) continue;
    const index = next.findIndex((j) => j.id === job.id);
    if (job.status !== 'open') {
      if (keep(job.id)) {
        // Posted live (not in the list): its "posted" change was replaced by this one. Shown as it was
        // (a board change that left drops only the taker and the room, which an open job has not).
        if (index < 0) next = withOpen(next, { ...job, status: 'open', cleanerId: null, roomId: null });
      } else if (index >= 0 && next[index]?.status === 'open') {
        // Only its open copy goes: listed as the cleaner's own job (assigned to them) it stays.
        next = next.filter((_, i) => i !== index);
      }
    } else if (index < 0) {
      next = withOpen(next, job);
    }
  }
  return next;
}

/** `jobs` with the open `job` put among the open jobs at its place. */
function withOpen(jobs: readonly Job[], job: Job): readonly Job[] {
  return withJobInPlace(jobs, job, (j) => j.status === 'open');
}

/** `jobs` (newest first) with `job` put at its place among those `among` picks (all by default). */
export function withJobInPlace(jobs: readonly Job[], job: Job, among: (listed: Job) => boolean = () => true): readonly Job[] {
  const before = jobs.findIndex((j) => among(j) && newerFirst(job, j) < 0);
  return before < 0 ? [...jobs, job] : [...jobs.slice(0, before), job, ...jobs.slice(before)];
}
