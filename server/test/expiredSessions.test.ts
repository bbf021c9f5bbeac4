/**
 * Sessions that expired are deleted: every sign-in adds a row, most are never
 * logged out (the cookie just expires), and the table grew by one row per
 * sign-in for the life of the deployment. The first sweep after deploying
 * that meets years of them must not freeze the node while it deletes them.
 */
import { describe, expect, it } from 'vitest';
import { hashToken, newToken } from '../src/auth/tokens.ts';
import type { KyselyStore } from '../src/storage/kyselyStore.ts';
import { api, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';

const DAY_MS = 86_400_000;

for (const dialect of DIALECTS) {
  describe(`expired sessions (${dialect})`, () => {
    const server = serverForSuite({ dialect });

    /** `select count(*) from sessions`, as an operator would watch the table. */
    const sessionRows = async () => {
      const { db } = server.store as KyselyStore;
      const row = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      return Number(row.n);
    };

    it('are deleted by the sweep; live sessions stay and keep working', async () => {
      const alice = await server.login('client1');
      const bob = await server.login('cleaner1');
      const before = await sessionRows();
      // Sign-ins of last month, never logged out: their sessions have expired since.
      for (let i = 0; i < 25; i++) {
        const userId = i % 2 === 0 ? alice.user.id : bob.user.id;
        await server.store.createSession(userId, hashToken(newToken()), new Date(Date.now() - (i + 1) * DAY_MS));
      }
      expect(await sessionRows()).toBe(before + 25);

      await server.server.sweepSessions();

      expect(await sessionRows()).toBe(before);
      expect((await api(server, alice.token, 'GET', '/api/me')).status).toBe(200);
      expect((await api(server, bob.token, 'GET', '/api/me')).status).toBe(200);
    });

    it('a backlog is deleted in steps between which the node serves its sockets and requests', async () => {
      const { db } = server.store as KyselyStore;
      const alice = await server.login('client1');
      const before = await sessionRows();
      const expiredAt = new Date(Date.now() - DAY_MS).toISOString();
      // More than one statement's worth (a backlog of sign-ins from before the sweeper existed).
      for (let batch = 0; batch < 12; batch++) {
        const rows = Array.from({ length: 250 }, () => ({ user_id: alice.user.id, token_hash: hashToken(newToken()), created_at: expiredAt, expires_at: expiredAt }));
        await db.insertInto('sessions').values(rows).execute();
      }
      const order: string[] = [];
      const sweeping = server.server.sweepSessions().then(() => order.push('swept'));
      // SQLite runs each statement on the event loop: the loop must get a turn before the whole backlog is gone.
      setImmediate(() => order.push('event loop turned'));
      await sweeping;
      expect(order).toEqual(['event loop turned', 'swept']);
      expect(await sessionRows()).toBe(before);
    });
  });
}
