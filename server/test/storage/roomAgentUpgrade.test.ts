/**
 * Migration 012 records each support room's agent (`rooms.agent_id`), the load `pickSupportAgent` counts, on
 * a database that already holds support rooms, some of them joined by other agents: each room's agent is the
 * support participant who came first, not one who joined later. A support room a node of the previous version
 * opens after that (it sets no agent) keeps none: the pass is recorded and not made again. A pass that fails
 * does not stop the node; the next start makes it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { ROOM_AGENT_BATCH } from '../../src/storage/roomAgents.ts';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { makeUser } from './people.ts';
import { queryValue, runStatements } from './rawStatements.ts';

/** The schema as it was before 012: no agent column, 012 not applied. */
const BEFORE_012 = ['drop index rooms_agent', 'alter table rooms drop column agent_id', "delete from schema_migrations where id in ('012_rooms_agent_id', '012b_rooms_agent_backfill')"];

for (const dialect of DIALECTS) {
  describe(`upgrading to support rooms with their agent (${dialect})`, () => {
    const fixture = storeFixture(dialect);

    it('gives each existing support room the agent who was in it first, so rooms joined before the upgrade are no one\'s load', async () => {
      const { db, store } = fixture;
      const greeting = (agent: User) => `${agent.displayName} will help`;
      // Ann first: the lower id, so only the join times can tell her from Ben in his rooms.
      const ann = await makeUser(store, 'support');
      const ben = await makeUser(store, 'support');
      await store.openSupportRoom(await makeUser(store, 'client'), greeting, ann);
      const bens = [await store.openSupportRoom(await makeUser(store, 'client'), greeting, ben), await store.openSupportRoom(await makeUser(store, 'client'), greeting, ben)];
      // Joined later (a join comes after its room was opened, never in the same millisecond).
      await sleep(5);
      for (const opened of bens) await store.joinRoom(opened?.roomId ?? 0, ann.id, 'Ann joined');
      await runStatements(db, BEFORE_012);

      await store.migrate();

      expect((await store.pickSupportAgent())?.id).toBe(ann.id);
      await store.openSupportRoom(await makeUser(store, 'client'), greeting, ann);
      // Two each now: the lower id.
      expect((await store.pickSupportAgent())?.id).toBe(ann.id);
      await store.openSupportRoom(await makeUser(store, 'client'), greeting, ann);
      expect((await store.pickSupportAgent())?.id).toBe(ben.id);
    });

    it('leaves a support room an old node opened after the upgrade without an agent: it counts for no one, later starts do not look again', async () => {
      const { db, store } = fixture;
      // Ben first: the lower id wins a tie.
      const ben = await makeUser(store, 'support');
      const ann = await makeUser(store, 'support');
      const client = await makeUser(store, 'client');
      await store.openSupportRoom(await makeUser(store, 'client'), (agent) => `${agent.displayName} will help`, ben);
      // An old node's opening: the room and its two participants, no agent.
      await runStatements(db, [
        `insert into rooms (type, name, is_active, last_seq, updated_at, created_at) values ('support', 'Old node', 1, 0, '2026-01-01', '2026-01-01')`,
        `insert into participants (room_id, user_id, joined_at) select max(id), ${client.id}, '2026-01-01' from rooms`,
        `insert into participants (room_id, user_id, joined_at) select max(id), ${ann.id}, '2026-01-01' from rooms`,
      ]);

      await store.migrate();

      // Still Ann's turn: her room an old node opened is no one's load.
      expect((await store.pickSupportAgent())?.id).toBe(ann.id);
      expect(Number(await queryValue(db, "select count(*) from schema_migrations where id = '012b_rooms_agent_backfill'"))).toBe(1);
    });

    it('starts when support rooms cannot be given their agent, and gives them at the next start', async () => {
      const { db, store } = fixture;
      const ben = await makeUser(store, 'support');
      const ann = await makeUser(store, 'support');
      await store.openSupportRoom(await makeUser(store, 'client'), (agent) => `${agent.displayName} will help`, ben);
      const refuse = dialect === 'postgres'
        ? [
            "create function refuse_rooms() returns trigger language plpgsql as $$ begin raise exception 'refused'; end $$",
            'create trigger refuse before update on rooms for each row execute function refuse_rooms()',
          ]
        : ["create trigger refuse before update on rooms begin select raise(abort, 'refused'); end"];
      await runStatements(db, [...BEFORE_012, ...refuse]);
      const failures: unknown[] = [];

      await store.migrate({ onBackfillFailed: (err) => failures.push(err) });

      expect(failures.map((err) => (err as Error).message)).toEqual([expect.stringContaining('refused')]);
      // Ben's room is no one's load yet: his turn (the lower id).
      expect((await store.pickSupportAgent())?.id).toBe(ben.id);
      await runStatements(db, ['drop trigger refuse' + (dialect === 'postgres' ? ' on rooms' : '')]);

      await store.migrate({ onBackfillFailed: (err) => failures.push(err) });

      expect(failures).toHaveLength(1);
      expect((await store.pickSupportAgent())?.id).toBe(ann.id);
    });

    it('gives their agent to support rooms of more than one batch, past rooms with no support participant', async () => {
      const { db, store } = fixture;
      const agent = await makeUser(store, 'support');
      const client = await makeUser(store, 'client');
      const rooms = 2 * ROOM_AGENT_BATCH + 100;
      await runStatements(db, [
        ...BEFORE_012,
        `with recursive g(n) as (select 1 union all select n + 1 from g where n < ${rooms})
           insert into rooms (type, name, is_active, last_seq, updated_at, created_at)
           select 'support', 'S' || n, 1, 0, '2026-01-01', '2026-01-01' from g`,
        `insert into participants (room_id, user_id, joined_at) select id, ${client.id}, '2026-01-01' from rooms where type = 'support'`,
        // Every 1000th room's agent is gone from it: it keeps none, and the rooms after it are still given theirs.
        `insert into participants (room_id, user_id, joined_at) select id, ${agent.id}, '2026-01-01' from rooms where type = 'support' and id % 1000 <> 0`,
      ]);

      await store.migrate();

      const agents = async (where: string) => Number(await queryValue(db, `select count(*) from rooms where type = 'support' and ${where}`));
      expect(await agents(`agent_id = ${agent.id}`)).toBe(rooms - Math.floor(rooms / 1000));
      expect(await agents('agent_id is null')).toBe(Math.floor(rooms / 1000));
    });
  });
}
