/**
 * The words of a job's status and of the notice its room gets when the job moves: the server writes
 * the notice, and the web app words the mover's own notices "by you" (parseJobNotice finds the name to
 * replace; whose move it was is the message's actorId, as names are not unique). One copy, or a wording
 * changed on one side would leave the notice naming its mover to them as if they were someone else.
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

const ACCEPTED = ' accepted the job';
const STATUS_CHANGED = 'Status changed to ';
const BY = ' by ';

/** The notice of `moverName` accepting a job (it becomes `assigned`). */
export function jobAcceptedNotice(moverName: string): string {
  return `${moverName}${ACCEPTED}`;
}

/** The notice of `moverName` changing a job's status to `to`. */
export function jobStatusNotice(to: JobStatus, moverName: string): string {
  return `${STATUS_CHANGED}${JOB_STATUS_LABELS[to]}${BY}${moverName}`;
}

/**
 * A job move's notice read back from its words: the name it gives the mover (a display name: who it was
 * is the message's actorId), and the label of the status a change moved it to.
 */
export type JobNotice = { kind: 'accepted'; mover: string } | { kind: 'status'; label: string; mover: string };

/**
 * The notice `text` as jobAcceptedNotice or jobStatusNotice wrote it, or null for any other words. The
 * mover is all that follows " by " (or precedes " accepted the job"), so a name is never taken for a
 * shorter one it begins with. A label known here is matched whole; one a newer server added ("On hold")
 * ends at the first " by ".
 */
export function parseJobNotice(text: string): JobNotice | null {
  if (text.startsWith(STATUS_CHANGED)) {
    const rest = text.slice(STATUS_CHANGED.length);
    const known = Object.values(JOB_STATUS_LABELS).find((label) => rest.startsWith(label + BY));
    const labelEnd = known?.length ?? rest.indexOf(BY);
    const mover = labelEnd > 0 ? rest.slice(labelEnd + BY.length) : '';
    return mover ? { kind: 'status', label: rest.slice(0, labelEnd), mover } : null;
  }
  if (text.endsWith(ACCEPTED) && text.length > ACCEPTED.length) return { kind: 'accepted', mover: text.slice(0, -ACCEPTED.length) };
  return null;
}

/** A parsed notice's words again (with another `mover`, say: "you"). */
export function jobNoticeText(notice: JobNotice): string {
  return notice.kind === 'accepted' ? jobAcceptedNotice(notice.mover) : `${STATUS_CHANGED}${notice.label}${BY}${notice.mover}`;
}
