/**
 * Migration 007 re-keys the idempotency index (client_id, sender_id) on a
 * database that already holds messages: sends stored before the upgrade are
 * still recognised when a client retries them after it.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { runStatements } from './rawStatements.ts';
import { aliceAndBob, send, text } from './people.ts';

/** The schema as it was before 007: the index keyed (sender_id, client_id), 007 not applied. */
const BEFORE_007 = [
  'drop index messages_client_sender',
  'create unique index messages_sender_client on messages(sender_id, client_id)',
  "delete from schema_migrations where id = '007_messages_client_sender'",
];

for (const dialect of DIALECTS) {
  describe(`upgrading to the time-ordered clientId index (${dialect})`, () => {
    const fixture = storeFixture(dialect, aliceAndBob);

    it('recognises a retry of a send stored before the upgrade; another sender’s same clientId stays a new message', async () => {
      const { db, store, alice, bob, roomId } = fixture;
      await runStatements(db, BEFORE_007);
      const before = text(roomId, alice, 'the key is under the mat');
      const original = await send(store, before);

      await store.migrate();

      const [retry] = await store.appendMessages([{ ...before, content: 'sent again after a reconnect' }]);
      expect(retry).toMatchObject({ ok: true, duplicate: true, message: { id: original.id, seq: 1, content: 'the key is under the mat' } });
      const fromBob = await send(store, { ...before, senderId: bob.id });
      expect(fromBob).toMatchObject({ seq: 2, sender: { id: bob.id } });
      const [again] = await store.appendMessages([{ ...before, senderId: bob.id }]);
      expect(again).toMatchObject({ ok: true, duplicate: true, message: { id: fromBob.id } });
    });
  });
}
