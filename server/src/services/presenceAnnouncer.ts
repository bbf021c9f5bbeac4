/**
 * `presence` frames: when a user comes online (first socket in the
 * cluster) or goes offline (last socket closed, or their node died), every
 * user sharing a room with them is told once, on their user topic.
 */
import type { PresenceTracker } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';
import type { Hub } from '../ws/hub.ts';
import type { RoomAccessCache } from '../ws/roomAccess.ts';

export interface PresenceAnnouncerDeps {
  store: Store;
  hub: Hub;
  access: RoomAccessCache;
  presence: PresenceTracker;
  logger: Logger;
}

export class PresenceAnnouncer {
  constructor(private readonly deps: PresenceAnnouncerDeps) {
    deps.presence.onOffline((userIds) => {
      for (const userId of userIds) void this.wentOfflineElsewhere(userId);
    });
  }

  /** Announces `online:true` to the given peers. */
  announceOnline(userId: number, peers: Iterable<number>, lastSeen: string | null): void {
    for (const peer of peers) {
      if (peer === userId) continue;
      this.deps.hub.emitToUser(peer, { type: 'presence', userId, online: true, lastSeen });
    }
  }

  /** The user's last socket closed here: record last seen, then tell everyone sharing one of `roomIds`. */
  async wentOffline(userId: number, roomIds: number[]): Promise<void> {
    const at = new Date();
    try {
      await this.deps.store.setLastSeen(userId, at);
    } catch (err) {
      this.deps.logger.error({ err, userId }, 'could not record last seen');
    }
    const peers = new Set<number>();
    for (const roomId of roomIds) {
      const facts = await this.deps.access.get(roomId).catch(() => null);
      for (const id of facts?.participants.keys() ?? []) peers.add(id);
    }
    peers.delete(userId);
    for (const peer of peers) this.deps.hub.emitToUser(peer, { type: 'presence', userId, online: false, lastSeen: at.toISOString() });
  }

  private async wentOfflineElsewhere(userId: number): Promise<void> {
    try {
      const rooms = await this.deps.store.listRoomsFor(userId);
      await this.wentOffline(
        userId,
        rooms.map((r) => r.id),
      );
    } catch (err) {
      this.deps.logger.error({ err, userId }, 'offline announcement failed');
    }
  }
}
