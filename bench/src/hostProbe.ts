/**
 * A fixed workload that prices the host, not our code: the same CPU work at
 * every run, pinned to the server's core, at the start and at the end of a
 * bench run. This machine's host moves by half between turns (the same code
 * took 58 % and 93 % of its core at the same rate on different days), so a
 * figure is only comparable with another run's when the probe's figures are
 * too. The three parts are the three kinds of work a send costs here:
 *
 * - `sqliteUsPerRow`: small durable transactions (WAL, synchronous=FULL) of
 *   inserts at random rooms, each with a counter-row update — page writes,
 *   checksums and a sync per commit, like a batch of sends;
 * - `loopbackUsPerRoundTrip`: small messages echoed over loopback TCP — the
 *   kernel's socket work, as for a frame in and a frame out;
 * - `jsUsPerOp`: JSON and Map work on a message-sized object — the
 *   JavaScript around them.
 *
 * Each is CPU time of this process (`process.cpuUsage`), so a busy host that
 * slows the core shows, and time spent waiting for the core does not.
 * Deliberately independent of the project's code: a change to the server
 * must not move the probe. Run alone: `taskset -c 0 npx tsx bench/src/hostProbe.ts`.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import { pinned, REPO_ROOT } from './procs.ts';

export interface HostProbe {
  sqliteUsPerRow: number;
  loopbackUsPerRoundTrip: number;
  jsUsPerOp: number;
}

const SQLITE_ROOMS = 4000;
const SQLITE_BATCH = 25;
const SQLITE_BATCHES = 400;
const ROUND_TRIPS = 10_000;
const JS_OPS = 200_000;

/** CPU microseconds (user + system) that `work` used, per unit. */
async function cpuPer(units: number, work: () => void | Promise<void>): Promise<number> {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / units;
}

/** A deterministic pseudo-random sequence (xorshift), so every run writes the same pages. */
function randoms(seed: number): () => number {
  let x = seed;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

async function probeSqlite(): Promise<number> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ecc-host-probe-'));
  const db = new SQLite(path.join(dir, 'probe.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec(`create table rooms (id integer primary key, last_seq integer not null, updated_at text not null);
             create table rows (id integer primary key, room_id integer not null, seq integer not null, content text not null);
             create unique index rows_room_seq on rows(room_id, seq);`);
    const seedRoom = db.prepare('insert into rooms (id, last_seq, updated_at) values (?, 0, ?)');
    db.transaction(() => {
      for (let id = 1; id <= SQLITE_ROOMS; id++) seedRoom.run(id, new Date(0).toISOString());
    })();
    const bump = db.prepare('update rooms set last_seq = last_seq + 1, updated_at = ? where id = ? returning last_seq');
    const insert = db.prepare('insert into rows (room_id, seq, content) values (?, ?, ?)');
    const content = 'x'.repeat(80);
    const random = randoms(2463534242);
    const batch = db.transaction((rooms: number[]) => {
      const now = new Date().toISOString();
      for (const room of rooms) {
        const { last_seq } = bump.get(now, room) as { last_seq: number };
        insert.run(room, last_seq, content);
      }
    });
    const nextBatch = (): number[] => Array.from({ length: SQLITE_BATCH }, () => 1 + Math.floor(random() * SQLITE_ROOMS));
    for (let i = 0; i < 40; i++) batch(nextBatch()); // warm-up: caches and JIT
    return await cpuPer(SQLITE_BATCH * SQLITE_BATCHES, () => {
      for (let i = 0; i < SQLITE_BATCHES; i++) batch(nextBatch());
    });
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function probeLoopback(): Promise<number> {
  const server = createServer((socket) => socket.on('data', (data) => socket.write(data)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const client: Socket = createConnection({ port, host: '127.0.0.1', noDelay: true });
  await new Promise<void>((resolve) => client.once('connect', resolve));
  const payload = Buffer.alloc(200, 0x61);
  /** Sends `count` messages one at a time, each after the previous one came back. */
  const roundTrips = (count: number): Promise<void> =>
    new Promise((resolve) => {
      let left = count;
      let pending = 0;
      const onData = (data: Buffer): void => {
        pending -= data.length;
        if (pending > 0) return;
        if (--left === 0) {
          client.off('data', onData);
          resolve();
          return;
        }
        pending = payload.length;
        client.write(payload);
      };
      client.on('data', onData);
      pending = payload.length;
      client.write(payload);
    });
  try {
    await roundTrips(1000); // warm-up
    return await cpuPer(ROUND_TRIPS, () => roundTrips(ROUND_TRIPS));
  } finally {
    client.destroy();
    await new Promise((resolve) => server.close(resolve));
  }
}

async function probeJs(): Promise<number> {
  const frame = {
    type: 'message',
    roomId: 1,
    message: { id: 1, roomId: 1, seq: 1, sender: { id: 7, username: 'client7', displayName: 'Client 7', role: 'client' }, type: 'text', content: 'y'.repeat(80), createdAt: new Date(0).toISOString(), editedAt: null, deletedAt: null, attachment: null, replyTo: null, clientId: 'c' },
  };
  const seen = new Map<string, number>();
  let sink = 0;
  const op = (i: number): void => {
    frame.message.seq = i;
    const text = JSON.stringify(frame);
    const back = JSON.parse(text) as typeof frame;
    seen.set(`${back.roomId}:${i & 4095}`, back.message.seq);
    sink += text.length;
  };
  for (let i = 0; i < 20_000; i++) op(i); // warm-up: JIT
  const us = await cpuPer(JS_OPS, () => {
    for (let i = 0; i < JS_OPS; i++) op(i);
  });
  if (sink === 0) throw new Error('unreachable: keeps the work from being optimised away');
  return us;
}

/** The median of `times` runs: one run's figure moves with whatever else shared the core that second. */
async function medianOf(times: number, part: () => Promise<number>): Promise<number> {
  const figures: number[] = [];
  for (let i = 0; i < times; i++) figures.push(await part());
  figures.sort((a, b) => a - b);
  return figures[Math.floor(figures.length / 2)] ?? Number.NaN;
}

/** Runs the three parts in this process, each three times (about 5 s in all). */
export async function probeHost(): Promise<HostProbe> {
  return {
    sqliteUsPerRow: await medianOf(3, probeSqlite),
    loopbackUsPerRoundTrip: await medianOf(3, probeLoopback),
    jsUsPerOp: await medianOf(3, probeJs),
  };
}

/** The probe in a process of its own, pinned where the server runs and at its priority. */
export async function probeHostOn(cpus: string | null, nice: number): Promise<HostProbe> {
  const [command, args] = pinned(cpus, process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], nice);
  const { stdout } = await promisify(execFile)(command, args, { cwd: REPO_ROOT, timeout: 120_000 });
  return JSON.parse(stdout) as HostProbe;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  probeHost()
    .then((probe) => console.log(JSON.stringify(probe)))
    .catch((error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    });
}
