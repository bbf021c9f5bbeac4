/**
 * Two nodes whose clocks differ by a few seconds share one database. What a
 * client decides from the server's times must still come out right: of two
 * copies of an edited message, the one with the later `editedAt` is taken as
 * the newer (newerCopy), so a later edit must never carry an earlier time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newerCopy } from '@ecc/client';
import type { Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { DIALECTS, createTestStore, type TestStore } from './support/databases.ts';
import { cid, connectAs } from './support/chat.ts';

const SKEW_MS = 3_000;

/** A node's view of the store whose clock runs `SKEW_MS` behind: the times it writes are that much earlier. */
function behindBy(store: Store): Store {
  const earlier = (at: Date) => new Date(at.getTime() - SKEW_MS);
  return Object.assign(Object.create(store) as Store, {
    editMessage: (id: number, content: string, at: Date) => store.editMessage(id, content, earlier(at)),
  } satisfies Partial<Store>);
}

for (const dialect of DIALECTS) {
  describe(`nodes with clocks apart (${dialect})`, () => {
    let db: TestStore;
    let a: TestServer;
    let b: TestServer;

    beforeAll(async () => {
      db = await createTestStore(dialect);
      a = await startTestServer({ store: db.store });
      b = await startTestServer({ store: behindBy(db.store), seed: false });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await db?.cleanup();
    });

    it('a message edited on one node, then again on a node whose clock is behind: the second text is the one kept', async () => {
      const onA = await connectAs(a, 'client1');
      const onB = await connectAs(b, 'client1');
      const roomId = onA.ready.rooms.find((r) => r.type === 'job')?.id ?? 0;
      const sent = await onA.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Keys under the mat' });
      const id = sent.message.id;

      const first = await onA.socket.expect('message_updated', { type: 'edit', messageId: id, content: 'Keys with the neighbour' });
      const second = await onB.socket.expect('message_updated', { type: 'edit', messageId: id, content: 'Keys in the lockbox' });

      // A device holding the first edit (live) meets the second (live, or in a page read on reconnect).
      expect(newerCopy(first.message, second.message).content).toBe('Keys in the lockbox');
      expect(newerCopy(second.message, first.message).content).toBe('Keys in the lockbox');
      expect((await db.store.getMessage(id))?.content).toBe('Keys in the lockbox');
      for (const s of [onA.socket, onB.socket]) s.close();
    });
  });
}
