/**
 * A job's `room` frames reach a socket in the order their views were read, not the order they went
 * out: an accept whose announcement is slow (its views read, then a cancel made and announced
 * meanwhile) must not leave the client's chat showing the cancelled job as Assigned, its room open.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import type { Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { api, connectAs } from './support/chat.ts';
import { DIALECTS, createTestStore, type TestStore } from './support/databases.ts';

/** A store whose next `count` room views are held once read, until released. */
class HeldRoomViews {
  readonly store: Store;
  private held: { left: number; read: () => void; released: Promise<void> } | null = null;

  constructor(store: Store) {
    const getRoomViewFor: Store['getRoomViewFor'] = async (...args) => {
      const view = await store.getRoomViewFor(...args);
      const held = this.held;
      if (held && held.left > 0) {
        held.left -= 1;
        if (held.left === 0) held.read();
        await held.released;
      }
      return view;
    };
    this.store = Object.assign(Object.create(store) as Store, { getRoomViewFor });
  }

  /** `read` resolves once `count` views were read; `release` lets them go on. */
  hold(count: number): { read: Promise<void>; release: () => void } {
    let read!: () => void;
    let release!: () => void;
    const wasRead = new Promise<void>((resolve) => (read = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held = { left: count, read, released };
    return {
      read: wasRead,
      release: () => {
        this.held = null;
        release();
      },
    };
  }
}

for (const dialect of DIALECTS) {
  describe(`a job's room frames in the order they were read (${dialect})`, () => {
    let db: TestStore;
    let views: HeldRoomViews;
    let server: TestServer;

    beforeAll(async () => {
      db = await createTestStore(dialect);
      views = new HeldRoomViews(db.store);
      server = await startTestServer({ store: views.store, config: { roomCloseGraceMs: 0 } });
    });
    afterAll(async () => {
      await server?.close();
      await db?.cleanup();
    });

    it('an accept announced after the cancel that followed it does not show the job assigned again', async () => {
      const carol = await connectAs(server, 'client2');
      const dan = await server.login('cleaner2');
      const job = (await api(server, carol.token, 'POST', '/api/jobs', { title: 'Late news' })).body.job as Job;

      // The accept's two views (Carol's, Dan's) are read, then held before they go out.
      const { read, release } = views.hold(2);
      const accepting = api(server, dan.token, 'POST', `/api/jobs/${job.id}/accept`);
      await read;
      // Carol cancels the job, assigned by now: a valid change, announced at once.
      expect((await api(server, carol.token, 'POST', `/api/jobs/${job.id}/status`, { status: 'cancelled' })).status).toBe(200);
      const roomId = (await carol.socket.next('room', (f) => f.room.job?.id === job.id && f.room.job.status === 'cancelled')).room.id;
      release();
      expect((await accepting).status).toBe(200);
      // The accept's system message still reaches her, sent after its `room` frame.
      await carol.socket.next('message', (f) => f.message.roomId === roomId && f.message.seq === 1);
      await carol.socket.sync();

      const last = carol.socket.all('room').filter((f) => f.room.job?.id === job.id).at(-1)?.room;
      expect(last).toMatchObject({ job: { status: 'cancelled' }, isActive: false, lastSeq: 2 });
      carol.socket.close();
    });
  });
}
