/**
 * Room changes made on a node whose Redis link was cut while the other node
 * kept it: a room created (a job accepted) or closed there must reach the
 * other node's sockets once the link is back, without a reload (they are
 * connected and do not reconnect), and the new room's messages must follow;
 * a change told late must never undo a newer one those sockets already have.
 *
 * Two nodes in this process sharing one database and the shared Redis
 * (random prefix); node A reaches Redis through a TCP proxy the test cuts.
 * Rooms close at once when their job ends (no grace), so that one change closes them.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { sharedRedisGate, waitUntil } from './cluster/support/redis.ts';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs } from './support/chat.ts';
import { twoNodes } from './support/twoNodes.ts';

const redisAvailable = await sharedRedisGate();

for (const dialect of DIALECTS) {
  describe.runIf(redisAvailable)(`room changes a node could not publish while its Redis link was cut (${dialect})`, () => {
    const nodes = twoNodes({ dialect, linkA: true, config: { roomCloseGraceMs: 0 } });

    /** client2 (Carol) posts a job; her socket is on node B. */
    async function carolWithJob(title: string) {
      const carol = await connectAs(nodes.b, 'client2');
      const dan = await nodes.a.login('cleaner2');
      const job = (await api(nodes.b, carol.token, 'POST', '/api/jobs', { title })).body.job as Job;
      return { carol, dan, job };
    }

    it('a room created meanwhile (a job accepted) reaches the other node’s sockets once the link is back, and its messages follow', async () => {
      const { a } = nodes;
      const { carol, dan, job } = await carolWithJob('Windows, cut off');

      let roomId!: number;
      await nodes.whileCut(async () => {
        expect((await api(a, dan.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(200);
        const danMeanwhile = await connectAs(a, 'cleaner2');
        roomId = danMeanwhile.ready.rooms.find((r) => r.job?.id === job.id)!.id;
        await danMeanwhile.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'sent while cut' });
        danMeanwhile.socket.close();
      });

      const { room } = await carol.socket.next('room', (f) => f.room.job?.id === job.id);
      expect(room).toMatchObject({ id: roomId, isActive: true, job: { status: 'assigned' } });
      expect(room.participants.map((p) => p.id).sort()).toEqual([carol.user.id, dan.user.id].sort());
      expect((await carol.socket.next('message', (f) => f.message.roomId === roomId)).message).toMatchObject({ seq: 1, type: 'system' });
      expect((await carol.socket.next('message', (f) => f.message.roomId === roomId)).message).toMatchObject({ seq: 2, content: 'sent while cut' });

      // Node B now hears the room's topic: a message sent on node A reaches Carol live.
      const danOnA = await connectAs(a, 'cleaner2');
      const sent = (await danOnA.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'on my way' })).message;
      expect((await carol.socket.next('message', (f) => f.message.id === sent.id)).message.content).toBe('on my way');
      // And one sent on node B reaches Dan on node A.
      const reply = (await carol.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'thanks' })).message;
      expect((await danOnA.socket.next('message', (f) => f.message.id === reply.id)).message.content).toBe('thanks');
      await carol.socket.sync();
      expect(carol.socket.all('message').flatMap((f) => (f.message.roomId === roomId ? [f.message.seq] : []))).toEqual([1, 2, 3]);
      danOnA.socket.close();
      carol.socket.close();
    });

    it('a room closed meanwhile is shown closed on the other node once the link is back', async () => {
      const { a } = nodes;
      const { carol, dan, job } = await carolWithJob('Carpets, cut off');
      expect((await api(a, dan.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(200);
      const { room } = await carol.socket.next('room', (f) => f.room.job?.id === job.id);

      await nodes.whileCut(async () => {
        expect((await api(a, dan.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'cancelled' })).status).toBe(200);
      });

      const closed = await carol.socket.next('room', (f) => f.room.id === room.id && !f.room.isActive);
      expect(closed.room.job?.status).toBe('cancelled');
      carol.socket.close();
    });

    it('a room change told late does not undo a newer one made on the other node meanwhile', async () => {
      const { a, b } = nodes;
      const { carol, dan, job } = await carolWithJob('Oven, cut off');
      expect((await api(a, dan.token, 'POST', `/api/jobs/${job.id}/accept`)).status).toBe(200);
      const { room } = await carol.socket.next('room', (f) => f.room.job?.id === job.id);
      const before = carol.socket.frames.length;
      const roomFrames = () => carol.socket.frames.slice(before).flatMap((f) => (f.type === 'room' && f.room.id === room.id ? [f.room] : []));

      await nodes.whileCut(async () => {
        expect((await api(a, dan.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'in_progress' })).status).toBe(200);
        expect((await api(b, carol.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'completed' })).status).toBe(200);
        await waitUntil('Carol sees the room completed', () => roomFrames().some((r) => r.job?.status === 'completed'));
      });

      // Node A's change is told now; what Carol is shown of it must be the room as it stands.
      await waitUntil('the change told late reached Carol', () => roomFrames().length >= 2);
      await carol.socket.sync();
      const last = roomFrames().at(-1);
      expect(last).toMatchObject({ isActive: false, job: { status: 'completed' } });
      carol.socket.close();
    });
  });
}
