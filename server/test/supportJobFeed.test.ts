/**
 * Support staff's jobs page, live (an addition): every connected support agent gets `job_changed`
 * when a job is posted, accepted or moved along (started, completed, cancelled), carrying the job as
 * support's `GET /api/jobs` lists it. Support staff are in no job's room, so before this their "All
 * jobs" kept showing a completed job as assigned, with a "Start job" button, until a reload.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { SUPPORT_JOBS_TOPIC } from '../src/fanout/bus.ts';
import { api, connectAs, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';
import { twoNodes } from './support/twoNodes.ts';
import { waitUntil } from './cluster/support/redis.ts';

for (const dialect of DIALECTS) {
  describe(`support's job feed over the socket (${dialect})`, () => {
    const server = serverForSuite({ dialect });

    it('tells support staff of a job posted, accepted, started and completed, with its people; not clients or cleaners', async () => {
      const sam = await connectAs(server, 'support1');
      const carol = await connectAs(server, 'client2');
      const bob = await connectAs(server, 'cleaner1');
      const posted = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Garage sweep', address: '9 Elm Road' })).body.job as Job;
      const listed = async () => ((await api(server, sam.token, 'GET', '/api/jobs')).body.jobs as Job[]).find((j) => j.id === posted.id);

      const heardPosted = (await sam.socket.next('job_changed', (f) => f.job.id === posted.id)).job;
      expect(heardPosted).toEqual(await listed());
      expect(heardPosted).toMatchObject({ status: 'open', address: '9 Elm Road', clientName: 'Carol Client' });

      expect((await api(server, bob.token, 'POST', `/api/jobs/${posted.id}/accept`)).status).toBe(200);
      const heardAssigned = (await sam.socket.next('job_changed', (f) => f.job.id === posted.id && f.job.status === 'assigned')).job;
      expect(heardAssigned).toEqual(await listed());
      expect(heardAssigned).toMatchObject({ clientName: 'Carol Client', cleanerName: 'Bob Cleaner' });

      for (const status of ['in_progress', 'completed'] as const) {
        expect((await api(server, bob.token, 'POST', `/api/jobs/${posted.id}/status`, { status })).status).toBe(200);
        const heard = (await sam.socket.next('job_changed', (f) => f.job.id === posted.id && f.job.status === status)).job;
        expect(heard).toEqual(await listed());
      }

      for (const { socket } of [carol, bob]) {
        await socket.sync();
        expect(socket.all('job_changed')).toEqual([]);
      }
      for (const { socket } of [sam, carol, bob]) socket.close();
    });
  });
}

describe("support's job feed between nodes", () => {
  const nodes = twoNodes();

  it('reaches a support agent on another node, and only a node holding one listens for it', async () => {
    const { a, b, busB } = nodes;
    const bob = await connectAs(b, 'cleaner1');
    expect(busB.wantedTopics()).not.toContain(SUPPORT_JOBS_TOPIC);
    const sam = await connectAs(b, 'support1');
    expect(busB.wantedTopics()).toContain(SUPPORT_JOBS_TOPIC);
    const carolOnA = await a.login('client2');
    const posted = (await api(a, carolOnA.token, 'POST', '/api/jobs', { title: 'Shed' })).body.job as Job;
    expect((await sam.socket.next('job_changed', (f) => f.job.id === posted.id)).job).toMatchObject({ status: 'open', clientName: 'Carol Client' });
    await api(a, carolOnA.token, 'POST', `/api/jobs/${posted.id}/status`, { status: 'cancelled' });
    expect((await sam.socket.next('job_changed', (f) => f.job.id === posted.id && f.job.status === 'cancelled')).job.title).toBe('Shed');

    await bob.socket.sync();
    expect(bob.socket.all('job_changed')).toEqual([]);
    sam.socket.close();
    await waitUntil('node B stops listening once its last support agent left', () => !busB.wantedTopics().includes(SUPPORT_JOBS_TOPIC));
    bob.socket.close();
  });
});
