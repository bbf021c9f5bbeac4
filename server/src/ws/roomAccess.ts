/**
 * Cached authorisation facts per room (participants, type, active), so a
 * frame on a room costs no query in the common case. Entries are dropped on
 * `room_changed` events; the store remains the authority for sends (it
 * refuses a closed room itself). Only rooms the node watches (it hears their
 * events) are cached: another node may close a room this node does not hear.
 */
import { ChatError, INT32_MAX, type Role, type Room } from '@ecc/protocol';
import { OnceEvery } from '../onceEvery.ts';
import type { RoomAccess, Store } from '../storage/store.ts';

const MAX_ENTRIES = 50_000;
/** A (room, user) refused from the cache is read again from the store at most this often. */
const RECHECK_EVERY_MS = 1000;
/** (room, user) pairs remembered for that (cleared when full: at worst one more read each). */
const MAX_RECHECKS = 10_000;

export class RoomAccessCache {
  private readonly entries = new Map<number, Promise<RoomAccess | null>>();
  /** Counts invalidations: a snapshot of a room read before its last one must not prime the cache. */
  private invalidations = 0;
  /** Room → the count at its last invalidation (bounded: when cleared, `forgottenUpTo` covers what it held). */
  private readonly invalidatedAt = new Map<number, number>();
  private forgottenUpTo = 0;
  /** Refusals from the cache read again, once a window per `room:user`. */
  private readonly rechecks: OnceEvery;

  constructor(
    private readonly store: Store,
    /** Whether this node hears the room's `room_changed` events (a local participant has a socket). */
    private readonly watches: (roomId: number) => boolean = () => true,
    now: () => number = Date.now,
  ) {
    this.rechecks = new OnceEvery(RECHECK_EVERY_MS, MAX_RECHECKS, now);
  }

  /** The room's access facts, or null for an unknown room. */
  get(roomId: number): Promise<RoomAccess | null> {
    return this.lookup(roomId).access;
  }

  /** As `get`, and whether the answer is a cached one (read before this call). */
  private lookup(roomId: number): { access: Promise<RoomAccess | null>; cached: boolean } {
    if (!canExist(roomId)) return { access: Promise.resolve(null), cached: false };
    if (!this.watches(roomId)) {
      // Unheard here, a copy would stay as it was when the room closes elsewhere: read it each time.
      this.entries.delete(roomId);
      return { access: this.store.getRoomAccess(roomId), cached: false };
    }
    const cached = this.entries.get(roomId);
    if (cached) return { access: cached, cached: true };
    const loading = this.store.getRoomAccess(roomId).then(
      (access) => {
        // Unknown rooms are not cached: a room created later must be found.
        if (!access) this.entries.delete(roomId);
        return access;
      },
      (err: unknown) => {
        this.entries.delete(roomId);
        throw err;
      },
    );
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(roomId, loading);
    return { access: loading, cached: false };
  }

  invalidate(roomId: number): void {
    this.invalidations += 1;
    this.entries.delete(roomId);
    if (this.invalidatedAt.size >= MAX_ENTRIES) {
      this.invalidatedAt.clear();
      this.forgottenUpTo = this.invalidations - 1;
    }
    this.invalidatedAt.set(roomId, this.invalidations);
  }

  /** Pass to `prime` with a room snapshot read after this call. */
  epoch(): number {
    return this.invalidations;
  }

  /**
   * Fills the cache from a user's room list (the `ready` snapshot), so the
   * first frames after a connect storm do not each load their room's
   * access. Call it once the rooms are watched. A room invalidated since
   * `epoch` is skipped (the snapshot may predate its change; other users
   * leaving other rooms do not matter), and so is one not watched; cached
   * entries are kept.
   */
  prime(rooms: Room[], epoch: number): void {
    if (epoch < this.forgottenUpTo) return;
    for (const room of rooms) {
      if ((this.invalidatedAt.get(room.id) ?? 0) > epoch || !this.watches(room.id)) continue;
      if (this.entries.has(room.id) || this.entries.size >= MAX_ENTRIES) continue;
      const participants = new Map<number, Role>(room.participants.map((p) => [p.id, p.role]));
      this.entries.set(room.id, Promise.resolve({ roomId: room.id, type: room.type, isActive: room.isActive, participants }));
    }
  }

  /**
   * The access facts when `userId` is a participant; NOT_FOUND for an unknown
   * room, FORBIDDEN for a non-participant, ROOM_CLOSED when `forWriting` and inactive.
   */
  async require(roomId: number, userId: number, forWriting = false): Promise<RoomAccess & { role: Role }> {
    const found = this.lookup(roomId);
    let access = await found.access;
    if (access && !access.participants.has(userId) && found.cached && this.rechecks.take(`${roomId}:${userId}`)) {
      // Someone joined on another node (support staff, POST /api/rooms/{id}/join) and this node may not
      // have heard it yet (the join's room_changed drops the entry once it arrives): a refusal from the
      // cache is read again from the store, at most once a second per person and room, so a stranger's
      // flood of frames is not a read each. The entry is replaced only by a read that has them in it.
      const epoch = this.invalidations;
      const fresh = await this.store.getRoomAccess(roomId);
      if (fresh?.participants.has(userId)) {
        access = fresh;
        const changed = (this.invalidatedAt.get(roomId) ?? 0) > epoch || epoch < this.forgottenUpTo;
        if (!changed && this.watches(roomId)) this.entries.set(roomId, Promise.resolve(fresh));
      }
    }
    return checked(access, userId, forWriting);
  }

  /**
   * As `require`, read from the store: for HTTP requests, which may reach a node
   * that hears no change of the room (no socket of its participants here, so no
   * subscription to it) and would keep an entry it cached as it was.
   */
  async requireFresh(roomId: number, userId: number, forWriting = false): Promise<RoomAccess & { role: Role }> {
    return checked(!canExist(roomId) ? null : await this.store.getRoomAccess(roomId), userId, forWriting);
  }
}

function checked(access: RoomAccess | null, userId: number, forWriting: boolean): RoomAccess & { role: Role } {
  if (!access) throw new ChatError('NOT_FOUND', 'No such room');
  const role = access.participants.get(userId);
  if (role === undefined) throw new ChatError('FORBIDDEN', 'You are not a participant of this room');
  if (forWriting && !access.isActive) throw new ChatError('ROOM_CLOSED', 'This room is closed');
  return { ...access, role };
}

/** Room ids are positive 32-bit integers: past the column PostgreSQL would refuse the query (INTERNAL). */
function canExist(roomId: number): boolean {
  return roomId >= 1 && roomId <= INT32_MAX;
}
