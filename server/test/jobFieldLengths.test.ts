/**
 * A job's text fields and support's search text are counted in characters as the contract counts a
 * message's (Unicode code points): a title of 120 emoji is 120 characters, not 240 UTF-16 units. The web
 * form counts the same way (web/src/pages/postJobLimits.test.tsx), so neither refuses what the other allows.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, serverForSuite } from './support/chat.ts';

/** `n` characters, each two UTF-16 units. */
const emoji = (n: number) => '🧽'.repeat(n);

for (const dialect of DIALECTS) {
  describe(`job field lengths in characters (${dialect})`, () => {
    const server = serverForSuite({ dialect });

    it('a title, description, address and time at their limits in emoji are posted whole; one more character is 400', async () => {
      const carol = await server.login('client2');
      const full = { title: emoji(120), description: emoji(2000), address: emoji(300), scheduledAt: emoji(40) };
      const posted = await api(server, carol.token, 'POST', '/api/jobs', full);
      expect(posted.status).toBe(200);
      expect(posted.body.job as Job).toMatchObject(full);
      for (const [field, text] of [
        ['title', emoji(121)],
        ['description', emoji(2001)],
        ['address', emoji(301)],
        ['scheduledAt', emoji(41)],
      ] as const) {
        const refused = await api(server, carol.token, 'POST', '/api/jobs', { ...full, [field]: text });
        expect(refused.status, field).toBe(400);
        expect(refused.body.error?.code, field).toBe('BAD_REQUEST');
      }
    });

    it('a title is counted after trimming', async () => {
      const carol = await server.login('client2');
      expect((await api(server, carol.token, 'POST', '/api/jobs', { title: `  ${emoji(120)}  ` })).status).toBe(200);
    });

    it("support's search text may hold 100 emoji; 101 is 400", async () => {
      const sam = await server.login('support1');
      const search = (q: string) => api(server, sam.token, 'GET', `/api/jobs?q=${encodeURIComponent(q)}`);
      expect((await search(emoji(100))).status).toBe(200);
      expect((await search(emoji(101))).status).toBe(400);
    });
  });
}
