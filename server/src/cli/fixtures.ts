/**
 * `npm run fixtures -- --users N --rooms-per-user K --out FILE [--group-size M] [--password PW]`
 *
 * Fills the database the server would use (DATABASE_URL, else SQLite under
 * DATA_DIR) with load-test users paired into job rooms, one session per user,
 * and writes `{ users: [{ id, username, token }], rooms: [{ id, participantIds }] }`
 * to FILE. A relative FILE is taken from the directory npm was started in.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from '../auth/passwords.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { createFixtures } from '../storage/fixtures.ts';
import { createStore } from '../storage/index.ts';
import { KyselyStore } from '../storage/kyselyStore.ts';

/** A bad command line: printed without a stack trace. */
class UsageError extends Error {}

const USAGE = 'usage: npm run fixtures -- --users N --rooms-per-user K --out FILE [--group-size M] [--password PW]';

function count(name: string, value: string | undefined, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < 0) throw new UsageError(`--${name} must be a non-negative integer\n${USAGE}`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      users: { type: 'string' },
      'rooms-per-user': { type: 'string' },
      'group-size': { type: 'string' },
      out: { type: 'string' },
      password: { type: 'string', default: 'load' },
    },
    strict: true,
  });
  if (!values.out) throw new UsageError(`--out is required\n${USAGE}`);
  const users = count('users', values.users);
  const roomsPerUser = count('rooms-per-user', values['rooms-per-user']);
  const groupSize = count('group-size', values['group-size'], 0);
  // npm runs workspace scripts inside server/; INIT_CWD is where the user typed the command.
  const out = path.resolve(process.env.INIT_CWD ?? process.cwd(), values.out);

  const config = loadConfig(process.env);
  const store = await createStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  try {
    if (!(store instanceof KyselyStore)) throw new Error('fixtures need the Kysely store');
    await store.migrate();
    const started = Date.now();
    const fixtures = await createFixtures(store.db, store.dialect, {
      users,
      roomsPerUser,
      groupSize,
      passwordHash: await hashPassword(values.password),
      sessionTtlMs: config.sessionTtlMs,
    });
    await mkdir(path.dirname(out), { recursive: true });
    await writeFile(out, JSON.stringify(fixtures));
    console.error(
      `fixtures: ${fixtures.users.length} users, ${fixtures.rooms.length} rooms on ${store.dialect} in ${Date.now() - started} ms → ${out}`,
    );
  } finally {
    await store.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof ConfigError || err instanceof UsageError ? err.message : err);
  process.exit(1);
});
