/**
 * `npm run bench:store`: the send path's storage alone — the real store's
 * `appendMessages` in batches, in this process, without sockets — as CPU
 * per message, and the recipient's read mark of each message (`markReads`, in batches of
 * the same size, as the server's read batcher groups them). It separates the database's share of a message from the
 * socket writes around it, and prices a schema change: `--extra-index SQL`
 * runs a second database with that index, its rounds alternating with the
 * first's so that both see the same (shared, noisy) machine.
 *
 * CPU is the process's (`process.cpuUsage`, so SQLite's checkpointer thread
 * counts too); pin it to a core of its own: `taskset -c 1 npm run bench:store`.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { newClientId } from '@ecc/client';
import { createStore, KyselyStore, type ReadMark, type Store } from './serverApi.ts';
import { cpuSeconds } from './procs.ts';
import { createDatabase, makeFixtures, type DbKind } from './target.ts';

export interface StoreCostOptions {
  db: DbKind;
  users: number;
  batchSize: number;
  /** Messages per round; `rounds` are measured after one of warm-up. */
  messages: number;
  rounds: number;
  /** SQL run once after migrations, e.g. `create index … on messages(…)`. */
  extraIndex: string | undefined;
}

export interface StoreCostRound {
  /** The part of cpuUsPerMessage spent by the main thread (the rest: SQLite's checkpointer, GC and libuv threads). */
  mainThreadCpuUsPerMessage: number;
  /** New messages the store reported stored (a failed or duplicate entry would not count). */
  stored: number;
  cpuUsPerMessage: number;
  wallUsPerMessage: number;
  /** Read marks (one per stored message, by its recipient) that moved a mark: one per (room, reader) of a batch. */
  readsMoved: number;
  /** Distinct (room, reader) pairs over the read batches: what should move, the reads being in seq order. */
  readPairs: number;
  cpuUsPerRead: number;
  wallUsPerRead: number;
}

interface FixtureFile {
  rooms: { id: number; participantIds: number[] }[];
}

/** CPU time of this process's main thread (its thread id is the pid), in µs (10 ms clock ticks). */
const mainThreadCpuUs = async (): Promise<number> => (await cpuSeconds(`self/task/${process.pid}`)) * 1e6;

interface Timed<T> {
  value: T;
  cpuUs: number;
  mainThreadCpuUs: number;
  wallUs: number;
}

/** Runs `work` and measures the process's CPU (all threads, and the main thread alone) and the wall time it took. */
async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const mainCpu = await mainThreadCpuUs();
  const started = performance.now();
  const value = await work();
  const wallUs = (performance.now() - started) * 1000;
  const used = process.cpuUsage(cpu);
  return { value, cpuUs: used.user + used.system, mainThreadCpuUs: (await mainThreadCpuUs()) - mainCpu, wallUs };
}

/**
 * Stores `count` messages in batches over random rooms, each from one of the room's members, then has
 * each message's recipient mark it read, as a reader with the room open would; both timed.
 */
async function round(store: Store, rooms: FixtureFile['rooms'], count: number, batchSize: number): Promise<StoreCostRound> {
  const sends = await timed(async () => {
    const marks: ReadMark[] = [];
    let n = 0;
    while (n < count) {
      const picks = Array.from({ length: Math.min(batchSize, count - n) }, () => {
        const room = rooms[Math.floor(Math.random() * rooms.length)]!;
        const senderId = room.participantIds[n % room.participantIds.length]!;
        n++;
        const message = { roomId: room.id, senderId, type: 'text' as const, content: `message ${n} about keys, times and extras`, clientId: newClientId() }; // a client's time-ordered key
        return { message, readerId: room.participantIds.find((id) => id !== senderId)! };
      });
      const results = await store.appendMessages(picks.map((p) => p.message));
      for (const [i, result] of results.entries()) {
        if (result.ok && !result.duplicate) marks.push({ roomId: result.message.roomId, userId: picks[i]!.readerId, seq: result.message.seq });
      }
    }
    return marks;
  });
  const readBatches: ReadMark[][] = [];
  for (let i = 0; i < sends.value.length; i += batchSize) readBatches.push(sends.value.slice(i, i + batchSize));
  const reads = await timed(async () => {
    let moved = 0;
    for (const batch of readBatches) moved += (await store.markReads(batch)).filter((mark) => mark.moved).length;
    return moved;
  });
  const marks = sends.value.length;
  return {
    stored: marks,
    cpuUsPerMessage: sends.cpuUs / count,
    mainThreadCpuUsPerMessage: sends.mainThreadCpuUs / count,
    wallUsPerMessage: sends.wallUs / count,
    readsMoved: reads.value,
    readPairs: readBatches.reduce((sum, batch) => sum + new Set(batch.map((m) => `${m.roomId}:${m.userId}`)).size, 0),
    cpuUsPerRead: reads.cpuUs / marks,
    wallUsPerRead: reads.wallUs / marks,
  };
}

/** A fresh database with fixtures and an open store on it, with `extraIndex` created when given. */
async function openVariant(options: StoreCostOptions, extraIndex: string | undefined) {
  const database = await createDatabase(options.db);
  const fixtures = JSON.parse(await readFile(await makeFixtures(database, options.users, 2), 'utf8')) as FixtureFile;
  const store = await createStore({ databaseUrl: database.databaseUrl, dataDir: database.dataDir });
  await store.migrate();
  if (extraIndex) {
    if (!(store instanceof KyselyStore)) throw new Error('--extra-index needs the Kysely store');
    await sql.raw(extraIndex).execute(store.db);
  }
  const close = async () => {
    await store.close();
    await database.drop();
  };
  return { store, rooms: fixtures.rooms, close };
}

export interface StoreCostResult {
  asMigrated: StoreCostRound[];
  /** Only with `extraIndex`: its rounds alternate with the schema's, so both see the same machine. */
  withExtraIndex: StoreCostRound[] | null;
}

export async function measureStoreCost(options: StoreCostOptions): Promise<StoreCostResult> {
  const variants = [await openVariant(options, undefined)];
  try {
    if (options.extraIndex) variants.push(await openVariant(options, options.extraIndex));
    const rounds: StoreCostRound[][] = variants.map(() => []);
    for (let i = 0; i <= options.rounds; i++) {
      for (const [v, variant] of variants.entries()) {
        const measured = await round(variant.store, variant.rooms, options.messages, options.batchSize);
        if (i > 0) rounds[v]!.push(measured); // round 0 warms caches and statements up
      }
    }
    return { asMigrated: rounds[0]!, withExtraIndex: options.extraIndex ? rounds[1]! : null };
  } finally {
    for (const variant of variants) await variant.close();
  }
}

function parseStoreCostArgs(argv: string[]): StoreCostOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      db: { type: 'string', default: 'sqlite' },
      users: { type: 'string', default: '4000' },
      batch: { type: 'string', default: '20' },
      messages: { type: 'string', default: '20000' },
      rounds: { type: 'string', default: '6' },
      'extra-index': { type: 'string' },
    },
  });
  const int = (name: string, value: string) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  if (values.db !== 'sqlite' && values.db !== 'postgres') throw new Error('--db must be sqlite or postgres');
  return {
    db: values.db,
    users: int('users', values.users),
    batchSize: int('batch', values.batch),
    messages: int('messages', values.messages),
    rounds: int('rounds', values.rounds),
    extraIndex: values['extra-index'],
  };
}

const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

if (import.meta.url === `file://${process.argv[1]}`) {
  const options = parseStoreCostArgs(process.argv.slice(2));
  const result = await measureStoreCost(options);
  console.log(JSON.stringify({ scenario: 'store-cost', at: new Date().toISOString(), ...options, ...result }));
  const line = (name: string, rounds: StoreCostRound[]) =>
    `${name}: median ${median(rounds.map((r) => r.cpuUsPerMessage)).toFixed(1)} µs CPU, ` +
    `${median(rounds.map((r) => r.wallUsPerMessage)).toFixed(1)} µs wall per message (CPU of all threads/main: ${rounds
      .map((r) => `${r.cpuUsPerMessage.toFixed(0)}/${r.mainThreadCpuUsPerMessage.toFixed(0)}`)
      .join(', ')})`;
  console.error(`store cost on ${options.db}, batches of ${options.batchSize}, ${options.messages} messages per round`);
  console.error(line('  schema as migrated', result.asMigrated));
  if (result.withExtraIndex) console.error(line('  with the extra index', result.withExtraIndex));
  const reads = (name: string, rounds: StoreCostRound[]) =>
    `${name}: median ${median(rounds.map((r) => r.cpuUsPerRead)).toFixed(1)} µs CPU, ` +
    `${median(rounds.map((r) => r.wallUsPerRead)).toFixed(1)} µs wall per read mark (${rounds[0]?.readsMoved ?? 0} of ${rounds[0]?.stored ?? 0} moved in the first round)`;
  console.error(reads('  read marks, schema as migrated', result.asMigrated));
  if (result.withExtraIndex) console.error(reads('  read marks, with the extra index', result.withExtraIndex));
}
