/**
 * appendMessages over both dialects: per-room seq without gaps under
 * concurrency (on PostgreSQL from two stores/pools at once), clientId
 * idempotency, and entries failing alone.
 */
import os from 'node:os';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createStore } from '../../src/storage/index.ts';
import type { NewMessage, Store } from '../../src/storage/store.ts';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { aliceAndBob, plainRoom, send, stored, system, text } from './people.ts';

/** Every seq of a room, ascending, read back page by page. */
async function allSeqs(store: Store, roomId: number): Promise<number[]> {
  const seqs: number[] = [];
  for (;;) {
    const page = await store.history({ roomId, afterSeq: seqs.at(-1) ?? 0, limit: 100 });
    seqs.push(...page.messages.map((m) => m.seq));
    if (!page.hasMore) return seqs;
  }
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

for (const dialect of DIALECTS) {
  describe(`appendMessages (${dialect})`, () => {
    const fixture = storeFixture(dialect, aliceAndBob);

    it('numbers a room 1..N with no gaps or repeats when many batches are stored at once', async () => {
      const { store, alice, bob, roomId } = fixture;
      const otherRoom = await plainRoom(store, [alice, bob], 'Other');
      const batches: NewMessage[][] = range(40).map((i) => {
        const sender = i % 2 === 0 ? alice : bob;
        // Mixed batch sizes and two rooms per batch, plus system messages, as the server's group commit produces.
        const batch = range((i % 3) + 1).map((k) => text(roomId, sender, `m${i}.${k}`));
        batch.push(text(otherRoom, sender, `o${i}`));
        if (i % 10 === 0) batch.push(system(roomId, `sys ${i}`));
        return batch;
      });
      const results = (await Promise.all(batches.map((b) => store.appendMessages(b)))).flat();
      expect(results.every((r) => r.ok && !r.duplicate)).toBe(true);

      const expected = batches.flat().filter((m) => m.roomId === roomId).length;
      expect(await allSeqs(store, roomId)).toEqual(range(expected));
      expect(await allSeqs(store, otherRoom)).toEqual(range(40));
      const room = (await store.getRoomViewFor(roomId, alice.id))?.room;
      expect(room?.lastSeq).toBe(expected);
      // Each result carries the seq it was stored under: all distinct.
      const seqs = results.map((r) => (r.ok && r.message.roomId === roomId ? r.message.seq : null)).filter((s) => s !== null);
      expect(new Set(seqs).size).toBe(expected);
    });

    it('keeps a batch in order: entries of one room get consecutive seqs in batch order', async () => {
      const { store, alice, bob, roomId } = fixture;
      const results = await store.appendMessages([text(roomId, alice, 'one'), text(roomId, bob, 'two'), text(roomId, alice, 'three')]);
      expect(results.map((r) => stored(r).seq)).toEqual([1, 2, 3]);
      expect(results.map((r) => stored(r).content)).toEqual(['one', 'two', 'three']);
      const first = stored(results[0]);
      expect(first.sender).toEqual(alice);
      expect(first.type).toBe('text');
      expect(first.roomId).toBe(roomId);
      expect(new Date(first.createdAt).toISOString()).toBe(first.createdAt);
    });

    it('stores a clientId once: a repeat in the same batch and in a later batch returns the original', async () => {
      const { store, alice, bob, roomId } = fixture;
      const original = text(roomId, alice, 'hello');
      const [first, again] = await store.appendMessages([original, { ...original }, text(roomId, alice, 'next')]);
      expect(first).toMatchObject({ ok: true, duplicate: false });
      expect(again).toMatchObject({ ok: true, duplicate: true });
      expect(stored(again)).toEqual(stored(first));

      // A retry after reconnect, even with other content, gets the stored message back and stores nothing.
      const [retry] = await store.appendMessages([{ ...original, content: 'changed' }]);
      expect(retry).toMatchObject({ ok: true, duplicate: true });
      expect(stored(retry)).toEqual(stored(first));
      expect(await allSeqs(store, roomId)).toEqual([1, 2]);

      // The same clientId from another sender is another message.
      const fromBob = await send(store, { ...original, senderId: bob.id });
      expect(fromBob.seq).toBe(3);
      expect(fromBob.sender?.id).toBe(bob.id);
    });

    it('returns a stored send retried after its room closed (the ack was lost), and refuses a new one there', async () => {
      const { store, alice, bob } = fixture;
      const roomId = await plainRoom(store, [alice, bob], 'Closing');
      const original = text(roomId, alice, 'spare key in the letterbox');
      const first = await send(store, original);
      await store.setRoomActive(roomId, false);
      const [retry, fresh] = await store.appendMessages([{ ...original }, text(roomId, alice, 'after closing')]);
      expect(retry).toMatchObject({ ok: true, duplicate: true });
      expect(stored(retry)).toEqual(first);
      expect(fresh).toMatchObject({ ok: false, code: 'ROOM_CLOSED' });
      expect(await allSeqs(store, roomId)).toEqual([1]);
    });

    it('stores the new sends of a batch that also repeats a stored clientId, without a seq gap', async () => {
      const { store, alice, bob, roomId } = fixture;
      const original = text(roomId, alice, 'keys are under the mat');
      await send(store, original);
      const results = await store.appendMessages([text(roomId, bob, 'before'), { ...original }, text(roomId, bob, 'after')]);
      expect(results.map((r) => [stored(r).content, stored(r).seq, r.ok && r.duplicate])).toEqual([
        ['before', 2, false],
        ['keys are under the mat', 1, true],
        ['after', 3, false],
      ]);
      expect(await allSeqs(store, roomId)).toEqual([1, 2, 3]);
      const room = (await store.getRoomViewFor(roomId, alice.id))?.room;
      expect(room).toMatchObject({ lastSeq: 3, unread: 2 });
    });

    it('never merges system messages (they have no clientId)', async () => {
      const { store, roomId } = fixture;
      const results = await store.appendMessages([system(roomId, 'Job started'), system(roomId, 'Job started')]);
      expect(results.map((r) => [stored(r).seq, r.ok && r.duplicate])).toEqual([
        [1, false],
        [2, false],
      ]);
      expect(stored(results[0]).sender).toBeNull();
      expect(stored(results[0]).type).toBe('system');
    });

    it('fails bad entries alone (NOT_FOUND, ROOM_CLOSED, BAD_REQUEST) and stores the rest without a seq gap', async () => {
      const { store, alice, bob, roomId } = fixture;
      const closed = await plainRoom(store, [alice, bob], 'Closed');
      await store.setRoomActive(closed, false);
      const elsewhere = await plainRoom(store, [alice, bob], 'Elsewhere');
      const foreign = await send(store, text(elsewhere, alice, 'in another room'));
      const bobsUpload = await store.createAttachment({ roomId, uploaderId: bob.id, name: 'b.png', mime: 'image/png', size: 3, storageKey: 'b' });
      const otherRoomUpload = await store.createAttachment({ roomId: elsewhere, uploaderId: alice.id, name: 'o.pdf', mime: 'application/pdf', size: 3, storageKey: 'o' });

      const results = await store.appendMessages([
        text(roomId, alice, 'first'),
        text(999_999, alice, 'nowhere'),
        text(closed, alice, 'too late'),
        text(roomId, alice, 'reply across rooms', { replyToId: foreign.id }),
        text(roomId, alice, 'reply to nothing', { replyToId: 999_999 }),
        text(roomId, alice, "someone else's upload", { attachmentId: bobsUpload.id }),
        text(roomId, alice, 'upload of another room', { attachmentId: otherRoomUpload.id }),
        text(roomId, alice, 'last'),
      ]);
      expect(results.map((r) => (r.ok ? 'ok' : r.code))).toEqual([
        'ok',
        'NOT_FOUND',
        'ROOM_CLOSED',
        'BAD_REQUEST',
        'BAD_REQUEST',
        'BAD_REQUEST',
        'BAD_REQUEST',
        'ok',
      ]);
      expect([stored(results[0]).seq, stored(results[7]).seq]).toEqual([1, 2]);
      expect(await allSeqs(store, roomId)).toEqual([1, 2]);
      expect(await allSeqs(store, closed)).toEqual([]);
      // The refused uploads are still free for their owners.
      const bobs = await send(store, text(roomId, bob, 'mine', { attachmentId: bobsUpload.id }));
      expect(bobs.attachment?.id).toBe(bobsUpload.id);
    });

    it('fails a plain batch’s sends to a missing or closed room alone, storing the rest without a seq gap', async () => {
      const { store, alice, bob, roomId } = fixture;
      const closed = await plainRoom(store, [alice, bob], 'Closed');
      await store.setRoomActive(closed, false);
      const results = await store.appendMessages([
        text(roomId, alice, 'first'),
        text(closed, bob, 'too late'),
        text(999_999, alice, 'nowhere'),
        text(roomId, bob, 'last'),
      ]);
      expect(results.map((r) => (r.ok ? stored(r).seq : r.code))).toEqual([1, 'ROOM_CLOSED', 'NOT_FOUND', 2]);
      expect(await allSeqs(store, closed)).toEqual([]);
      expect(await store.appendMessages([text(roomId, alice, 'next')])).toMatchObject([{ ok: true, message: { seq: 3 } }]);
      expect((await store.getRoomViewFor(roomId, alice.id))?.room).toMatchObject({ lastSeq: 3, unread: 1 });
      expect((await store.getRoomViewFor(roomId, bob.id))?.room).toMatchObject({ lastSeq: 3, unread: 2 });
    });

    it('attaches an upload once, types it by mime, and resolves replies with an excerpt', async () => {
      const { store, alice, bob, roomId } = fixture;
      const image = await store.createAttachment({ roomId, uploaderId: alice.id, name: 'sink.jpg', mime: 'image/jpeg', size: 10, storageKey: 'k1' });
      const pdf = await store.createAttachment({ roomId, uploaderId: alice.id, name: 'quote.pdf', mime: 'application/pdf', size: 20, storageKey: 'k2' });
      const long = await send(store, text(roomId, bob, 'x'.repeat(300)));
      const [withImage, reuse, withPdf] = await store.appendMessages([
        text(roomId, alice, 'look', { attachmentId: image.id, replyToId: long.id }),
        text(roomId, alice, 'again', { attachmentId: image.id }),
        text(roomId, alice, 'the quote', { attachmentId: pdf.id }),
      ]);
      const img = stored(withImage);
      expect(img.type).toBe('image');
      expect(img.attachment).toEqual({ id: image.id, name: 'sink.jpg', mime: 'image/jpeg', size: 10, url: `/api/attachments/${image.id}` });
      expect(img.replyTo).toMatchObject({ id: long.id, seq: long.seq, sender: bob });
      expect(img.replyTo?.excerpt.length).toBeGreaterThan(0);
      expect(img.replyTo?.excerpt.length).toBeLessThanOrEqual(120);
      expect(reuse).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
      expect(stored(withPdf).type).toBe('file');
      // Which message carries it: the HTTP route serves an upload no message carries to its uploader only.
      expect(image.messageId).toBeNull();
      expect((await store.getAttachment(image.id))?.messageId).toBe(img.id);

      // A later batch cannot reuse it either.
      const [later] = await store.appendMessages([text(roomId, bob, 'steal', { attachmentId: image.id })]);
      expect(later).toMatchObject({ ok: false, code: 'BAD_REQUEST' });
    });

    it('drops an uploader\'s oldest unsent uploads beyond a limit (or one they take back), never a sent one nor another user\'s', async () => {
      const { store, alice, bob, roomId } = fixture;
      const upload = (uploaderId: number, key: string) => store.createAttachment({ roomId, uploaderId, name: 'a.png', mime: 'image/png', size: 1, storageKey: key });
      const sent = await upload(alice.id, 'sent');
      await send(store, text(roomId, alice, 'photo', { attachmentId: sent.id }));
      const bobs = await upload(bob.id, 'bob');
      const drafts = [await upload(alice.id, 'd1'), await upload(alice.id, 'd2'), await upload(alice.id, 'd3')];
      expect(await store.dropUnsentUploads(alice.id, 2)).toEqual(['d1']);
      expect(await store.getAttachment(drafts[0]!.id)).toBeNull();
      for (const kept of [sent, bobs, drafts[1]!, drafts[2]!]) expect(await store.getAttachment(kept.id)).not.toBeNull();
      expect(await store.dropUnsentUploads(alice.id, 2)).toEqual([]);
      // One taken back by its uploader: only an unsent one of their own.
      expect(await store.discardUnsentUpload(alice.id, sent.id)).toBeNull();
      expect(await store.discardUnsentUpload(alice.id, bobs.id)).toBeNull();
      expect(await store.discardUnsentUpload(alice.id, drafts[1]!.id)).toBe('d2');
      expect(await store.getAttachment(drafts[1]!.id)).toBeNull();
      expect(await store.discardUnsentUpload(alice.id, drafts[1]!.id)).toBeNull();
    });

    it('edits and deletes: the full message comes back, a deleted one keeps its seq with no content or attachment', async () => {
      const { store, alice, bob, roomId } = fixture;
      const upload = await store.createAttachment({ roomId, uploaderId: alice.id, name: 'a.txt', mime: 'text/plain', size: 1, storageKey: 'a' });
      const original = await send(store, text(roomId, alice, 'typo', { attachmentId: upload.id }));
      const reply = await send(store, text(roomId, bob, 'answer', { replyToId: original.id }));
      const at = new Date();
      const edited = await store.editMessage(original.id, 'fixed', at);
      expect(edited).toMatchObject({ id: original.id, seq: original.seq, content: 'fixed', editedAt: at.toISOString(), sender: alice });
      const deleted = await store.deleteMessage(original.id, at, alice.id);
      expect(deleted.message).toMatchObject({ id: original.id, seq: original.seq, content: '', attachment: null, deletedAt: at.toISOString(), deletedBy: alice });
      // The attachment goes with it: no row to serve, its file named for removal.
      expect(deleted.removedFile).toBe('a');
      expect(await store.getAttachment(upload.id)).toBeNull();
      // An edit that loses the race with the delete changes nothing: the text never comes back.
      expect(await store.editMessage(original.id, 'resurrected', new Date())).toBeNull();
      expect(await store.getMessage(original.id)).toMatchObject({ content: '', deletedAt: at.toISOString() });
      const replyNow = await store.getMessage(reply.id);
      expect(replyNow?.replyTo).toMatchObject({ id: original.id, excerpt: '' });
      const page = await store.history({ roomId, limit: 10 });
      expect(page.messages.map((m) => [m.seq, m.content])).toEqual([
        [1, ''],
        [2, 'answer'],
      ]);
    });

    if (dialect === 'postgres') {
      describe('two stores (separate pools) on one database', () => {
        let second: Store;
        beforeEach(async () => {
          const { db } = fixture;
          second = await createStore({ databaseUrl: db.databaseUrl, dataDir: os.tmpdir(), ...(db.pgSchema ? { pgSchema: db.pgSchema } : {}), poolSize: 5 });
        });
        afterEach(async () => {
          await second.close();
        });

        it('numbers a room 1..N with no gaps when both store into it at once', async () => {
          const { store, alice, bob, roomId } = fixture;
          const sends = range(60).map((i) => {
            const target = i % 2 === 0 ? store : second;
            const batch = range((i % 4) + 1).map((k) => text(roomId, i % 3 === 0 ? alice : bob, `m${i}.${k}`));
            return target.appendMessages(batch);
          });
          const results = (await Promise.all(sends)).flat();
          expect(results.every((r) => r.ok && !r.duplicate)).toBe(true);
          expect(await allSeqs(store, roomId)).toEqual(range(results.length));
          expect(await allSeqs(second, roomId)).toEqual(range(results.length));
        });

        it('numbers two rooms 1..N with no gaps when both store batches spanning both rooms at once', async () => {
          const { store, alice, bob, roomId } = fixture;
          const otherRoom = await plainRoom(store, [alice, bob], 'Other');
          const sends = range(40).map((i) => {
            const target = i % 2 === 0 ? store : second;
            // Each batch locks both rooms' counters; the two stores must not deadlock or lose a seq.
            const rooms = i % 3 === 0 ? [otherRoom, roomId] : [roomId, otherRoom];
            return target.appendMessages(rooms.flatMap((room) => range((i % 3) + 1).map((k) => text(room, bob, `m${i}.${room}.${k}`))));
          });
          const results = (await Promise.all(sends)).flat();
          expect(results.every((r) => r.ok && !r.duplicate)).toBe(true);
          const perRoom = results.length / 2;
          expect(await allSeqs(store, roomId)).toEqual(range(perRoom));
          expect(await allSeqs(second, otherRoom)).toEqual(range(perRoom));
          expect((await store.getRoomViewFor(otherRoom, alice.id))?.room).toMatchObject({ lastSeq: perRoom, unread: perRoom });
          expect((await store.getRoomViewFor(otherRoom, bob.id))?.room).toMatchObject({ lastSeq: perRoom, unread: 0 });
        });

        it('stores a clientId sent through both at once exactly once (the loser finds it as a duplicate)', async () => {
          const { store, alice, bob, roomId } = fixture;
          const otherRoom = await plainRoom(store, [alice, bob], 'Other');
          for (let round = 0; round < 10; round++) {
            const message = text(roomId, alice, `race ${round}`);
            // Different rooms: the room locks do not serialise them, only the unique index does.
            const [a, b] = await Promise.all([
              store.appendMessages([message]),
              second.appendMessages([{ ...message, roomId: otherRoom }]),
            ]);
            const outcomes = [a[0], b[0]];
            expect(outcomes.filter((r) => r?.ok && !r.duplicate)).toHaveLength(1);
            expect(outcomes.filter((r) => r?.ok && r.duplicate)).toHaveLength(1);
            expect(stored(outcomes[0]).id).toBe(stored(outcomes[1]).id);
          }
          const total = (await allSeqs(store, roomId)).length + (await allSeqs(store, otherRoom)).length;
          expect(total).toBe(10);
        });
      });
    }
  });
}
