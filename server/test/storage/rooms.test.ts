/**
 * Room lists, job assignment, sessions and migrations over both dialects
 * (on PostgreSQL the races also run through two stores at once).
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { hashToken, newToken } from '../../src/auth/tokens.ts';
import { createStore } from '../../src/storage/index.ts';
import type { Store } from '../../src/storage/store.ts';
import { DIALECTS, TEST_DATABASE_URL } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { jobRoom, makeUser, plainRoom, send, text } from './people.ts';

/** Lets the millisecond clock move on, so `updated_at` of consecutive writes differ. */
const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 3));

for (const dialect of DIALECTS) {
  describe(`rooms, jobs, sessions and migrations (${dialect})`, () => {
    const fixture = storeFixture(dialect);
    let second: Store | undefined;
    // Registered after the fixture's hooks, so it runs before the store's cleanup.
    afterEach(async () => {
      await second?.close();
      second = undefined;
    });

    /** On PostgreSQL a second store with its own pool (another node); on SQLite the same store. */
    async function otherNode(): Promise<Store> {
      const { db, store } = fixture;
      if (!db.databaseUrl) return store;
      second = await createStore({ databaseUrl: db.databaseUrl, dataDir: os.tmpdir(), ...(db.pgSchema ? { pgSchema: db.pgSchema } : {}), poolSize: 5 });
      return second;
    }

    describe('listRoomsFor', () => {
      let alice: User;
      let bob: User;
      let carol: User;
      let job: Awaited<ReturnType<typeof jobRoom>>;
      let team: number;
      let quiet: number;
      beforeEach(async () => {
        const { store } = fixture;
        job = await jobRoom(store);
        alice = job.client;
        bob = job.cleaner;
        carol = await makeUser(store, 'support', 'carol');
        await nextMillisecond();
        quiet = await plainRoom(store, [alice, carol], 'Quiet');
        await nextMillisecond();
        team = await plainRoom(store, [alice, bob, carol], 'Team');
      });

      it('lists the rooms most recently active first, moving a room up when a message arrives', async () => {
        const { store } = fixture;
        // Newest creation first while nothing was said since.
        expect((await store.listRoomsFor(alice.id)).rooms.map((r) => r.id)).toEqual([team, quiet, job.roomId]);
        await nextMillisecond();
        await send(store, text(job.roomId, bob, 'On my way'));
        expect((await store.listRoomsFor(alice.id)).rooms.map((r) => r.id)).toEqual([job.roomId, team, quiet]);
        await nextMillisecond();
        await send(store, text(quiet, carol, 'ping'));
        expect((await store.listRoomsFor(alice.id)).rooms.map((r) => r.id)).toEqual([quiet, job.roomId, team]);
        // Bob is not in the quiet room; his list has only his two.
        expect((await store.listRoomsFor(bob.id)).rooms.map((r) => r.id)).toEqual([job.roomId, team]);
      });

      it('gives each room its unread count, last message, participants and job', async () => {
        const { store } = fixture;
        await send(store, text(job.roomId, bob, 'On my way'));
        const last = await send(store, text(job.roomId, bob, 'Here now'));
        await send(store, text(team, alice, 'hi team'));
        await store.markRead(job.roomId, alice.id, 2);

        const rooms = (await store.listRoomsFor(alice.id)).rooms;
        const jobRoomView = rooms.find((r) => r.id === job.roomId);
        const teamView = rooms.find((r) => r.id === team);
        const quietView = rooms.find((r) => r.id === quiet);
        // seq 1 system (assigned), 2 and 3 from Bob; read up to 2.
        expect(jobRoomView).toMatchObject({ type: 'job', isActive: true, lastSeq: 3, unread: 1, updatedAt: last.createdAt });
        expect(jobRoomView?.name).toBe(`Job #${job.jobId} · Kitchen deep clean`);
        expect(jobRoomView?.job).toMatchObject({ id: job.jobId, title: 'Kitchen deep clean', status: 'assigned' });
        expect(jobRoomView?.lastMessage).toEqual(last);
        expect(jobRoomView?.participants).toEqual(
          expect.arrayContaining([
            { ...alice, online: false, lastSeen: null, lastReadSeq: 2 },
            { ...bob, online: false, lastSeen: null, lastReadSeq: 0 },
          ]),
        );
        expect(jobRoomView?.participants).toHaveLength(2);
        expect(teamView).toMatchObject({ type: 'general', job: null, unread: 0, lastSeq: 1 });
        expect(teamView?.lastMessage?.content).toBe('hi team');
        expect(teamView?.participants.map((p) => p.id).sort()).toEqual([alice.id, bob.id, carol.id].sort());
        expect(quietView).toMatchObject({ lastSeq: 0, unread: 0, lastMessage: null });

        // Bob's view of the same rooms counts for Bob.
        const bobsJob = (await store.getRoomViewFor(job.roomId, bob.id))?.room;
        expect(bobsJob?.unread).toBe(1); // the system message only
        expect((await store.getRoomViewFor(team, bob.id))?.room.unread).toBe(1);
      });

      it('shows last seen and keeps closed rooms in the list, marked inactive', async () => {
        const { store } = fixture;
        const seen = new Date('2026-01-02T03:04:05.000Z');
        await store.setLastSeen([bob.id], seen);
        await store.setRoomActive(job.roomId, false);
        const view = (await store.getRoomViewFor(job.roomId, alice.id))?.room;
        expect(view?.isActive).toBe(false);
        expect(view?.participants.find((p) => p.id === bob.id)?.lastSeen).toBe(seen.toISOString());
        expect((await store.listRoomsFor(alice.id)).rooms.map((r) => r.id)).toContain(job.roomId);
        expect(await store.getRoomViewFor(job.roomId, carol.id)).toBeNull();
      });

      it('lists nothing for a user in no room', async () => {
        const { store } = fixture;
        const loner = await makeUser(store, 'client', 'loner');
        expect(await store.listRoomsFor(loner.id)).toEqual({ rooms: [], userVersion: 0 });
      });
    });

    it('peersOf: everyone sharing a room with the user, once each, closed rooms included, never the user', async () => {
      const { store } = fixture;
      const job = await jobRoom(store);
      const carol = await makeUser(store, 'support', 'carol');
      const dave = await makeUser(store, 'client', 'dave');
      await plainRoom(store, [job.client, carol], 'Quiet');
      await plainRoom(store, [job.client, job.cleaner, carol], 'Team');
      await store.setRoomActive(job.roomId, false);
      expect((await store.peersOf(job.client.id)).sort((a, b) => a - b)).toEqual([job.cleaner.id, carol.id].sort((a, b) => a - b));
      expect((await store.peersOf(job.cleaner.id)).sort((a, b) => a - b)).toEqual([job.client.id, carol.id].sort((a, b) => a - b));
      expect(await store.peersOf(dave.id)).toEqual([]);
    });

    it('assigns a job once when cleaners race for it, with its room and system message', async () => {
      const { store } = fixture;
      const client = await makeUser(store, 'client');
      const cleaners = await Promise.all([1, 2, 3, 4].map(() => makeUser(store, 'cleaner')));
      const other = await otherNode();
      for (let round = 0; round < 5; round++) {
        const created = await store.createJob({ clientId: client.id, title: `Windows ${round}`, address: '1 Main St' });
        expect(created.status).toBe('open');
        const outcomes = await Promise.all(
          cleaners.map((c, i) => (i % 2 === 0 ? store : other).assignJob(created.id, c.id, 'A cleaner accepted the job')),
        );
        const winners = outcomes.flatMap((o, i) => (o ? [{ outcome: o, cleaner: cleaners[i] as User }] : []));
        expect(winners).toHaveLength(1);
        const [{ outcome, cleaner }] = winners as [(typeof winners)[number]];
        expect(outcome.job).toMatchObject({ id: created.id, status: 'assigned', roomId: outcome.roomId });
        expect(outcome.message).toMatchObject({ roomId: outcome.roomId, seq: 1, type: 'system', sender: null, content: 'A cleaner accepted the job' });

        const stored = await store.getJob(created.id);
        expect(stored).toMatchObject({ status: 'assigned', cleanerId: cleaner.id, clientId: client.id, roomId: outcome.roomId });
        const access = await store.getRoomAccess(outcome.roomId);
        expect([...(access?.participants.keys() ?? [])].sort()).toEqual([client.id, cleaner.id].sort());
        // Too late for anyone else, including the winner again.
        expect(await store.assignJob(created.id, cleaner.id, 'again')).toBeNull();
      }
    });

    it('finds a session until it expires, and deletes it once', async () => {
      const { store } = fixture;
      const user = await makeUser(store, 'client');
      const live = newToken();
      const expired = newToken();
      const liveId = await store.createSession(user.id, hashToken(live), new Date(Date.now() + 60_000));
      await store.createSession(user.id, hashToken(expired), new Date(Date.now() - 1000));

      const found = await store.findSession(hashToken(live));
      expect(found).toMatchObject({ user, sessionId: liveId });
      expect(found?.expiresAt.getTime()).toBeGreaterThan(Date.now());
      expect(await store.findSession(hashToken(expired))).toBeNull();
      // The raw token is not what is stored.
      expect(await store.findSession(live)).toBeNull();

      expect(await store.deleteSession(hashToken(live))).toBe(liveId);
      expect(await store.deleteSession(hashToken(live))).toBeNull();
      expect(await store.findSession(hashToken(live))).toBeNull();
    });

    it('migrates idempotently: again on a used database, and from several stores at once', async () => {
      const { store } = fixture;
      const user = await makeUser(store, 'client');
      const { roomId } = await jobRoom(store);
      await send(store, text(roomId, user, 'kept'));
      await store.migrate();
      await store.migrate();
      expect(await store.getUser(user.id)).toEqual(user);
      expect((await store.history({ roomId, limit: 10 })).messages.map((m) => m.content)).toContain('kept');
      const other = await otherNode();
      await Promise.all([store.migrate(), other.migrate(), store.migrate()]);
      expect(await other.countUsers()).toBe(3);
    });

    if (dialect === 'postgres') {
      it('creates the schema once when several nodes start on an empty database at the same moment', async () => {
        const schema = `t_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
        await admin.connect();
        await admin.query(`create schema ${schema}`);
        const nodes = await Promise.all(
          [1, 2, 3].map(() => createStore({ databaseUrl: TEST_DATABASE_URL, dataDir: os.tmpdir(), pgSchema: schema, poolSize: 2 })),
        );
        try {
          await Promise.all(nodes.map((n) => n.migrate()));
          const first = nodes[0] as Store;
          const created = await makeUser(first, 'client');
          expect(await (nodes[2] as Store).getUser(created.id)).toEqual(created);
          const applied = await admin.query(`select count(*)::int as n from ${schema}.schema_migrations`);
          const distinct = await admin.query(`select count(distinct id)::int as n from ${schema}.schema_migrations`);
          expect(applied.rows[0]).toEqual(distinct.rows[0]);
        } finally {
          await Promise.all(nodes.map((n) => n.close()));
          await admin.query(`drop schema if exists ${schema} cascade`);
          await admin.end();
        }
      });
    }
  });
}
