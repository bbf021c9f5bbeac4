/**
 * A finished job's room stays writable for ROOM_CLOSE_GRACE_MS, when a dispute is most likely: support staff
 * may join it then, and are told which rooms still take messages (`Job.roomActive`, an addition), so the
 * web app offers "Join job chat" exactly while a join can work. After the grace a join is ROOM_CLOSED.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { jobAcceptedNotice, type Job, type JobStatus } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, connectAs, serverForSuite } from './support/chat.ts';

// Long enough for a few requests on a loaded machine to come well inside it.
const GRACE_MS = 3000;

for (const dialect of DIALECTS) {
  for (const graceMs of [GRACE_MS, 0]) {
    describe(`support staff joining a finished job's room, grace ${graceMs} ms (${dialect})`, () => {
      const server = serverForSuite({ dialect, config: { roomCloseGraceMs: graceMs } });
      let made = 0;

      /** A job of client1 taken by cleaner1, then moved to `status` by its client (through in progress): the job as the answer gave it. */
      async function finishedJob(status: JobStatus): Promise<Job & { roomId: number }> {
        made += 1;
        const alice = await server.store.findUserByUsername('client1');
        const bob = await server.store.findUserByUsername('cleaner1');
        const job = await server.store.createJob({ clientId: alice!.id, title: `Finished ${made}` });
        await server.store.assignJob(job.id, bob!.id, jobAcceptedNotice('Bob Cleaner'));
        const client = await server.login('client1');
        if (status === 'completed') await api(server, client.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'in_progress' });
        const moved = await api(server, client.token, 'POST', `/api/jobs/${job.id}/status`, { status });
        expect(moved.status).toBe(200);
        return moved.body.job as Job & { roomId: number };
      }
      const listed = async (token: string, jobId: number) => ((await api(server, token, 'GET', `/api/jobs?q=${jobId}`)).body.jobs as Job[]).find((j) => j.id === jobId);
      const join = (token: string, roomId: number) => api(server, token, 'POST', `/api/rooms/${roomId}/join`);

      it('a completed or cancelled job\'s room is listed as taking messages, and joined, while it does; after the grace it is neither', async () => {
        const sam = await server.login('support1');
        for (const status of ['completed', 'cancelled'] as const) {
          const job = await finishedJob(status);
          expect(job.roomActive).toBe(graceMs > 0);
          expect((await listed(sam.token, job.id))?.roomActive).toBe(graceMs > 0);
          if (graceMs > 0) {
            const joined = await join(sam.token, job.roomId);
            expect(joined.status).toBe(200);
            expect((await server.store.getRoomAccess(job.roomId))?.participants.has(sam.user.id)).toBe(true);
          }
        }
        const live = await connectAs(server, 'support1');
        const late = await finishedJob('completed');
        if (graceMs > 0) {
          expect((await live.socket.next('job_changed', (f) => f.job.id === late.id)).job.roomActive).toBe(true);
          await sleep(graceMs + 50);
          await server.server.sweepRooms();
        }
        // A page open meanwhile hears it: its card stops offering the join (with the names it shows).
        const closed = await live.socket.next('job_changed', (f) => f.job.id === late.id && f.job.roomActive === false);
        expect(closed.job).toMatchObject({ status: 'completed', clientName: 'Alice Client', cleanerName: 'Bob Cleaner' });
        live.socket.close();
        expect((await listed(sam.token, late.id))?.roomActive).toBe(false);
        const refused = await join(sam.token, late.roomId);
        expect(refused.status).toBe(409);
        expect(refused.body.error?.code).toBe('ROOM_CLOSED');
      });

      it('a job under way is listed with its room taking messages, an open one with no room and no such field', async () => {
        const sam = await server.login('support1');
        const alice = await server.store.findUserByUsername('client1');
        const open = await server.store.createJob({ clientId: alice!.id, title: 'Still open' });
        expect((await listed(sam.token, open.id))?.roomActive).toBeUndefined();
        const taken = await server.store.createJob({ clientId: alice!.id, title: 'Taken' });
        const bob = await server.store.findUserByUsername('cleaner1');
        await server.store.assignJob(taken.id, bob!.id, jobAcceptedNotice('Bob Cleaner'));
        expect((await listed(sam.token, taken.id))?.roomActive).toBe(true);
      });
    });
  }
}
