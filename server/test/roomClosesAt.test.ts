/**
 * Room.closesAt: when the room of a completed or cancelled job will close
 * (its status change + ROOM_CLOSE_GRACE_MS), so people can see it coming.
 */
import { describe, expect, it } from 'vitest';
import type { Job, Room } from '@ecc/protocol';
import { startTestServer } from '../src/testing.ts';
import { DIALECTS } from './support/databases.ts';
import { api, connectAs, serverForSuite } from './support/chat.ts';

const HOUR_MS = 3_600_000;

/** Milliseconds of an ISO time, or a failure when there is none. */
function timeOf(closesAt: string | null | undefined): number {
  if (typeof closesAt !== 'string') throw new Error(`expected a closesAt time, got ${String(closesAt)}`);
  return Date.parse(closesAt);
}

for (const dialect of DIALECTS) {
  describe(`room closesAt (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { roomCloseGraceMs: 5 * HOUR_MS } });

    it('a job room shows no closing time while the job runs, then its status change + the grace once completed, in the room event and the next ready', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await server.login('cleaner1');
      const { assignedJobId: jobId, roomId } = server.demo!;
      const inReady = (rooms: Room[]) => rooms.find((r) => r.id === roomId);
      expect(inReady(alice.ready.rooms)?.closesAt).toBeNull();

      await api(server, bob.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'in_progress' });
      const running = await alice.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'in_progress');
      expect(running.room.closesAt).toBeNull();

      const before = Date.now();
      await api(server, bob.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'completed' });
      const after = Date.now();
      const done = await alice.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'completed');
      expect(done.room.isActive).toBe(true);
      const closesAt = timeOf(done.room.closesAt);
      expect(closesAt).toBeGreaterThanOrEqual(before + 5 * HOUR_MS - 1000);
      expect(closesAt).toBeLessThanOrEqual(after + 5 * HOUR_MS + 1000);

      // A reconnect (the room list of `ready`, one query for all rooms) says the same.
      const again = await connectAs(server, 'client1');
      expect(inReady(again.ready.rooms)?.closesAt).toBe(done.room.closesAt);
      alice.socket.close();
      again.socket.close();
    });

    it('a cancelled job’s room announces its closing time to both participants', async () => {
      const carol = await connectAs(server, 'client2');
      const dan = await connectAs(server, 'cleaner2');
      const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Balcony sweep' })).body.job as Job;
      await api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
      const opened = await dan.socket.next('room', (f) => f.room.job?.id === job.id);
      expect(opened.room.closesAt).toBeNull();
      await api(server, carol.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'cancelled' });
      for (const { socket } of [carol, dan]) {
        const cancelled = await socket.next('room', (f) => f.room.id === opened.room.id && f.room.job?.status === 'cancelled');
        expect(timeOf(cancelled.room.closesAt)).toBeGreaterThan(Date.now() + 4 * HOUR_MS);
      }
      carol.socket.close();
      dan.socket.close();
    });

    it('support rooms never close on their own: closesAt is null', async () => {
      const carol = await server.login('client2');
      const room = (await api(server, carol.token, 'POST', '/api/support')).body.room as Room;
      expect(room.type).toBe('support');
      expect(room.closesAt).toBeNull();
      const again = await connectAs(server, 'client2');
      expect(again.ready.rooms.find((r) => r.id === room.id)?.closesAt).toBeNull();
      again.socket.close();
    });

    it('a closed room has no closing time (grace 0: closed at once)', async () => {
      const now = await startTestServer({ dialect, config: { roomCloseGraceMs: 0 } });
      try {
        const alice = await connectAs(now, 'client1');
        const { assignedJobId: jobId, roomId } = now.demo!;
        await api(now, alice.token, 'POST', `/api/jobs/${jobId}/status`, { status: 'cancelled' });
        const closed = await alice.socket.next('room', (f) => f.room.id === roomId && f.room.job?.status === 'cancelled');
        expect(closed.room.isActive).toBe(false);
        expect(closed.room.closesAt).toBeNull();
        const again = await connectAs(now, 'client1');
        expect(again.ready.rooms.find((r) => r.id === roomId)?.closesAt).toBeNull();
        alice.socket.close();
        again.socket.close();
      } finally {
        await now.close();
      }
    });
  });
}
