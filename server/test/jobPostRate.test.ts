/**
 * Posting jobs is limited per client over a window: every post reaches every cleaner's socket
 * (`open_job`), and a post cancelled at once frees its open-jobs place, so one client account
 * posting and cancelling in a loop flooded every cleaner (and grew the jobs table) without end.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { api, connectAs, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';

const HOUR_MS = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`job posts per client (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { limits: { jobPostLimit: 3, jobPostWindowMs: HOUR_MS } } });

    it('a client posting and cancelling in a loop is refused (429, Retry-After) past the limit; cleaners hear nothing of it; other clients still post', async () => {
      const carol = await server.login('client2');
      const alice = await server.login('client1');
      const bob = await connectAs(server, 'cleaner1');
      // The demo data posted one of Carol's jobs just now: it counts.
      const postAndCancel = async (title: string) => {
        const posted = await api(server, carol.token, 'POST', '/api/jobs', { title });
        if (posted.status === 200) {
          const job = posted.body.job as Job;
          expect((await api(server, carol.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'cancelled' })).status).toBe(200);
        }
        return posted;
      };
      expect((await postAndCancel('One')).status).toBe(200);
      expect((await postAndCancel('Two')).status).toBe(200);
      const refused = await postAndCancel('Three');
      expect(refused.status).toBe(429);
      expect(refused.body.error?.code).toBe('RATE_LIMITED');
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(HOUR_MS / 1000 - 60);
      expect(retryAfter).toBeLessThanOrEqual(HOUR_MS / 1000);

      // Nothing of the refused post was stored or announced.
      await bob.socket.sync();
      expect(bob.socket.all('open_job').map((f) => f.job.title)).toEqual(['One', 'One', 'Two', 'Two']);
      const carolsJobs = (await api(server, carol.token, 'GET', '/api/jobs')).body.jobs as Job[];
      expect(carolsJobs.some((j) => j.title === 'Three')).toBe(false);

      // Counted per client.
      expect((await api(server, alice.token, 'POST', '/api/jobs', { title: 'Alice posts' })).status).toBe(200);
      bob.socket.close();
    });
  });
}

describe('job posts per client at the default limit', () => {
  const server = serverForSuite({ dialect: 'sqlite' });

  it('a client posting many jobs in an hour (an agency, or a test suite run twice on one database) is not refused', async () => {
    const alice = await server.login('client1');
    for (let i = 0; i < 60; i++) {
      const posted = await api(server, alice.token, 'POST', '/api/jobs', { title: `Flat ${i}` });
      expect(posted.status, `post ${i}`).toBe(200);
      // Cancelled, as a suite cleans up: the open-jobs cap is another limit.
      expect((await api(server, alice.token, 'POST', `/api/jobs/${(posted.body.job as Job).id}/status`, { status: 'cancelled' })).status).toBe(200);
    }
  });
});
