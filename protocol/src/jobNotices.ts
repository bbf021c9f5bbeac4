/**
 * The words of a job's status and of the notice its room gets when the job moves: the server writes
 * the notice, and the web app recognises the one its own move brings (ownJobNotice.ts). One copy, or a
 * wording changed on one side would leave the mover's notice unread under a "New messages" line.
 */
import type { JobStatus } from './shapes.ts';

export const JOB_STATUS_LABELS: Record<JobStatus, string> = {
  open: 'Open',
  assigned: 'Assigned',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

/**
 * A status's label; one a newer server added ("on_hold") is shown by its words ("On hold"), for an
 * older app must not go blank on it.
 */
export function jobStatusLabel(status: string): string {
  if (Object.hasOwn(JOB_STATUS_LABELS, status)) return JOB_STATUS_LABELS[status as JobStatus];
  const words = status.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The notice of `moverName` accepting a job (it becomes `assigned`). */
export function jobAcceptedNotice(moverName: string): string {
  return `${moverName} accepted the job`;
}

/** The notice of `moverName` changing a job's status to `to`. */
export function jobStatusNotice(to: JobStatus, moverName: string): string {
  return `Status changed to ${JOB_STATUS_LABELS[to]} by ${moverName}`;
}
