/**
 * Support staff's job search (an addition, `GET /api/jobs?q=`): the list shows the newest 500 jobs, so a
 * client writing "my cleaner didn't show last month" on a busy marketplace named a job support could
 * never reach. The search runs on the server over every job: by number, title, client or cleaner name.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { JOB_LIST_LIMIT } from '../src/storage/jobs.ts';
import type { KyselyStore } from '../src/storage/kyselyStore.ts';
import { api, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';

for (const dialect of DIALECTS) {
  describe(`support's job search (${dialect})`, () => {
    const server = serverForSuite({ dialect });
    const ids = (body: Record<string, unknown>) => (body.jobs as Job[]).map((j) => j.id);
    let old: { job: number; percent: number; emile: number; greek: number; cyrillic: number; zoe: number; supportToken: string };

    /** Jobs written straight to the table: an old one, then more than a list's worth after it. */
    async function seed() {
      if (old) return old;
      const { db } = server.store as unknown as KyselyStore;
      const sam = await server.login('support1');
      const carol = (await server.login('client2')).user;
      const alice = (await server.login('client1')).user;
      const dan = (await server.login('cleaner2')).user;
      const emile = await server.store.createUser({ username: 'emile', displayName: 'Émile Ñuñez', role: 'client', passwordHash: 'x' });
      const row = (title: string, clientId: number, cleanerId: number | null, at: string) => ({
        title,
        description: '',
        address: null,
        scheduled_at: null,
        client_id: clientId,
        cleaner_id: cleanerId,
        status: cleanerId === null ? ('open' as const) : ('completed' as const),
        status_changed_at: at,
        created_at: at,
      });
      const insert = async (title: string, clientId: number, cleanerId: number | null, at: string) =>
        (await db.insertInto('jobs').values(row(title, clientId, cleanerId, at)).returning('id').executeTakeFirstOrThrow()).id;
      const job = await insert('Cleaner never showed up', carol.id, dan.id, '2025-01-10T09:00:00.000Z');
      const percent = await insert('Oven 100% spotless', alice.id, null, '2025-01-11T09:00:00.000Z');
      const underscore = await insert('Oven 100x spotless', alice.id, null, '2025-01-12T09:00:00.000Z');
      const emileJob = await insert('Balcony', emile.id, null, '2025-01-13T09:00:00.000Z');
      const nikos = await server.store.createUser({ username: 'nikos', displayName: 'ΝΊΚΟΣ Οδυσσέως', role: 'client', passwordHash: 'x' });
      const greek = await insert('Terrace', nikos.id, null, '2025-01-14T09:00:00.000Z');
      const cyrillic = await insert('Уборка КВАРТИРЫ, ЁЛКА', alice.id, null, '2025-01-15T09:00:00.000Z');
      const zoeUser = await server.store.createUser({ username: 'zoe', displayName: 'Zoë', role: 'cleaner', passwordHash: 'x' });
      const zoe = await insert('Attic', carol.id, zoeUser.id, '2025-01-16T09:00:00.000Z');
      // Newer than all of them: a whole list of Alice's jobs, so none of the above is in the plain list.
      const newer = Array.from({ length: JOB_LIST_LIMIT + 20 }, (_, i) => row(`Routine ${i}`, alice.id, null, new Date(Date.UTC(2025, 5, 1, 0, i)).toISOString()));
      await db.insertInto('jobs').values(newer).execute();
      const plain = ids((await api(server, sam.token, 'GET', '/api/jobs')).body);
      expect(plain).toHaveLength(JOB_LIST_LIMIT);
      for (const id of [job, percent, underscore, emileJob, greek, cyrillic, zoe]) expect(plain).not.toContain(id);
      old = { job, percent, emile: emileJob, greek, cyrillic, zoe, supportToken: sam.token };
      return old;
    }
    const search = async (q: string) => {
      const { supportToken } = await seed();
      return api(server, supportToken, 'GET', `/api/jobs?q=${encodeURIComponent(q)}`);
    };

    it('finds a job older than the newest 500 by its title, its client, its cleaner or its number', async () => {
      const { job } = await seed();
      for (const q of ['never SHOWED', 'carol client', 'dan cle', String(job), `#${job}`, ` #${job} `]) {
        const answer = await search(q);
        expect(answer.status, q).toBe(200);
        expect(ids(answer.body), q).toContain(job);
      }
      const found = ((await search('never showed')).body.jobs as Job[]).find((j) => j.id === job);
      expect(found).toMatchObject({ title: 'Cleaner never showed up', clientName: 'Carol Client', cleanerName: 'Dan Cleaner', status: 'completed' });
      // A number is a whole job number: another number does not name it.
      expect(ids((await search(`#${job + 100_000}`)).body)).not.toContain(job);
    });

    it('lists every match newest first, at most a list’s worth', async () => {
      // "Routine 1", "Routine 10"–"19", "Routine 100"–"199": each inserted after the one before.
      const listed = (await search('routine 1')).body.jobs as Job[];
      expect(listed.map((j) => j.title)).toEqual(
        Array.from({ length: 200 }, (_, i) => `Routine ${199 - i}`).filter((title) => title.startsWith('Routine 1')),
      );
      expect(((await search('Alice')).body.jobs as Job[]).length).toBe(JOB_LIST_LIMIT);
    });

    it('matches %, _ and \\ literally', async () => {
      const { percent } = await seed();
      expect(ids((await search('100%')).body)).toEqual([percent]);
      expect(ids((await search('100_')).body)).toEqual([]);
      expect(ids((await search('100\\%')).body)).toEqual([]);
    });

    it('folds case the same way on every database, for Latin, Greek and Cyrillic letters', async () => {
      const { emile, greek, cyrillic, zoe } = await seed();
      for (const q of ['Émile Ñ', 'émile ñuñez', 'ÉMILE', 'ÑUÑEZ', 'mile']) expect(ids((await search(q)).body), q).toEqual([emile]);
      for (const q of ['ZOË', 'zoë']) expect(ids((await search(q)).body), q).toEqual([zoe]);
      // A final sigma (ς) and the sigma inside a word (σ) are one letter to the search.
      for (const q of ['νίκος', 'ΝΊΚΟΣ ΟΔΥΣΣΈΩΣ', 'κοσ']) expect(ids((await search(q)).body), q).toEqual([greek]);
      for (const q of ['квартиры', 'УБОРКА', 'ёлка']) expect(ids((await search(q)).body), q).toEqual([cyrillic]);
    });

    it('matches letters with or without their accents, written precomposed or combined', async () => {
      const { emile, greek, cyrillic, zoe } = await seed();
      for (const q of ['emile nunez', 'EMILE', 'E\u0301mile']) expect(ids((await search(q)).body), q).toEqual([emile]);
      expect(ids((await search('zoe')).body)).toEqual([zoe]);
      expect(ids((await search('νικος οδυσσεως')).body)).toEqual([greek]);
      expect(ids((await search('елка')).body)).toEqual([cyrillic]);
      // A search of accents alone is a search for nothing, not for every job.
      expect(ids((await search('\u0301\u0308')).body)).toEqual([]);
    });

    it('an empty search is the ordinary list; a search longer than 100 characters, given twice or holding NUL is refused', async () => {
      const { supportToken } = await seed();
      expect(ids((await search('   ')).body)).toHaveLength(JOB_LIST_LIMIT);
      expect(ids((await search('a'.repeat(100))).body)).toEqual([]);
      const long = await search('a'.repeat(101));
      expect(long.status).toBe(400);
      expect(long.body.error?.code).toBe('BAD_REQUEST');
      const twice = await api(server, supportToken, 'GET', '/api/jobs?q=oven&q=attic');
      expect(twice.status).toBe(400);
      // PostgreSQL cannot compare text holding U+0000: refused as any stored text holding it is.
      expect((await search('a\u0000b')).status).toBe(400);
    });

    it('is for support staff: a client or a cleaner asking gets 403, their own list unchanged', async () => {
      await seed();
      for (const username of ['client2', 'cleaner2']) {
        const { token } = await server.login(username);
        const answer = await api(server, token, 'GET', '/api/jobs?q=carol');
        expect(answer.status, username).toBe(403);
        expect(answer.body.error?.code).toBe('FORBIDDEN');
        expect((await api(server, token, 'GET', '/api/jobs')).status).toBe(200);
      }
    });
  });
}
