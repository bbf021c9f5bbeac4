/**
 * Two nodes sharing one database act on the same thing at the same moment.
 * No per-node lock can see the other node, so the database must decide: one
 * job change wins and the other is refused; both get the same support room (the user's own
 * or support staff opening it for them).
 * And a node that hears nothing of a room still refuses uploads once it closed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Room } from '@ecc/protocol';
import { hashPassword } from '../src/auth/passwords.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import type { Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { DIALECTS, createTestStore, type TestStore } from './support/databases.ts';
import { api } from './support/chat.ts';
import { PNG } from './support/files.ts';

/**
 * A node's store whose next read of a job can be held after it is made: the
 * request then goes on with a status another node changes meanwhile.
 */
class HeldJobRead {
  readonly store: Store;
  private held: { jobId: number; read: () => void; released: Promise<void> } | null = null;

  constructor(store: Store) {
    const getJob: Store['getJob'] = async (id) => {
      const job = await store.getJob(id);
      const held = this.held;
      if (held?.jobId === id) {
        this.held = null;
        held.read();
        await held.released;
      }
      return job;
    };
    this.store = Object.assign(Object.create(store) as Store, { getJob });
  }

  /** `read` resolves once the next read of `jobId` was made; `release` lets that request go on. */
  hold(jobId: number): { read: Promise<void>; release: () => void } {
    let read!: () => void;
    let release!: () => void;
    const wasRead = new Promise<void>((resolve) => (read = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held = { jobId, read, released };
    return { read: wasRead, release };
  }
}

for (const dialect of DIALECTS) {
  describe(`two nodes at once (${dialect})`, () => {
    let db: TestStore;
    let heldOnA: HeldJobRead;
    let a: TestServer;
    let b: TestServer;

    beforeAll(async () => {
      db = await createTestStore(dialect);
      heldOnA = new HeldJobRead(db.store);
      a = await startTestServer({ store: heldOnA.store, config: { roomCloseGraceMs: 0 } });
      b = await startTestServer({ store: db.store, seed: false, config: { roomCloseGraceMs: 0 } });
    });
    afterAll(async () => {
      await b?.close();
      await a?.close();
      await db?.cleanup();
    });

    const setStatus = (node: TestServer, token: string, jobId: number, status: string) =>
      api(node, token, 'POST', `/api/jobs/${jobId}/status`, { status });

    /** A job of `clientId` accepted by `cleanerId` (cleaner1, Bob Cleaner), with its room. */
    async function assignedJob(clientId: number, cleanerId: number, title: string) {
      const job = await db.store.createJob({ clientId, title });
      const roomId = (await db.store.assignJob(job.id, cleanerId, 'Bob Cleaner accepted the job'))?.roomId;
      if (roomId === undefined) throw new Error('the job was not assigned');
      return { job, roomId };
    }

    it('cancelled on one node while started on the other: the cancel, checked against the old status, gets 409', async () => {
      const alice = await a.login('client1');
      const bob = await b.login('cleaner1');
      const { job, roomId } = await assignedJob(alice.user.id, bob.user.id, 'Window race');

      const { read, release } = heldOnA.hold(job.id);
      const cancelling = setStatus(a, alice.token, job.id, 'cancelled');
      await read;
      const started = await setStatus(b, bob.token, job.id, 'in_progress');
      release();
      const cancelled = await cancelling;

      expect(started.status).toBe(200);
      expect(cancelled.status).toBe(409);
      expect(cancelled.body.error?.code).toBe('CONFLICT');
      // Said so that the web page, which reloads the list itself, does not ask the client to reload.
      expect(cancelled.body.error?.message).toBe('The job is no longer assigned: someone else changed it meanwhile');
      expect((await db.store.getJob(job.id))?.status).toBe('in_progress');
      // The room tells only the change that happened, and stays open.
      const { messages } = await db.store.history({ roomId, limit: 10 });
      expect(messages.filter((m) => m.content.startsWith('Status changed')).map((m) => m.content)).toEqual([
        'Status changed to In progress by Bob Cleaner',
      ]);
      expect((await db.store.getRoomAccess(roomId))?.isActive).toBe(true);
    });

    it('cancelled on one node while accepted on the other: the accept stands, the cancel gets 409', async () => {
      const carol = await a.login('client2');
      const dan = await b.login('cleaner2');
      const job = await db.store.createJob({ clientId: carol.user.id, title: 'Oven race' });

      const { read, release } = heldOnA.hold(job.id);
      const cancelling = setStatus(a, carol.token, job.id, 'cancelled');
      await read;
      const accepted = await api(b, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
      release();
      const cancelled = await cancelling;

      expect(accepted.status).toBe(200);
      expect(cancelled.status).toBe(409);
      const stored = await db.store.getJob(job.id);
      expect(stored).toMatchObject({ status: 'assigned', cleanerId: dan.user.id });
      const { messages } = await db.store.history({ roomId: stored?.roomId ?? 0, limit: 10 });
      expect(messages.map((m) => m.content)).toEqual(['Dan Cleaner accepted the job']);
    });

    it('an upload to a room closed on the other node is refused, though this node had served the room before', async () => {
      const alice = await a.login('client1');
      const bob = await a.login('cleaner1');
      const { job, roomId } = await assignedJob(alice.user.id, bob.user.id, 'Closing race');
      const upload = () => {
        const form = new FormData();
        form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'keys.png');
        return fetch(`${b.url}/api/rooms/${roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}` }, body: form });
      };
      // Node b has no socket in the room, so it is not subscribed to it and hears nothing of its changes.
      expect((await upload()).status).toBe(200);
      expect((await setStatus(a, alice.token, job.id, 'cancelled')).status).toBe(200);
      expect((await db.store.getRoomAccess(roomId))?.isActive).toBe(false);
      const refused = await upload();
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ROOM_CLOSED');
    });

    it('support opened on both nodes at once: every answer is the one support room', async () => {
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      for (let round = 0; round < 5; round++) {
        const user = await db.store.createUser({ username: `racer${round}`, displayName: `Racer ${round}`, role: 'client', passwordHash });
        const { token } = await a.login(user.username);
        const opens = [a, b, a, b, a, b].map((node) => api(node, token, 'POST', '/api/support'));
        const ids = (await Promise.all(opens)).map((r) => (r.body.room as Room | undefined)?.id);
        const { rooms } = await db.store.listRoomsFor(user.id);
        const supportRooms = rooms.filter((r) => r.type === 'support').map((r) => r.id);
        expect(supportRooms).toHaveLength(1);
        expect(ids).toEqual(ids.map(() => supportRooms[0]));
      }
    });

    it('support staff on one node and the user on the other opening the user\'s room at once: one room, every answer names it', async () => {
      const passwordHash = await hashPassword(DEMO_PASSWORD);
      const { token: staffToken } = await b.login('support1');
      for (let round = 0; round < 5; round++) {
        const user = await db.store.createUser({ username: `reached${round}`, displayName: `Reached ${round}`, role: 'cleaner', passwordHash });
        const { token } = await a.login(user.username);
        const opens = [a, b, a, b, a, b].map((node, i) =>
          i % 2 === 0 ? api(node, token, 'POST', '/api/support') : api(node, staffToken, 'POST', '/api/support', { userId: user.id }),
        );
        const ids = (await Promise.all(opens)).map((r) => (r.body.room as Room | undefined)?.id);
        const { rooms } = await db.store.listRoomsFor(user.id);
        const supportRooms = rooms.filter((r) => r.type === 'support');
        expect(supportRooms).toHaveLength(1);
        expect(supportRooms[0]?.lastSeq).toBe(1);
        expect(ids).toEqual(ids.map(() => supportRooms[0]?.id));
      }
    });
  });
}
