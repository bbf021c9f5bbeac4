/**
 * The room access cache primed from `ready` snapshots: it answers from the
 * snapshot, and a snapshot read before a membership change never brings the
 * old membership back.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import type { Store } from '../src/storage/store.ts';
import { RoomAccessCache } from '../src/ws/roomAccess.ts';
import { createTestStore, type TestStore } from './support/databases.ts';
import { makeUser, plainRoom } from './storage/people.ts';

/** The store, counting access loads. */
function counting(store: Store): { store: Store; loads: () => number } {
  let loads = 0;
  const getRoomAccess: Store['getRoomAccess'] = (roomId) => {
    loads += 1;
    return store.getRoomAccess(roomId);
  };
  return { store: Object.assign(Object.create(store) as Store, { getRoomAccess }), loads: () => loads };
}

describe('RoomAccessCache', () => {
  let db: TestStore;
  let alice: User;
  let bob: User;
  beforeEach(async () => {
    db = await createTestStore('sqlite');
    alice = await makeUser(db.store, 'client');
    bob = await makeUser(db.store, 'cleaner');
  });
  afterEach(async () => {
    await db.cleanup();
  });

  it('authorises from a room list snapshot without loading the room again', async () => {
    const roomId = await plainRoom(db.store, [alice, bob]);
    const { store, loads } = counting(db.store);
    const access = new RoomAccessCache(store);
    access.prime((await db.store.listRoomsFor(alice.id)).rooms, access.epoch());
    expect((await access.require(roomId, bob.id, true)).role).toBe('cleaner');
    const stranger = await makeUser(db.store, 'client', 'stranger');
    expect(loads()).toBe(0);
    // A refusal is read again once (the stranger may be staff who joined on another node, not heard here yet).
    await expect(access.require(roomId, stranger.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(loads()).toBe(1);
  });

  it('ignores a snapshot read before a room changed, and loads the current state instead', async () => {
    const roomId = await plainRoom(db.store, [alice, bob]);
    const { store, loads } = counting(db.store);
    const access = new RoomAccessCache(store);
    const epoch = access.epoch();
    const snapshot = (await db.store.listRoomsFor(alice.id)).rooms;
    // The room closes while the snapshot is on its way.
    await db.store.setRoomActive(roomId, false);
    access.invalidate(roomId);
    access.prime(snapshot, epoch);
    await expect(access.require(roomId, alice.id, true)).rejects.toMatchObject({ code: 'ROOM_CLOSED' });
    expect(loads()).toBe(1);
  });

  it('still primes the other rooms of a snapshot when an unrelated room changed meanwhile', async () => {
    const roomId = await plainRoom(db.store, [alice, bob]);
    const elsewhere = await plainRoom(db.store, [bob, await makeUser(db.store, 'client', 'carol')]);
    const { store, loads } = counting(db.store);
    const access = new RoomAccessCache(store);
    const epoch = access.epoch();
    const snapshot = (await db.store.listRoomsFor(alice.id)).rooms;
    // Another room changes (or its last local user leaves) while Alice's snapshot is on its way.
    access.invalidate(elsewhere);
    access.prime(snapshot, epoch);
    expect((await access.require(roomId, bob.id, true)).role).toBe('cleaner');
    expect(loads()).toBe(0);
  });
});
