/**
 * Migration 012 records each support room's agent (`rooms.agent_id`), the load `pickSupportAgent` counts, on
 * a database that already holds support rooms, some of them joined by other agents: each room's agent is the
 * support participant who came first, not one who joined later.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { makeUser } from './people.ts';
import { runStatements } from './rawStatements.ts';

/** The schema as it was before 012: no agent column, 012 not applied. */
const BEFORE_012 = ['drop index if exists rooms_agent', 'alter table rooms drop column agent_id', "delete from schema_migrations where id = '012_rooms_agent_id'"];

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
  });
}
