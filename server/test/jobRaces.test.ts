/**
 * Job requests fired at once, as a script or several tabs do, over real HTTP: on PostgreSQL through
 * two nodes with a connection pool each (two processes), on SQLite through one database. The
 * database decides: the per-client post limits hold, one accept or one change wins and the others
 * are told why, and the room gets one system message per change that happened.
 */
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, User } from '@ecc/protocol';
import { hashPassword } from '../src/auth/passwords.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { JobService } from '../src/services/jobs.ts';
import type { RoomAnnouncer } from '../src/services/roomAnnouncer.ts';
import { createStore } from '../src/storage/index.ts';
import type { Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import type { JobBoard } from '../src/ws/jobBoard.ts';
import { api } from './support/chat.ts';
import { DIALECTS, createTestStore, type TestStore } from './support/databases.ts';

const HOUR_MS = 3_600_000;

for (const dialect of DIALECTS) {
  describe(`job requests at once (${dialect})`, () => {
    let db: TestStore;
    /** Node B's store: on PostgreSQL its own pool on the same schema; on SQLite the one store. */
    let storeB: Store;
    let a: TestServer;
    let b: TestServer;
    const config = { roomCloseGraceMs: 0, limits: { maxOpenJobsPerClient: 2, jobPostLimit: 3, jobPostWindowMs: HOUR_MS } };

    beforeAll(async () => {
      db = await createTestStore(dialect);
      storeB = db.databaseUrl
        ? await createStore({ databaseUrl: db.databaseUrl, dataDir: os.tmpdir(), ...(db.pgSchema ? { pgSchema: db.pgSchema } : {}), poolSize: 5 })
        : db.store;
      a = await startTestServer({ store: db.store, seed: false, config });
      b = await startTestServer({ store: storeB, seed: false, config });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      if (storeB !== db?.store) await storeB?.close();
      await db?.cleanup();
    });

    let people = 0;
    /** A new user of `role`, signed in on node A (a session is good on both nodes). */
    async function person(role: User['role']): Promise<{ user: User; token: string }> {
      people += 1;
      const user = await db.store.createUser({ username: `${role}${people}`, displayName: `Racer ${people}`, role, passwordHash: await hashPassword(DEMO_PASSWORD) });
      return { user, token: (await a.login(user.username)).token };
    }
    /** The `n`-th request on node A when even, on node B when odd. */
    const node = (n: number) => (n % 2 === 0 ? a : b);
    const statusOf = (results: { status: number }[]) => results.map((r) => r.status).sort((x, y) => x - y);
    const setStatus = (on: TestServer, token: string, jobId: number, status: string) => api(on, token, 'POST', `/api/jobs/${jobId}/status`, { status });
    const systemMessages = async (roomId: number) => (await db.store.history({ roomId, limit: 20 })).messages.map((m) => m.content);

    it('a client firing many posts at once gets no more open jobs than the cap, and no more posts than the limit', async () => {
      for (let round = 0; round < 3; round++) {
        const client = await person('client');
        const post = (n: number) => api(node(n), client.token, 'POST', '/api/jobs', { title: `Burst ${round}.${n}` });

        // Two open jobs at most: the rest are refused, however many arrive at the same moment.
        const opened = await Promise.all(Array.from({ length: 8 }, (_, n) => post(n)));
        expect(statusOf(opened)).toEqual([200, 200, 409, 409, 409, 409, 409, 409]);
        const mine = ((await api(a, client.token, 'GET', '/api/jobs')).body.jobs as Job[]).filter((j) => j.status === 'open');
        expect(mine).toHaveLength(2);

        // Both cancelled frees the open places, but only one more post fits the three per hour.
        for (const job of mine) expect((await setStatus(a, client.token, job.id, 'cancelled')).status).toBe(200);
        const more = await Promise.all(Array.from({ length: 8 }, (_, n) => post(n)));
        expect(statusOf(more)).toEqual([200, 429, 429, 429, 429, 429, 429, 429]);
        expect(more.filter((r) => r.status === 429).every((r) => r.body.error?.code === 'RATE_LIMITED' && Number(r.headers.get('retry-after')) > 0)).toBe(true);
        expect((await api(a, client.token, 'GET', '/api/jobs')).body.jobs as Job[]).toHaveLength(3);
      }
    });

    it('posts handled interleaved within one node (each request awaiting the database in turn) keep the limits too', async () => {
      // Over HTTP one SQLite node happens to finish each post before it reads the next request; nothing
      // makes it so. Called directly, every post's checks run before any insert unless they are one step.
      const { maxOpenJobsPerClient, jobPostLimit, jobPostWindowMs } = config.limits;
      const board = { announce: () => {} } as unknown as JobBoard;
      const jobs = new JobService({ store: db.store, rooms: {} as RoomAnnouncer, board, supportBoard: board, roomCloseGraceMs: 0, maxOpenJobsPerClient, jobPostLimit, jobPostWindowMs });
      const { user } = await person('client');
      const outcomes = await Promise.allSettled(Array.from({ length: 8 }, (_, n) => jobs.create(user, { title: `Interleaved ${n}` })));
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(2);
      expect(outcomes.flatMap((o) => (o.status === 'rejected' ? [(o.reason as { code?: string }).code] : []))).toEqual(Array(6).fill('CONFLICT'));
    });

    it('cleaners accepting one job at once: one wins with its room and one system message; the others get CONFLICT', async () => {
      const cleaners = await Promise.all([1, 2, 3, 4].map(() => person('cleaner')));
      for (let round = 0; round < 3; round++) {
        const client = await person('client');
        const job = (await api(a, client.token, 'POST', '/api/jobs', { title: `Contested ${round}` })).body.job as Job;
        const answers = await Promise.all(cleaners.map((c, n) => api(node(n), c.token, 'POST', `/api/jobs/${job.id}/accept`)));
        expect(statusOf(answers)).toEqual([200, 409, 409, 409]);
        for (const lost of answers.filter((r) => r.status === 409)) {
          expect(lost.body.error).toEqual({ code: 'CONFLICT', message: 'This job is no longer open' });
        }
        const winner = cleaners[answers.findIndex((r) => r.status === 200)];
        const stored = await db.store.getJob(job.id);
        expect(stored).toMatchObject({ status: 'assigned', cleanerId: winner?.user.id });
        const jobRooms = (await db.store.listRoomsFor(client.user.id)).rooms.filter((r) => r.job?.id === job.id);
        expect(jobRooms.map((r) => r.id)).toEqual([stored?.roomId]);
        expect(await systemMessages(stored?.roomId ?? 0)).toEqual([`${winner?.user.displayName} accepted the job`]);
      }
    });

    it('a cleaner accepting one job from two tabs at once gets it once; the other tab is told it is already theirs', async () => {
      const cleaner = await person('cleaner');
      const client = await person('client');
      const job = (await api(a, client.token, 'POST', '/api/jobs', { title: 'Two tabs' })).body.job as Job;
      const answers = await Promise.all([a, b].map((on) => api(on, cleaner.token, 'POST', `/api/jobs/${job.id}/accept`)));
      expect(statusOf(answers)).toEqual([200, 409]);
      expect(answers.find((r) => r.status === 409)?.body.error).toEqual({ code: 'CONFLICT', message: 'You already accepted this job' });
      const stored = await db.store.getJob(job.id);
      expect(await systemMessages(stored?.roomId ?? 0)).toEqual([`${cleaner.user.displayName} accepted the job`]);
    });

    it('a job cancelled while accepted at once: each answer says what happened, and the room tells only that', async () => {
      const cleaner = await person('cleaner');
      for (let round = 0; round < 6; round++) {
        // A client of its own each round: three posts an hour each.
        const client = await person('client');
        const job = (await api(a, client.token, 'POST', '/api/jobs', { title: `Close call ${round}` })).body.job as Job;
        // Each round the other order of arrival, the two on different nodes.
        const cancel = () => setStatus(node(round), client.token, job.id, 'cancelled');
        const accept = () => api(node(round + 1), cleaner.token, 'POST', `/api/jobs/${job.id}/accept`);
        const [cancelled, accepted] = round % 2 === 0 ? await Promise.all([cancel(), accept()]) : (await Promise.all([accept(), cancel()])).reverse();
        if (!cancelled || !accepted) throw new Error('both requests answer');
        const stored = await db.store.getJob(job.id);
        if (accepted.status !== 200) {
          // The cancel came first: no room, and the cleaner is told the job is gone.
          expect(cancelled.status).toBe(200);
          expect(accepted.body.error).toEqual({ code: 'CONFLICT', message: 'This job is no longer open' });
          expect(stored).toMatchObject({ status: 'cancelled', cleanerId: null, roomId: null });
          expect((await db.store.listRoomsFor(cleaner.user.id)).rooms.some((r) => r.job?.id === job.id)).toBe(false);
          continue;
        }
        // The accept came first: the cancel, checked against "open", is refused, or (checked after it) cancels the assigned job.
        const told = [`${cleaner.user.displayName} accepted the job`];
        if (cancelled.status === 200) told.push(`Status changed to Cancelled by ${client.user.displayName}`);
        else expect(cancelled.body.error?.code).toBe('CONFLICT');
        expect(stored).toMatchObject({ status: cancelled.status === 200 ? 'cancelled' : 'assigned', cleanerId: cleaner.user.id });
        expect(await systemMessages(stored?.roomId ?? 0)).toEqual(told);
      }
    });

    it('a job completed by its client and its cleaner at once: completed once, one system message, the other gets CONFLICT', async () => {
      const cleaner = await person('cleaner');
      for (let round = 0; round < 3; round++) {
        const client = await person('client');
        const job = (await api(a, client.token, 'POST', `/api/jobs`, { title: `Done twice ${round}` })).body.job as Job;
        expect((await api(b, cleaner.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(200);
        expect((await setStatus(a, cleaner.token, job.id, 'in_progress')).status).toBe(200);
        const answers = await Promise.all([setStatus(a, client.token, job.id, 'completed'), setStatus(b, cleaner.token, job.id, 'completed')]);
        expect(statusOf(answers)).toEqual([200, 409]);
        // Checked against "in progress" before the other changed it, or read after it: refused either way, saying why.
        expect(answers.find((r) => r.status === 409)?.body.error).toEqual({
          code: 'CONFLICT',
          message: expect.stringMatching(/^(The job is no longer in progress: someone else changed it meanwhile|The job is already completed)$/),
        });
        expect((await setStatus(b, client.token, job.id, 'completed')).body.error).toEqual({ code: 'CONFLICT', message: 'The job is already completed' });
        const stored = await db.store.getJob(job.id);
        expect(stored?.status).toBe('completed');
        const completions = (await systemMessages(stored?.roomId ?? 0)).filter((m) => m.startsWith('Status changed to Completed'));
        expect(completions).toHaveLength(1);
        expect((await db.store.getRoomAccess(stored?.roomId ?? 0))?.isActive).toBe(false);
      }
    });
  });
}
