/**
 * Support staff's jobs page, live: the socket's `job_changed` frames (every job posted, accepted or
 * moved along) are kept in the same store as a cleaner's board changes (openJobs.ts; a socket hears
 * one kind or the other), and laid over the list read when the store was at `since`.
 */
import type { Job } from '@ecc/protocol';
import { withJobInPlace, type OpenJobsState } from './openJobs.ts';

/** How far along a job is; a status a later server adds counts as the furthest (it came after). */
const STEP: Record<string, number> = { open: 0, assigned: 1, in_progress: 2, completed: 3, cancelled: 3 };
const stepOf = (job: Pick<Job, 'status'>) => STEP[job.status] ?? 4;

/** Whether `incoming` is the job as it is now rather than `held`: a job never goes back (frames through two nodes may cross). */
export function replacesJobChange(incoming: Pick<Job, 'status'>, held: Pick<Job, 'status'>): boolean {
  return stepOf(incoming) >= stepOf(held);
}

/**
 * `jobs` with the changes heard since `since`: a listed job replaced by what it became (the names it
 * had kept when the frame came without them), one not listed (posted since) put at its place.
 * Returns `jobs` itself when nothing applies.
 */
export function withJobChanges(jobs: readonly Job[], heard: OpenJobsState, since: number): readonly Job[] {
  let next = jobs;
  for (const { job, at } of heard.changes.values()) {
    if (at <= since) continue;
    const index = next.findIndex((j) => j.id === job.id);
    const held = next[index];
    if (held) {
      if (!replacesJobChange(job, held)) continue;
      const named: Job = { ...job };
      if (named.clientName === undefined && held.clientName !== undefined) named.clientName = held.clientName;
      if (named.cleanerName === undefined && held.cleanerName !== undefined) named.cleanerName = held.cleanerName;
      next = next.map((j, i) => (i === index ? named : j));
    } else {
      next = withJobInPlace(next, job);
    }
  }
  return next;
}
