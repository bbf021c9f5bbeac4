/**
 * Unread counts and read marks over both dialects (contract §5): others'
 * and system messages count, one's own do not, closed rooms leave the
 * total, partial reads recount, and marks never move backwards.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { aliceAndBob, makeUser, plainRoom, send, system, text } from './people.ts';

for (const dialect of DIALECTS) {
  describe(`unread and read marks (${dialect})`, () => {
    const fixture = storeFixture(dialect, aliceAndBob);

    /** Unread of `user` in `room`, read three ways that must agree. */
    async function unread(user: User, room = fixture.roomId): Promise<number> {
      const [counted] = await fixture.store.unreadFor([{ userId: user.id, roomId: room }]);
      const listed = (await fixture.store.getRoomViewFor(room, user.id))?.room;
      expect(listed?.unread).toBe(counted?.unread);
      return counted?.unread ?? -1;
    }

    /** `user`'s total over active rooms, as an `unread` frame carries it. */
    async function total(user: User): Promise<number> {
      const [counted] = await fixture.store.unreadFor([{ userId: user.id, roomId: fixture.roomId }]);
      return counted?.totalUnread ?? -1;
    }

    /** Unread of `user` in the fixture's room recounted from its history and their read mark. */
    async function recount(user: User): Promise<number> {
      const page = await fixture.store.history({ roomId: fixture.roomId, limit: 1000 });
      const room = (await fixture.store.getRoomViewFor(fixture.roomId, user.id))?.room;
      const mark = room?.participants.find((p) => p.id === user.id)?.lastReadSeq ?? 0;
      return page.messages.filter((m) => m.seq > mark && m.sender?.id !== user.id).length;
    }

    it("counts others' and system messages but not one's own", async () => {
      const { store, alice, bob, roomId } = fixture;
      expect([await unread(alice), await unread(bob)]).toEqual([0, 0]);
      await store.appendMessages([text(roomId, alice, 'a1'), text(roomId, alice, 'a2'), text(roomId, alice, 'a3')]);
      expect([await unread(alice), await unread(bob)]).toEqual([0, 3]);
      await send(store, system(roomId, 'Job started'));
      expect([await unread(alice), await unread(bob)]).toEqual([1, 4]);
      await send(store, text(roomId, bob, 'b1'));
      expect([await unread(alice), await unread(bob)]).toEqual([2, 4]);
    });

    it('reading to the end clears the count; a partial read recounts what lies beyond it', async () => {
      const { store, alice, bob, roomId } = fixture;
      // seq: 1 alice, 2 bob, 3 alice, 4 bob, 5 system
      await store.appendMessages([
        text(roomId, alice, '1'),
        text(roomId, bob, '2'),
        text(roomId, alice, '3'),
        text(roomId, bob, '4'),
        system(roomId, '5'),
      ]);
      expect(await unread(alice)).toBe(3);
      expect(await store.markRead(roomId, alice.id, 2)).toEqual({ lastReadSeq: 2, moved: true });
      expect(await unread(alice)).toBe(2); // 4 and 5; her own 3 does not count
      await send(store, text(roomId, alice, '6'));
      expect(await unread(alice)).toBe(2);
      expect(await store.markRead(roomId, alice.id, 4)).toEqual({ lastReadSeq: 4, moved: true });
      expect(await unread(alice)).toBe(1);
      expect(await store.markRead(roomId, alice.id, 6)).toEqual({ lastReadSeq: 6, moved: true });
      expect(await unread(alice)).toBe(0);
      // Bob, who read nothing, still sees the three messages not his.
      expect(await unread(bob)).toBe(4);
      await send(store, text(roomId, bob, '7'));
      expect(await unread(alice)).toBe(1);
    });

    it('never moves a mark backwards and clamps it to the last seq', async () => {
      const { store, alice, bob, roomId } = fixture;
      await store.appendMessages([text(roomId, bob, '1'), text(roomId, bob, '2'), text(roomId, bob, '3')]);
      expect(await store.markRead(roomId, alice.id, 2)).toEqual({ lastReadSeq: 2, moved: true });
      expect(await store.markRead(roomId, alice.id, 1)).toEqual({ lastReadSeq: 2, moved: false });
      expect(await store.markRead(roomId, alice.id, 2)).toEqual({ lastReadSeq: 2, moved: false });
      expect(await store.markRead(roomId, alice.id, 1000)).toEqual({ lastReadSeq: 3, moved: true });
      expect(await store.markRead(roomId, alice.id, 1000)).toEqual({ lastReadSeq: 3, moved: false });
      const room = (await store.getRoomViewFor(roomId, bob.id))?.room;
      expect(room?.participants.find((p) => p.id === alice.id)?.lastReadSeq).toBe(3);
      // A later message is unread again: the clamp did not read ahead.
      await send(store, text(roomId, bob, '4'));
      expect(await unread(alice)).toBe(1);
      // Any seq a client may send is clamped, however large.
      expect(await store.markRead(roomId, alice.id, Number.MAX_SAFE_INTEGER)).toEqual({ lastReadSeq: 4, moved: true });
    });

    it('sums the total over active rooms only, for every pair in one call', async () => {
      const { store, alice, bob, roomId } = fixture;
      const second = await plainRoom(store, [alice, bob], 'Second');
      const closed = await plainRoom(store, [alice, bob], 'Closed soon');
      await store.appendMessages([
        text(roomId, bob, 'r1'),
        text(second, bob, 's1'),
        text(second, bob, 's2'),
        text(closed, bob, 'c1'),
        text(closed, bob, 'c2'),
        text(closed, bob, 'c3'),
        text(second, alice, 'to bob'),
      ]);
      expect(await total(alice)).toBe(6);
      await store.setRoomActive(closed, false);

      const counts = await store.unreadFor([
        { userId: alice.id, roomId },
        { userId: alice.id, roomId: second },
        { userId: alice.id, roomId: closed },
        { userId: bob.id, roomId: second },
      ]);
      expect(counts.map(({ roomVersion: _r, userVersion: _u, ...count }) => count)).toEqual([
        { userId: alice.id, roomId, unread: 1, totalUnread: 3 },
        { userId: alice.id, roomId: second, unread: 2, totalUnread: 3 },
        // The closed room keeps its own count but leaves the total.
        { userId: alice.id, roomId: closed, unread: 3, totalUnread: 3 },
        { userId: bob.id, roomId: second, unread: 1, totalUnread: 1 },
      ]);
      expect(await total(alice)).toBe(3);
      expect(await total(bob)).toBe(1);

      await store.markRead(second, alice.id, 1);
      expect(await total(alice)).toBe(2);
    });

    it('stays exact when a read races a send of the same reader (the count matches a recount of history)', async () => {
      const { store, alice, bob, roomId } = fixture;
      for (let round = 0; round < 60; round++) {
        if (round % 3 === 0) await send(store, text(roomId, bob, `other ${round}`));
        // A little jitter lands the read at every point of the send's transaction over the rounds.
        const jitter = new Promise((resolve) => setTimeout(resolve, (round % 5) * 0.7));
        await Promise.all([
          store.appendMessages([text(roomId, alice, `own ${round}`)]),
          jitter.then(() => store.markRead(roomId, alice.id, 1_000_000)),
        ]);
        expect(await unread(alice)).toBe(await recount(alice));
      }
    });

    it('stays exact over a long mixed history read in partial steps from either end', async () => {
      const { store, alice, bob, roomId } = fixture;
      // A fixed pseudo-random walk: sends by both and the system, and partial reads landing
      // near the old mark (the range read is counted) and near the end (what is left is counted).
      let state = 7;
      const next = (n: number) => {
        state = (state * 1103515245 + 12345) % 2 ** 31;
        return state % n;
      };
      let lastSeq = 0;
      let mark = 0;
      for (let round = 0; round < 40; round++) {
        const burst = Array.from({ length: 1 + next(12) }, (_, i) => {
          const who = next(5);
          return who === 0 ? system(roomId, `s${round}.${i}`) : text(roomId, who < 3 ? alice : bob, `m${round}.${i}`);
        });
        await store.appendMessages(burst);
        lastSeq += burst.length;
        const nearEnd = round % 2 === 0;
        const target = nearEnd ? lastSeq - next(3) : mark + 1 + next(3);
        const result = await store.markRead(roomId, alice.id, target);
        mark = Math.max(mark, Math.min(target, lastSeq));
        expect(result.lastReadSeq).toBe(mark);
        expect(await unread(alice)).toBe(await recount(alice));
      }
    });

    it('stays exact when a partial read races sends of the same reader', async () => {
      const { store, alice, bob, roomId } = fixture;
      for (let round = 0; round < 40; round++) {
        await send(store, text(roomId, bob, `other ${round}`));
        const lastSeq = (await store.getRoomViewFor(roomId, alice.id))?.room.lastSeq ?? 0;
        const jitter = new Promise((resolve) => setTimeout(resolve, (round % 5) * 0.7));
        await Promise.all([
          store.appendMessages([text(roomId, alice, `own ${round}`), text(roomId, alice, `own ${round}b`)]),
          jitter.then(() => store.markRead(roomId, alice.id, lastSeq - (round % 3))),
        ]);
        expect(await unread(alice)).toBe(await recount(alice));
      }
    });

    it('versions its counts so a later read is never ordered before an earlier one (what sockets keep the latest by)', async () => {
      const { store, alice, bob, roomId } = fixture;
      const other = await plainRoom(store, [alice, bob], 'Other');
      async function versions(): Promise<{ room: number; user: number; listed: number }> {
        const [counted] = await store.unreadFor([{ userId: alice.id, roomId }]);
        const { userVersion: listed } = await store.listRoomsFor(alice.id);
        // A room read alone for a `room` frame carries the same versions.
        const view = await store.getRoomViewFor(roomId, alice.id);
        expect({ room: view?.roomVersion, user: view?.userVersion }).toEqual({ room: counted?.roomVersion, user: counted?.userVersion });
        return { room: counted?.roomVersion ?? -1, user: counted?.userVersion ?? -1, listed };
      }
      let before = await versions();
      /** After `change`: the room's version moved as `roomMoves` says, the user's moved forward, the room list agrees. */
      async function expectLater(change: () => Promise<unknown>, roomMoves: boolean): Promise<void> {
        await change();
        const after = await versions();
        expect(after.user).toBeGreaterThan(before.user);
        expect(after.listed).toBe(after.user);
        if (roomMoves) expect(after.room).toBeGreaterThan(before.room);
        else expect(after.room).toBe(before.room);
        before = after;
      }
      expect(before.listed).toBe(before.user);
      await expectLater(() => send(store, text(roomId, bob, 'from bob')), true);
      await expectLater(() => send(store, text(roomId, alice, 'own')), true);
      await expectLater(() => send(store, system(roomId, 'system')), true);
      await expectLater(() => send(store, text(other, bob, 'elsewhere')), false);
      await expectLater(() => store.markRead(roomId, alice.id, 2), true);
      await expectLater(() => store.setRoomActive(other, false), false);
      // Nothing changed: the same versions (the same numbers).
      expect(await versions()).toEqual(before);
      // A read that moves nothing reads the same versions as unreadFor.
      const [marked] = await store.markReads([{ roomId, userId: alice.id, seq: 1 }]);
      expect({ room: marked?.roomVersion, user: marked?.userVersion }).toEqual({ room: before.room, user: before.user });
    });

    it('counts nothing for someone who is not in the room and refuses their read mark', async () => {
      const { store, bob, roomId } = fixture;
      const carol = await makeUser(store, 'client', 'carol');
      await send(store, text(roomId, bob, 'private'));
      const [count] = await store.unreadFor([{ userId: carol.id, roomId }]);
      expect(count).toMatchObject({ unread: 0, totalUnread: 0 });
      expect(await store.markRead(roomId, carol.id, 1)).toMatchObject({ moved: false });
      expect(await store.getRoomViewFor(roomId, carol.id)).toBeNull();
    });
  });
}
