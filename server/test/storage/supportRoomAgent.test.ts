/**
 * Opening a user's support room tells whose room it is (`agentId`, `rooms.agent_id`), so a staff member
 * turned away is told the room's agent, not another agent who joined it; a room an older node opened
 * (before migration 012 it recorded no agent) says so with null.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { makeUser } from './people.ts';
import { runStatements } from './rawStatements.ts';

const greeting = (agent: User) => `${agent.displayName} will help`;

for (const dialect of DIALECTS) {
  describe(`a support room's agent when it is opened (${dialect})`, () => {
    const fixture = storeFixture(dialect);

    it('is the agent it was opened with, new or found again, whoever joined it since', async () => {
      const { store } = fixture;
      const ann = await makeUser(store, 'support');
      const zed = await makeUser(store, 'support');
      const client = await makeUser(store, 'client');
      const opened = await store.openSupportRoom(client, greeting, zed);
      expect(opened).toMatchObject({ agentId: zed.id });
      await store.joinRoom(opened?.roomId ?? 0, ann.id, 'Ann joined');
      expect(await store.openSupportRoom(client, greeting, ann)).toEqual({ roomId: opened?.roomId, greeting: null, agentId: zed.id });
    });

    it('is null for a room opened by a node that recorded no agent', async () => {
      const { db, store } = fixture;
      const ann = await makeUser(store, 'support');
      const client = await makeUser(store, 'client');
      const opened = await store.openSupportRoom(client, greeting, ann);
      await runStatements(db, [`update rooms set agent_id = null where id = ${opened?.roomId ?? 0}`]);
      expect(await store.openSupportRoom(client, greeting)).toEqual({ roomId: opened?.roomId, greeting: null, agentId: null });
    });
  });
}
