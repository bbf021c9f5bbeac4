/**
 * Who deleted a message (migration 009, Message.deletedBy): recorded by each deletion, kept by the first
 * of two, and null for a message deleted before the upgrade (nobody recorded it) or not deleted at all.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { runStatements } from './rawStatements.ts';
import { aliceAndBob, send, text } from './people.ts';

for (const dialect of DIALECTS) {
  describe(`who deleted a message, stored (${dialect})`, () => {
    const fixture = storeFixture(dialect, aliceAndBob);

    it('the first deletion stands: a second one (another tab, support at the same moment) changes neither who nor when', async () => {
      const { store, alice, bob, roomId } = fixture;
      const sent = await send(store, text(roomId, alice, 'my phone number is …'));
      const first = new Date('2026-11-29T10:00:00.000Z');
      const removed = await store.deleteMessage(sent.id, first, bob.id);
      expect(removed.message).toMatchObject({ content: '', deletedAt: first.toISOString(), deletedBy: bob });
      const again = await store.deleteMessage(sent.id, new Date('2026-11-29T10:00:01.000Z'), alice.id);
      expect(again.message).toEqual(removed.message);
    });

    it('a message deleted before the upgrade reads as deleted by nobody known; one deleted after names its deleter', async () => {
      const { db, store, alice, bob, roomId } = fixture;
      await runStatements(db, ['alter table messages drop column deleted_by', "delete from schema_migrations where id = '009_messages_deleted_by'"]);
      const early = await send(store, text(roomId, alice, 'deleted by an older node'));
      const late = await send(store, text(roomId, bob, 'deleted after the upgrade'));
      // An older node's delete: no deleter to record.
      await runStatements(db, [`update messages set content = '', deleted_at = '2026-11-29T09:00:00.000Z' where id = ${early.id}`]);

      await store.migrate();

      await store.deleteMessage(late.id, new Date(), bob.id);
      const page = await store.history({ roomId, limit: 10 });
      expect(page.messages.map((m) => [m.id, m.content, m.deletedAt !== null, m.deletedBy])).toEqual([
        [early.id, '', true, null],
        [late.id, '', true, bob],
      ]);
    });
  });
}
