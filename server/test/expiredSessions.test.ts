/**
 * Sessions that expired are deleted: every sign-in adds a row, most are never
 * logged out (the cookie just expires), and the table grew by one row per
 * sign-in for the life of the deployment.
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
  });
}
