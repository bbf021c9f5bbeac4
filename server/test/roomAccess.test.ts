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
    // The re-read that still refuses leaves the room's entry alone: its participants cost nothing more.
    expect((await access.require(roomId, alice.id, true)).role).toBe('client');
    expect(loads()).toBe(1);
  });

  it('a stranger flooding frames at a watched room costs one store read a second, not one a frame; a staff member who joined meanwhile gets in after it', async () => {
    const roomId = await plainRoom(db.store, [alice, bob]);
    const { store, loads } = counting(db.store);
    let now = 1_000_000;
    const access = new RoomAccessCache(store, () => true, () => now);
    access.prime((await db.store.listRoomsFor(alice.id)).rooms, access.epoch());
    const sam = await makeUser(db.store, 'support', 'sam');
    for (let i = 0; i < 20; i += 1) await expect(access.require(roomId, sam.id)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(loads()).toBe(1);
    // Sam joins through another node, whose announcement this node has not heard yet.
    expect((await db.store.joinRoom(roomId, sam.id, 'Sam joined')).kind).toBe('joined');
    now += 1_000;
    expect((await access.require(roomId, sam.id)).role).toBe('support');
    // The fresh read, which has Sam, is now the room's entry: Sam's next frames and the others' cost nothing.
    expect((await access.require(roomId, sam.id)).role).toBe('support');
    expect((await access.require(roomId, bob.id)).role).toBe('cleaner');
    expect(loads()).toBe(2);
  });

  it('a refusal for a room this node does not watch is read once, not twice (it came from the store already)', async () => {
    const roomId = await plainRoom(db.store, [alice, bob]);
    const { store, loads } = counting(db.store);
    const access = new RoomAccessCache(store, () => false);
    const stranger = await makeUser(db.store, 'client', 'stranger');
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
