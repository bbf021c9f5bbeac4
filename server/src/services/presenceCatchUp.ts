/**
 * Presence the other nodes' sockets may have missed during this node's Redis
 * outage, told once the fan-out works again.
 *
 * While Redis is down or hung the node announces its users' comings and
 * goings by its own sockets alone: the bus drops those frames (presence is
 * not among what it tells again, droppedEvents.ts: a frame kept from then
 * could contradict a change made since), and a judgement made without the
 * cluster-wide counts can be wrong (a user whose last tab *here* closed may
 * still have one on another node). Its own sockets resync after the outage
 * (close 1013, a fresh `ready`); the other nodes' sockets do not.
 *
 * So each user announced meanwhile is remembered with what the other nodes'
 * sockets were last told of them: the state announced when the bus carried
 * it, else the state before it (an announcement is a change). Once the bus
 * and presence are both healthy again, the user's state is read afresh (online
 * anywhere, from Redis; the last-seen time recorded when they left, from the
 * database) and told to everyone sharing a room with them — only where it
 * differs from what they were last told, so users whose state did not change
 * get no frame. A user announced again while being read is left to that newer
 * announcement.
 */
import type { Bus, PresenceTracker } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';

export interface PresenceCatchUpDeps {
  bus: Pick<Bus, 'healthy'>;
  presence: Pick<PresenceTracker, 'healthy' | 'onlineAmong'>;
  store: Pick<Store, 'peersOf' | 'getLastSeen'>;
  logger: Logger;
  /**
   * Whether the user's presence is being settled otherwise now (their sockets here are being closed to
   * resync: resyncGrace.ts): they are looked at again once that is over.
   */
  settling?(userId: number): boolean;
  /** Sends a `presence` frame about `userId` to `peers` (their sockets on every node). */
  tell(userId: number, peers: number[], online: boolean, lastSeen: string | null): void;
  /** How often to look whether the fan-out is healthy again while users wait (default 1 s). */
  retryMs?: number;
}

export class PresenceCatchUp {
  /** Users to tell again → whether the other nodes' sockets were last told they are online. */
  private readonly waiting = new Map<number, boolean>();
  /** Users being read afresh → what the other nodes were last told, and whether they were announced again meanwhile. */
  private readonly reading = new Map<number, { told: boolean; again: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private flushing = false;
  private stopped = false;

  constructor(private readonly deps: PresenceCatchUpDeps) {}

  /**
   * A presence change of the user was just announced. `judgedAlone`: decided while presence could not
   * ask the cluster-wide counts (only an offline can be wrong then: the user may be online elsewhere).
   */
  announced(userId: number, online: boolean, judgedAlone = false): void {
    const read = this.reading.get(userId);
    if (read) read.again = true;
    const carried = this.deps.bus.healthy();
    const told = this.waiting.get(userId) ?? read?.told;
    if (told === undefined && carried && !judgedAlone) return;
    // Dropped: what they were told before stands (before the first change, the state it changed).
    this.waiting.set(userId, carried ? online : (told ?? !online));
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private healthy(): boolean {
    return this.deps.bus.healthy() && this.deps.presence.healthy();
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.waiting.size === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.deps.retryMs ?? 1000);
    this.timer.unref();
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.stopped) return;
    if (!this.healthy()) return this.schedule();
    this.flushing = true;
    const batch = new Map(this.waiting);
    this.waiting.clear();
    for (const [userId, told] of batch) this.reading.set(userId, { told, again: false });
    try {
      const userIds = [...batch.keys()];
      const peers = new Map<number, number[]>();
      for (const userId of userIds) peers.set(userId, await this.deps.store.peersOf(userId));
      const lastSeen = await this.deps.store.getLastSeen(userIds);
      // Read last, just before telling: the state as it stands now.
      const online = await this.deps.presence.onlineAmong(userIds);
      const fanoutHealthy = this.healthy();
      let told = 0;
      for (const [userId, wasTold] of batch) {
        if (this.reading.get(userId)?.again) continue; // announced again meanwhile: that one is newer
        if (!fanoutHealthy || this.deps.settling?.(userId)) {
          this.waiting.set(userId, wasTold);
          continue;
        }
        const isOnline = online.has(userId);
        if (isOnline === wasTold) continue;
        this.deps.tell(userId, peers.get(userId) ?? [], isOnline, isOnline ? null : (lastSeen.get(userId) ?? null));
        told++;
      }
      if (told > 0) this.deps.logger.info({ users: batch.size, told }, 'presence announced during the Redis outage told again');
    } catch (err) {
      this.deps.logger.warn({ err, users: batch.size }, 'presence catch-up failed; trying again');
      for (const [userId, wasTold] of batch) if (!this.reading.get(userId)?.again) this.waiting.set(userId, wasTold);
    } finally {
      for (const userId of batch.keys()) this.reading.delete(userId);
      this.flushing = false;
      this.schedule();
    }
  }
}
