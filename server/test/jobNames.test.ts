/**
 * `GET /api/jobs` names a job's people (an addition: `clientName`, `cleanerName`) so support staff can
 * find the jobs of the client who writes to them. Names follow ids: a cleaner browsing open jobs is not
 * told whose they are (no `clientId`, so no `clientName` either), nor is the open-jobs board.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { api, connectAs, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';

for (const dialect of DIALECTS) {
  describe(`the names of a job's people (${dialect})`, () => {
    const server = serverForSuite({ dialect });
    const listedTo = async (token: string, id: number) => ((await api(server, token, 'GET', '/api/jobs')).body.jobs as Job[]).find((j) => j.id === id);

    it('support staff read the client and, once taken, the cleaner of every job', async () => {
      const carol = await server.login('client2');
      const dan = await server.login('cleaner2');
      const sam = await server.login('support1');
      const posted = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Cleaner did not show' })).body.job as Job;
      const open = await listedTo(sam.token, posted.id);
      expect(open?.clientName).toBe('Carol Client');
      expect(open).not.toHaveProperty('cleanerName');

      expect((await api(server, dan.token, 'POST', `/api/jobs/${posted.id}/accept`)).status).toBe(200);
      expect(await listedTo(sam.token, posted.id)).toMatchObject({ clientName: 'Carol Client', cleanerName: 'Dan Cleaner' });
      // The demo's assigned job, written before the request: Alice's, taken by Bob.
      expect(await listedTo(sam.token, server.demo!.assignedJobId)).toMatchObject({ clientName: 'Alice Client', cleanerName: 'Bob Cleaner' });
    });

    it("a job's client reads its cleaner's name, its cleaner the client's", async () => {
      const carol = await server.login('client2');
      const dan = await server.login('cleaner2');
      const posted = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Windows' })).body.job as Job;
      expect((await api(server, dan.token, 'POST', `/api/jobs/${posted.id}/accept`)).status).toBe(200);
      expect(await listedTo(carol.token, posted.id)).toMatchObject({ clientName: 'Carol Client', cleanerName: 'Dan Cleaner' });
      expect(await listedTo(dan.token, posted.id)).toMatchObject({ clientName: 'Carol Client', cleanerName: 'Dan Cleaner' });
    });

    it("a cleaner browsing open jobs is not told the client's name, in the list nor on the board", async () => {
      const carol = await server.login('client2');
      const bob = await connectAs(server, 'cleaner1');
      const posted = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Patio', address: '12 Rosemary Lane' })).body.job as Job;
      const heard = (await bob.socket.next('open_job', (f) => f.job.id === posted.id)).job;
      const listed = await listedTo(bob.token, posted.id);
      expect(listed?.title).toBe('Patio');
      for (const job of [listed, heard]) {
        expect(job).not.toHaveProperty('clientName');
        expect(job).not.toHaveProperty('cleanerName');
      }
      expect(JSON.stringify(listed)).not.toContain('Carol');
      bob.socket.close();
    });
  });
}
