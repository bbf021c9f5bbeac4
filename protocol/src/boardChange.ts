/**
 * The order of two `open_job` changes of one job, the same for the server (what a node keeps to
 * publish again after a Redis outage: droppedEvents.ts) and clients (frames through different nodes
 * may cross): a job never goes back to open, so once it left the board a late "posted" does not undo it.
 */
import type { Job } from './shapes.ts';

/** Whether `incoming` is the job's board state rather than `held`. */
export function replacesBoardChange(incoming: Pick<Job, 'status'>, held: Pick<Job, 'status'>): boolean {
  return incoming.status !== 'open' || held.status === 'open';
}
