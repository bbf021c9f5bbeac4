/**
 * Who moved a job, stored with its notice (migration 011, Message.actorId): the cleaner who accepted it,
 * whoever changed its status. A notice stored before the upgrade has none (nobody recorded it), and a
 * user's message never has one.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { runStatements } from './rawStatements.ts';
import { jobRoom, makeUser, send, system, text } from './people.ts';

for (const dialect of DIALECTS) {
  describe(`who moved a job, stored with its notice (${dialect})`, () => {
    const fixture = storeFixture(dialect, jobRoom);

    it('the notice of an acceptance names the cleaner, of a status change its mover; a message of a user names none', async () => {
      const { store, client, cleaner, roomId, jobId } = fixture;
      const agent = await makeUser(store, 'support');
      const chat = await send(store, text(roomId, client, 'See you at nine'));
      const changed = await store.setJobStatus(jobId, 'assigned', 'in_progress', 'Status changed to In progress by support 3', agent.id);
      expect(changed?.message).toMatchObject({ sender: null, type: 'system', actorId: agent.id });
      const page = await store.history({ roomId, limit: 10 });
      expect(page.messages.map((m) => m.actorId)).toEqual([cleaner.id, undefined, agent.id]);
      expect(page.messages[1]).toEqual(chat);
      expect(chat).not.toHaveProperty('actorId');
      expect((await store.listRoomsFor(client.id)).rooms.find((r) => r.id === roomId)?.lastMessage).toEqual(changed?.message);
    });

    it('a notice stored before the upgrade names no mover; one stored after does', async () => {
      const { db, store, cleaner, roomId, jobId } = fixture;
      await runStatements(db, ['alter table messages drop column actor_id', "delete from schema_migrations where id = '011_messages_actor_id'"]);
      // An older node's notice: no mover to record.
      const early = await send(store, system(roomId, 'Status changed to In progress by cleaner 2'));

      await store.migrate();

      const changed = await store.setJobStatus(jobId, 'assigned', 'completed', 'Status changed to Completed by cleaner 2', cleaner.id);
      const page = await store.history({ roomId, limit: 10 });
      expect(page.messages.slice(1).map((m) => [m.id, 'actorId' in m ? m.actorId : 'none'])).toEqual([
        [early.id, 'none'],
        [changed?.message?.id, cleaner.id],
      ]);
    });
  });
}
