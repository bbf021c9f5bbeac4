/**
 * The open-jobs board, live (an addition to the contract): every connected
 * cleaner gets `open_job` when a job is posted and when it leaves the open
 * state, so a board does not show a job someone else took, nor miss a new one.
 *
 * Delivered on the `jobs:open` topic, which a node subscribes only while it
 * holds a cleaner's socket: nodes serving only clients and support staff
 * never hear it. The frame carries the job, so thousands of cleaners do not
 * all read the list again at once; it is serialised once per node.
 *
 * Support staff's jobs page is a second board of the same kind (`jobs:all`,
 * `job_changed`, every change of every job): support staff are in no job's
 * room, so no `room` frame tells them a job moved.
 */
import type { Job, ServerFrame } from '@ecc/protocol';
import { OPEN_JOBS_TOPIC, SUPPORT_JOBS_TOPIC, type Bus, type JobTopic } from '../fanout/bus.ts';
import { boardView } from '../services/jobView.ts';

/** What the board needs of a socket. */
export interface BoardSocket {
  readonly id: string;
  /** Sends an already serialized frame (queued until `ready` was sent). */
  sendText(text: string): void;
}

export class JobBoard {
  private readonly sockets = new Map<string, BoardSocket>();
  /** The topic's subscription while any socket here watches (every watcher awaits it: it may still be pending). */
  private live: Promise<void> | null = null;

  /** `frameOf`: the frame telling the watchers of `job` as it is now. */
  constructor(
    private readonly bus: Bus,
    private readonly topic: JobTopic = OPEN_JOBS_TOPIC,
    private readonly frameOf: (job: Job) => ServerFrame = (job) => ({ type: 'open_job', job: boardView(job) }),
  ) {
    bus.onEvent((heard, event) => {
      if (heard === topic && event.kind === 'frame') this.deliverLocal(JSON.stringify(event.frame));
    });
  }

  /** A cleaner's socket watches the board; resolves once other nodes' changes reach it (await it before `ready`). */
  async watch(socket: BoardSocket): Promise<void> {
    if (!this.sockets.has(socket.id)) {
      this.sockets.set(socket.id, socket);
      this.live ??= this.bus.subscribe(this.topic);
    }
    await this.live;
  }

  /** The socket closed (nothing when it never watched). */
  unwatch(socket: BoardSocket): void {
    if (!this.sockets.delete(socket.id)) return;
    if (this.sockets.size > 0) return;
    this.live = null;
    this.bus.unsubscribe(this.topic);
  }

  /** Tells every watcher, on every node, of `job` as it is now (cleaners: posted, or left the open state). */
  announce(job: Job): void {
    const frame = this.frameOf(job);
    this.deliverLocal(JSON.stringify(frame));
    this.bus.publish(this.topic, { kind: 'frame', frame });
  }

  private deliverLocal(text: string): void {
    for (const socket of this.sockets.values()) socket.sendText(text);
  }
}

/** Support staff's board: every change of every job, as support's `GET /api/jobs` lists it. */
export function supportJobBoard(bus: Bus): JobBoard {
  return new JobBoard(bus, SUPPORT_JOBS_TOPIC, (job) => ({ type: 'job_changed', job }));
}
