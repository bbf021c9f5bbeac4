/**
 * `presence` frames: when a user comes online (first socket in the
 * cluster) or goes offline (last socket closed, or their node died), every
 * user sharing a room with them is told once, on their user topic. A node
 * taken for dead while it was only paused tells them again that its users
 * are online. What the other nodes missed during this node's Redis outage
 * is told once it is over (presenceCatchUp.ts); users whose sockets are then
 * closed to resync are not told offline if they come back (resyncGrace.ts).
 */
import type { Bus, PresenceTracker } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import { LastSeenWriter } from './lastSeenWriter.ts';
import { PresenceCatchUp } from './presenceCatchUp.ts';
import { ResyncGrace } from './resyncGrace.ts';
import type { Store } from '../storage/store.ts';
import type { Hub } from '../ws/hub.ts';
import type { RoomAccessCache } from '../ws/roomAccess.ts';

export interface PresenceAnnouncerDeps {
  store: Store;
  hub: Hub;
  access: RoomAccessCache;
  presence: PresenceTracker;
  bus: Pick<Bus, 'healthy'>;
  logger: Logger;
}

export class PresenceAnnouncer {
  private readonly lastSeen: LastSeenWriter;
  private readonly catchUp: PresenceCatchUp;
  private readonly resync: ResyncGrace;

  constructor(private readonly deps: PresenceAnnouncerDeps) {
    this.lastSeen = new LastSeenWriter(deps.store, deps.logger);
    this.resync = new ResyncGrace((userId, peers, lastSeen) => void this.offlineAfterGrace(userId, peers, lastSeen));
    this.catchUp = new PresenceCatchUp({
      ...deps,
      // A user coming back from a resync was not told offline: what their rooms were told stands until then.
      settling: (userId) => this.resync.settling(userId),
      tell: (userId, peers, online, lastSeen) => this.tell(userId, peers, online, lastSeen),
    });
    deps.presence.onOffline((userIds) => {
      for (const userId of userIds) void this.wentOfflineElsewhere(userId);
    });
    deps.presence.onOnline((userIds) => {
      for (const userId of userIds) void this.cameBackOnline(userId);
    });
  }

  /** Announces `online:true` to the given peers. */
  announceOnline(userId: number, peers: Iterable<number>, lastSeen: string | null): void {
    // No one was told they left; but if Redis lost this node's entries, others may have read them offline.
    if (this.resync.cameBack(userId) && this.deps.presence.healthy() && this.deps.presence.entriesKept()) return;
    this.tell(userId, peers, true, lastSeen);
    this.catchUp.announced(userId, true);
  }

  /**
   * Everyone sharing one of `roomIds` with the user, read from the access
   * cache now: call it before the socket leaves the hub, which drops the
   * cached facts of rooms no other local user is in.
   */
  async peersOf(userId: number, roomIds: number[]): Promise<Set<number>> {
    const facts = await Promise.all(roomIds.map((roomId) => this.deps.access.get(roomId).catch(() => null)));
    const peers = new Set<number>();
    for (const room of facts) for (const id of room?.participants.keys() ?? []) peers.add(id);
    peers.delete(userId);
    return peers;
  }

  /** The user's last socket closed: record last seen, then tell `peers`. */
  async wentOffline(userId: number, peers: Promise<Set<number>> | Set<number>): Promise<void> {
    // Told just after presence decided: whether it could ask the other nodes' counts then.
    const judgedAlone = !this.deps.presence.healthy();
    const at = (await this.lastSeen.record(userId)).toISOString();
    const to = await peers;
    if (this.resync.holdOffline(userId, to, at)) return;
    this.tell(userId, to, false, at);
    this.catchUp.announced(userId, false, judgedAlone);
  }

  /** These users' sockets here are closed to resync within `spreadMs` (after a fan-out outage): they come back. */
  expectBack(userIds: Iterable<number>, spreadMs: number): void {
    this.resync.expectBack(userIds, spreadMs);
  }

  /** Resolves once every last-seen time recorded so far is written. */
  settled(): Promise<void> {
    return this.lastSeen.settled();
  }

  /** The node is shutting down: nothing missed during an outage is told any more. */
  stop(): void {
    this.resync.stop();
    this.catchUp.stop();
  }

  /** A user whose sockets were closed to resync did not come back here: told offline unless back elsewhere. */
  private async offlineAfterGrace(userId: number, peers: Set<number>, lastSeen: string): Promise<void> {
    try {
      if ((await this.deps.presence.onlineAmong([userId])).has(userId)) return;
      this.tell(userId, peers, false, lastSeen);
      this.catchUp.announced(userId, false, !this.deps.presence.healthy());
    } catch (err) {
      this.deps.logger.error({ err, userId }, 'offline announcement failed');
    }
  }

  private tell(userId: number, peers: Iterable<number>, online: boolean, lastSeen: string | null): void {
    for (const peer of peers) {
      if (peer !== userId) this.deps.hub.emitToUser(peer, { type: 'presence', userId, online, lastSeen });
    }
  }

  private async wentOfflineElsewhere(userId: number): Promise<void> {
    try {
      await this.wentOffline(userId, await this.peersInStore(userId));
    } catch (err) {
      this.deps.logger.error({ err, userId }, 'offline announcement failed');
    }
  }

  /** Announced offline when a peer took this node for dead, the user is still here: tell their peers again. */
  private async cameBackOnline(userId: number): Promise<void> {
    try {
      this.announceOnline(userId, await this.peersInStore(userId), null);
    } catch (err) {
      this.deps.logger.error({ err, userId }, 'online announcement failed');
    }
  }

  /**
   * Everyone sharing a room with the user, from the database (the user may have no socket here). Not
   * the room list: a dead node's users are all announced at once, while they reconnect elsewhere.
   */
  private async peersInStore(userId: number): Promise<Set<number>> {
    return new Set(await this.deps.store.peersOf(userId));
  }
}
