/**
 * The load-test fixtures command, run the way the bench runs it
 * (`npm run fixtures -- …` from the repository root) against a real
 * SQLite file and a real PostgreSQL schema.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { hashToken } from '../src/auth/tokens.ts';
import { pairUsers } from '../src/storage/fixtures.ts';
import { DIALECTS, type TestStore } from './support/databases.ts';
import { storeFixture } from './storage/fixture.ts';

const run = promisify(execFile);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const FixturesFile = z.object({
  users: z.array(z.object({ id: z.number().int(), username: z.string(), token: z.string() })),
  rooms: z.array(z.object({ id: z.number().int(), participantIds: z.array(z.number().int()) })),
});

/** Runs `npm run fixtures` from the root against the database of `db`; returns the parsed JSON. */
async function runFixtures(db: TestStore, outDir: string, args: string[]): Promise<z.infer<typeof FixturesFile>> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: outDir };
  delete env.DATABASE_URL;
  if (db.databaseUrl && db.pgSchema) {
    env.DATABASE_URL = `${db.databaseUrl}?options=${encodeURIComponent(`-c search_path=${db.pgSchema}`)}`;
  } else if (db.dataDir) {
    env.DATA_DIR = db.dataDir;
  }
  const out = path.join(outDir, 'fixtures.json');
  await run('npm', ['run', '--silent', 'fixtures', '--', ...args, '--out', out], { cwd: ROOT, env, timeout: 60_000 });
  return FixturesFile.parse(JSON.parse(await readFile(out, 'utf8')));
}

for (const dialect of DIALECTS) {
  describe(`fixtures command (${dialect})`, () => {
    const setup = storeFixture(dialect, async () => ({ outDir: await mkdtemp(path.join(os.tmpdir(), 'ecc-fixtures-')) }));
    afterEach(async () => {
      if (setup.outDir) await rm(setup.outDir, { recursive: true, force: true });
    });

    it('creates users in K client–cleaner job rooms each, a group room, and sessions whose tokens authenticate', async () => {
      const { db, store, outDir } = setup;
      const fixtures = await runFixtures(db, outDir, ['--users', '12', '--rooms-per-user', '3', '--group-size', '5']);

      expect(fixtures.users).toHaveLength(12);
      expect(new Set(fixtures.users.map((u) => u.username)).size).toBe(12);
      expect(new Set(fixtures.users.map((u) => u.token)).size).toBe(12);
      for (const u of fixtures.users) expect(u.username).toMatch(/^load-[\w-]+-\d+$/);

      // 12 × 3 / 2 job rooms plus the group room.
      expect(fixtures.rooms).toHaveLength(19);
      const jobRooms = fixtures.rooms.filter((r) => r.participantIds.length === 2);
      const group = fixtures.rooms.find((r) => r.participantIds.length !== 2);
      expect(jobRooms).toHaveLength(18);
      expect(group?.participantIds).toEqual(fixtures.users.slice(0, 5).map((u) => u.id));
      const pairs = new Set(jobRooms.map((r) => [...r.participantIds].sort((a, b) => a - b).join('-')));
      expect(pairs.size).toBe(18);
      for (const u of fixtures.users) {
        expect(jobRooms.filter((r) => r.participantIds.includes(u.id))).toHaveLength(3);
      }

      for (const u of fixtures.users) {
        const session = await store.findSession(hashToken(u.token));
        expect(session?.user).toMatchObject({ id: u.id, username: u.username });
      }

      // What the server will show the first user: its job rooms with assigned jobs and the group room.
      const first = fixtures.users[0];
      if (!first) throw new Error('no users');
      const rooms = (await store.listRoomsFor(first.id)).rooms;
      expect(rooms.map((r) => r.id).sort((a, b) => a - b)).toEqual(
        fixtures.rooms.filter((r) => r.participantIds.includes(first.id)).map((r) => r.id).sort((a, b) => a - b),
      );
      for (const room of rooms.filter((r) => r.type === 'job')) {
        expect(room.isActive).toBe(true);
        expect(room.job?.status).toBe('assigned');
        expect(room.name).toMatch(new RegExp(`^Job #${room.job?.id} · `));
        expect(room.participants.map((p) => p.role).sort()).toEqual(['cleaner', 'client']);
      }
      expect(rooms.filter((r) => r.type === 'general')).toHaveLength(1);
    }, 90_000);

    it('a second run adds new users beside the first (usernames are unique per run)', async () => {
      const { db, outDir } = setup;
      const first = await runFixtures(db, outDir, ['--users', '4', '--rooms-per-user', '1']);
      const second = await runFixtures(db, outDir, ['--users', '4', '--rooms-per-user', '1']);
      expect(await db.store.countUsers()).toBe(8);
      const ids = new Set([...first.users, ...second.users].map((u) => u.id));
      expect(ids.size).toBe(8);
    }, 90_000);
  });
}

describe('fixture pairing', () => {
  it('puts everyone in exactly K distinct client–cleaner pairs when the user count is even', () => {
    const pairs = pairUsers(10, 4);
    expect(pairs).toHaveLength(20);
    expect(new Set(pairs.map((p) => p.join('-'))).size).toBe(20);
    for (const [client, cleaner] of pairs) {
      expect(client % 2).toBe(0);
      expect(cleaner % 2).toBe(1);
    }
    for (let i = 0; i < 10; i++) expect(pairs.filter((p) => p.includes(i))).toHaveLength(4);
  });

  it('still gives every user at least K rooms with an odd user count, and refuses K above N/2', () => {
    const pairs = pairUsers(7, 2);
    for (let i = 0; i < 7; i++) expect(pairs.filter((p) => p.includes(i)).length).toBeGreaterThanOrEqual(2);
    expect(new Set(pairs.map((p) => p.join('-'))).size).toBe(pairs.length);
    expect(() => pairUsers(6, 4)).toThrow(/rooms-per-user/);
  });
});
