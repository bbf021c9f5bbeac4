/**
 * The live open-jobs board (an addition): every connected cleaner gets `open_job` when a job is
 * posted and when it leaves the open state (accepted, cancelled), carrying the job as a cleaner's
 * `GET /api/jobs` lists it while open — never its address. Clients and support staff get nothing.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { OPEN_JOBS_TOPIC } from '../src/fanout/bus.ts';
import { api, connectAs, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';
import { twoNodes } from './support/twoNodes.ts';
import { waitUntil } from './cluster/support/redis.ts';

for (const dialect of DIALECTS) {
  describe(`the open-jobs board over the socket (${dialect})`, () => {
    const server = serverForSuite({ dialect });

    it('tells every cleaner of a job posted and of it taken by another, without its address; not clients or support', async () => {
      const carol = await connectAs(server, 'client2');
      const bob = await connectAs(server, 'cleaner1');
      const dan = await connectAs(server, 'cleaner2');
      const sam = await connectAs(server, 'support1');
      const posted = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Oven deep clean', description: 'Grease', address: '7 Secret Lane' })).body.job as Job;

      const { job } = await bob.socket.next('open_job', (f) => f.job.id === posted.id);
      // Exactly the job as the cleaner's own list shows it.
      const listed = ((await api(server, bob.token, 'GET', '/api/jobs')).body.jobs as Job[]).find((j) => j.id === posted.id);
      expect(job).toEqual(listed);
      expect(job).toMatchObject({ title: 'Oven deep clean', status: 'open', addressOnAccept: true });
      expect(job).not.toHaveProperty('address');
      expect((await dan.socket.next('open_job', (f) => f.job.id === posted.id)).job).toEqual(listed);

      expect((await api(server, dan.token, 'POST', `/api/jobs/${posted.id}/accept`)).status).toBe(200);
      const taken = (await bob.socket.next('open_job', (f) => f.job.id === posted.id && f.job.status !== 'open')).job;
      expect(taken.status).toBe('assigned');
      // Who took it and its room are not the other cleaners' business, nor is the address.
      for (const field of ['address', 'cleanerId', 'roomId']) expect(taken).not.toHaveProperty(field);
      expect((await dan.socket.next('open_job', (f) => f.job.id === posted.id && f.job.status !== 'open')).job.status).toBe('assigned');

      for (const { socket } of [carol, sam]) {
        await socket.sync();
        expect(socket.all('open_job')).toEqual([]);
      }
      for (const { socket } of [carol, bob, dan, sam]) socket.close();
    });

    it('does not tell cleaners browsing open jobs whose they are (a cleaner who worked for a client would know their other jobs, and where): only the one who takes it', async () => {
      const alice = await server.login('client1');
      const bob = await connectAs(server, 'cleaner1');
      const dan = await server.login('cleaner2');
      const listedTo = async (token: string, id: number) => ((await api(server, token, 'GET', '/api/jobs')).body.jobs as Job[]).find((j) => j.id === id);
      const posted = (await api(server, alice.token, 'POST', '/api/jobs', { title: 'Patio', address: '12 Rosemary Lane' })).body.job as Job;
      const heard = (await bob.socket.next('open_job', (f) => f.job.id === posted.id)).job;
      expect(heard).not.toHaveProperty('clientId');
      expect(await listedTo(bob.token, posted.id)).not.toHaveProperty('clientId');
      // The demo's open job (Carol's) too.
      expect(await listedTo(bob.token, server.demo!.openJobId)).not.toHaveProperty('clientId');

      expect((await api(server, dan.token, 'POST', `/api/jobs/${posted.id}/accept`)).status).toBe(200);
      expect((await bob.socket.next('open_job', (f) => f.job.id === posted.id && f.job.status !== 'open')).job).not.toHaveProperty('clientId');
      expect((await listedTo(dan.token, posted.id))?.clientId).toBe(alice.user.id);
      expect((await listedTo(alice.token, posted.id))?.clientId).toBe(alice.user.id);
      bob.socket.close();
    });

    it('tells cleaners of an open job its client cancelled, and of nothing when a job with a room moves on', async () => {
      const carol = await server.login('client2');
      const bob = await connectAs(server, 'cleaner1');
      const dan = await server.login('cleaner2');
      const posted = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Window wash' })).body.job as Job;
      expect((await bob.socket.next('open_job', (f) => f.job.id === posted.id)).job).toMatchObject({ status: 'open', address: null });
      expect((await api(server, carol.token, 'POST', `/api/jobs/${posted.id}/status`, { status: 'cancelled' })).status).toBe(200);
      expect((await bob.socket.next('open_job', (f) => f.job.id === posted.id && f.job.status !== 'open')).job.status).toBe('cancelled');

      // An assigned job starting or being cancelled was off the board already.
      const other = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Stairwell' })).body.job as Job;
      await api(server, dan.token, 'POST', `/api/jobs/${other.id}/accept`);
      await bob.socket.next('open_job', (f) => f.job.id === other.id && f.job.status === 'assigned');
      await api(server, dan.token, 'POST', `/api/jobs/${other.id}/status`, { status: 'in_progress' });
      await api(server, carol.token, 'POST', `/api/jobs/${other.id}/status`, { status: 'cancelled' });
      await bob.socket.sync();
      expect(bob.socket.all('open_job').filter((f) => f.job.id === other.id).map((f) => f.job.status)).toEqual(['open', 'assigned']);
      bob.socket.close();
    });
  });
}

describe('the open-jobs board across nodes', () => {
  const nodes = twoNodes();

  it('reaches a cleaner on another node, and only a node holding a cleaner listens for it', async () => {
    const { a, b, busB } = nodes;
    const carol = await connectAs(b, 'client2');
    expect(busB.wantedTopics()).not.toContain(OPEN_JOBS_TOPIC);
    const bob = await connectAs(b, 'cleaner1');
    expect(busB.wantedTopics()).toContain(OPEN_JOBS_TOPIC);
    const carolOnA = await a.login('client2');
    const danOnA = await a.login('cleaner2');

    const posted = (await api(a, carolOnA.token, 'POST', '/api/jobs', { title: 'Loft', address: '9 Hidden Row' })).body.job as Job;
    const { job } = await bob.socket.next('open_job', (f) => f.job.id === posted.id);
    expect(job).not.toHaveProperty('address');
    expect(job).toMatchObject({ status: 'open', addressOnAccept: true });
    await api(a, danOnA.token, 'POST', `/api/jobs/${posted.id}/accept`);
    expect((await bob.socket.next('open_job', (f) => f.job.id === posted.id && f.job.status !== 'open')).job.status).toBe('assigned');

    await carol.socket.sync();
    expect(carol.socket.all('open_job')).toEqual([]);
    bob.socket.close();
    await waitUntil('node B stops listening once its last cleaner left', () => !busB.wantedTopics().includes(OPEN_JOBS_TOPIC));
    carol.socket.close();
  });
});
