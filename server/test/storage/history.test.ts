/** History pages over both dialects: both directions, hasMore at the edges, deleted messages kept. */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { aliceAndBob, plainRoom, text } from './people.ts';

const seqsOf = (page: { messages: { seq: number }[] }) => page.messages.map((m) => m.seq);
const span = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

for (const dialect of DIALECTS) {
  describe(`history (${dialect})`, () => {
    // Built once for the whole describe: the tests read the same 25 messages (the last one deletes one).
    const fixture = storeFixture(
      dialect,
      async (store) => {
        const { alice, bob, roomId } = await aliceAndBob(store);
        const emptyRoom = await plainRoom(store, [alice, bob], 'Empty');
        await store.appendMessages(span(1, 25).map((i) => text(roomId, i % 2 ? alice : bob, `message ${i}`)));
        // Another room's messages must never leak into this one's pages.
        const other = await plainRoom(store, [alice, bob], 'Other');
        await store.appendMessages(span(1, 5).map((i) => text(other, alice, `other ${i}`)));
        return { roomId, emptyRoom };
      },
      'all',
    );

    it('returns the latest page, ascending, when no bound is given', async () => {
      const { store, roomId } = fixture;
      const page = await store.history({ roomId, limit: 10 });
      expect(seqsOf(page)).toEqual(span(16, 25));
      expect(page.hasMore).toBe(true);
      expect(page.messages.map((m) => m.content)).toEqual(span(16, 25).map((i) => `message ${i}`));
      expect(page.messages.every((m) => m.roomId === roomId)).toBe(true);
    });

    it('pages backwards with beforeSeq until the start, hasMore false exactly there', async () => {
      const { store, roomId } = fixture;
      const second = await store.history({ roomId, beforeSeq: 16, limit: 10 });
      expect(seqsOf(second)).toEqual(span(6, 15));
      expect(second.hasMore).toBe(true);
      const third = await store.history({ roomId, beforeSeq: 6, limit: 10 });
      expect(seqsOf(third)).toEqual(span(1, 5));
      expect(third.hasMore).toBe(false);
      // A page ending exactly at seq 1 has nothing more.
      const exact = await store.history({ roomId, beforeSeq: 11, limit: 10 });
      expect(seqsOf(exact)).toEqual(span(1, 10));
      expect(exact.hasMore).toBe(false);
    });

    it('pages forwards with afterSeq until the end, hasMore false exactly there', async () => {
      const { store, roomId } = fixture;
      const first = await store.history({ roomId, afterSeq: 0, limit: 10 });
      expect(seqsOf(first)).toEqual(span(1, 10));
      expect(first.hasMore).toBe(true);
      const exact = await store.history({ roomId, afterSeq: 15, limit: 10 });
      expect(seqsOf(exact)).toEqual(span(16, 25));
      expect(exact.hasMore).toBe(false);
      const tail = await store.history({ roomId, afterSeq: 20, limit: 10 });
      expect(seqsOf(tail)).toEqual(span(21, 25));
      expect(tail.hasMore).toBe(false);
      const past = await store.history({ roomId, afterSeq: 25, limit: 10 });
      expect(past).toEqual({ messages: [], hasMore: false });
    });

    it('answers an empty room with an empty page', async () => {
      const { store, emptyRoom } = fixture;
      expect(await store.history({ roomId: emptyRoom, limit: 50 })).toEqual({ messages: [], hasMore: false });
    });

    it('keeps a deleted message in its place with no content', async () => {
      const { store, roomId } = fixture;
      const [target] = (await store.history({ roomId, afterSeq: 2, limit: 1 })).messages;
      if (!target) throw new Error('seq 3 missing');
      await store.deleteMessage(target.id, new Date(), target.sender?.id ?? 0);
      const page = await store.history({ roomId, afterSeq: 1, limit: 3 });
      expect(seqsOf(page)).toEqual([2, 3, 4]);
      expect(page.messages[1]).toMatchObject({ seq: 3, content: '', attachment: null, deletedAt: expect.any(String), deletedBy: target.sender });
      expect(page.messages[0]?.deletedBy).toBeNull();
      expect(page.messages[0]?.content).toBe('message 2');
    });
  });
}
