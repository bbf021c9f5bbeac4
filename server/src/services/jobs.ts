/**
 * Jobs posted and moved along: who may change a job, which transitions are
 * valid, and what the chat sees (a system message, a `room` event, the room
 * closing after the grace period, every cleaner's open-jobs board, and support
 * staff's jobs page).
 */
import { ChatError, jobAcceptedNotice, jobStatusNotice, JOB_STATUS_LABELS, type CreateJobRequest, type Job, type JobStatus, type User } from '@ecc/protocol';
import { RetryAfterError } from '../http/respond.ts';
import { withJobNames } from '../storage/rows.ts';
import type { Store } from '../storage/store.ts';
import type { JobBoard } from '../ws/jobBoard.ts';
import type { RoomAnnouncer } from './roomAnnouncer.ts';

const TRANSITIONS: Record<JobStatus, readonly JobStatus[]> = {
  open: ['cancelled'],
  assigned: ['in_progress', 'cancelled'],
  in_progress: ['completed', 'cancelled'],
  completed: [],
  cancelled: [],
};

/** Whether a job may go from `from` to `to`. */
export function isValidTransition(from: JobStatus, to: JobStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export interface JobServiceDeps {
  store: Store;
  rooms: RoomAnnouncer;
  /** Every connected cleaner's open-jobs board. */
  board: JobBoard;
  /** Every connected support agent's jobs page: told of every change. */
  supportBoard: JobBoard;
  roomCloseGraceMs: number;
  /** Open jobs a client may have at once. */
  maxOpenJobsPerClient: number;
  /** Jobs a client may post per `jobPostWindowMs`. */
  jobPostLimit: number;
  jobPostWindowMs: number;
}

export class JobService {
  constructor(private readonly deps: JobServiceDeps) {}

  /**
   * A client posts a job; it shows on every cleaner's board at once. Within two limits, checked with
   * the insert in one turn of the client's posts (posts at once, on any nodes, each saw room for itself):
   * open jobs at once (cleaners see the newest open jobs: one client posting without end would push
   * everyone else's out), and posts per window, cancelled ones too (a cancel frees an open-jobs place,
   * and each post and cancel reaches every cleaner's socket: a loop of them flooded every cleaner).
   */
  async create(user: User, body: CreateJobRequest): Promise<Job> {
    if (user.role !== 'client') throw new ChatError('FORBIDDEN', 'Only clients can post jobs');
    const { store, board, maxOpenJobsPerClient, jobPostLimit, jobPostWindowMs } = this.deps;
    const now = Date.now();
    const outcome = await store.createJobWithinLimits(
      { clientId: user.id, title: body.title, description: body.description, address: body.address ?? null, scheduledAt: body.scheduledAt ?? null },
      { maxOpen: maxOpenJobsPerClient, maxPosted: jobPostLimit, since: new Date(now - jobPostWindowMs) },
    );
    if ('tooManyOpen' in outcome) {
      throw new ChatError('CONFLICT', `You already have ${outcome.tooManyOpen} open jobs; cancel one or wait until one is accepted`);
    }
    if ('tooManyPosted' in outcome) {
      const { count, oldest } = outcome.tooManyPosted;
      const freesAt = (oldest === null ? now : Date.parse(oldest)) + jobPostWindowMs;
      throw new RetryAfterError(`You posted ${count} jobs in a short time; try again later`, Math.max(1, Math.ceil((freesAt - now) / 1000)));
    }
    board.announce(outcome.job);
    await this.tellSupport(outcome.job);
    return outcome.job;
  }

  /** A cleaner takes an open job: the job's room is created with a system message and shown to both at once. */
  async accept(user: User, jobId: number): Promise<Job> {
    if (user.role !== 'cleaner') throw new ChatError('FORBIDDEN', 'Only cleaners can accept jobs');
    const { store, rooms } = this.deps;
    const existing = await store.getJob(jobId);
    if (!existing) throw new ChatError('NOT_FOUND', 'No such job');
    // Of one cleaner's two tabs accepting at once, the later is told the job is theirs, not that it is gone.
    const taken = (job: typeof existing | null) =>
      new ChatError('CONFLICT', job?.cleanerId === user.id && job.status !== 'cancelled' ? 'You already accepted this job' : 'This job is no longer open');
    if (existing.status !== 'open') throw taken(existing);
    const assigned = await store.assignJob(jobId, user.id, jobAcceptedNotice(user.displayName));
    if (!assigned) throw taken(await store.getJob(jobId));
    // Off every board first: the other cleaners' Accept would only be refused now.
    this.deps.board.announce(assigned.job);
    await rooms.announce(assigned.roomId, { firstMessage: assigned.message });
    await this.tellSupport(assigned.job);
    return assigned.job;
  }

  /**
   * The job's client, its cleaner or support staff move the job along a valid
   * transition. The database applies it only if the job still has the status
   * it was checked against: of two changes at once (on any nodes) one wins,
   * the other is refused.
   */
  async setStatus(user: User, jobId: number, status: JobStatus): Promise<Job> {
    const { store, rooms } = this.deps;
    const job = await store.getJob(jobId);
    if (!job) throw new ChatError('NOT_FOUND', 'No such job');
    const allowed = user.role === 'support' || job.clientId === user.id || job.cleanerId === user.id;
    if (!allowed) throw new ChatError('FORBIDDEN', 'Only the job’s client, its cleaner or support can change it');
    // A second Complete (another tab, the other person) is told the job is done, not of a Completed → Completed change.
    if (job.status === status) throw new ChatError('CONFLICT', `The job is already ${JOB_STATUS_LABELS[status].toLowerCase()}`);
    if (!isValidTransition(job.status, status)) {
      throw new ChatError('CONFLICT', `Cannot change a job from ${JOB_STATUS_LABELS[job.status]} to ${JOB_STATUS_LABELS[status]}`);
    }
    const changed = await store.setJobStatus(jobId, job.status, status, jobStatusNotice(status, user.displayName), user.id);
    if (!changed) {
      // No "reload": the web page reloads its list after any answer; other clients see the code.
      throw new ChatError('CONFLICT', `The job is no longer ${JOB_STATUS_LABELS[job.status].toLowerCase()}: someone else changed it meanwhile`);
    }
    if (job.status === 'open') this.deps.board.announce(changed.job);
    let moved = changed.job;
    const roomId = changed.job.roomId ?? null;
    if (roomId !== null) {
      const counted = changed.message !== null && (await rooms.deliverMessage(changed.message));
      const terminal = status === 'completed' || status === 'cancelled';
      const closesNow = terminal && this.deps.roomCloseGraceMs === 0;
      if (closesNow) {
        await store.setRoomActive(roomId, false);
        // Read with the move, before this close: support's page must not offer to join it.
        moved = { ...moved, roomActive: false };
      }
      // The system message carried everyone's counts; only closing the room changes them again (it leaves the totals).
      await rooms.announce(roomId, { counts: !counted || closesNow });
    }
    await this.tellSupport(moved);
    return moved;
  }

  private tellSupport(job: Job): Promise<void> {
    return tellSupport(this.deps.store, this.deps.supportBoard, job);
  }
}

/**
 * Support staff's pages hear `job` with its people's names, as their list shows it. The change is
 * stored already: names that cannot be read now leave the frame without them (the page keeps the
 * card's), rather than fail a request that went through.
 */
export async function tellSupport(store: Store, supportBoard: JobBoard, job: Job): Promise<void> {
  const ids = [job.clientId, job.cleanerId].filter((id): id is number => typeof id === 'number');
  const people = await store.getUsers(ids).catch((): User[] => []);
  supportBoard.announce(withJobNames(job, new Map(people.map((p) => [p.id, p]))));
}
