/**
 * Cluster mode: it refuses to run without PostgreSQL and Redis (saying why),
 * backs off when workers keep crashing, serves from several workers on one
 * port, replaces a worker that dies, and stops cleanly on SIGTERM.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { clusterSettings, restartDelayMs } from '../../src/cluster.ts';
import { TEST_REDIS_URL, deletePrefix, freePort, randomPrefix, sharedRedisGate, waitUntil } from './support/redis.ts';
import pg from 'pg';
import { freshDatabase, postgresGate, TEST_DATABASE_URL } from './support/nodes.ts';
import { login } from './support/tabs.ts';

const clusterEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cluster.ts');
const mainEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/main.ts');

describe('cluster settings', () => {
  it('requires DATABASE_URL and REDIS_URL, naming both', () => {
    expect(() => clusterSettings({ WORKERS: '2' })).toThrow(/DATABASE_URL[\s\S]*REDIS_URL/);
    expect(() => clusterSettings({ WORKERS: '2', DATABASE_URL: 'postgres://db/chat' })).toThrow(/REDIS_URL/);
    expect(() => clusterSettings({ WORKERS: '2', REDIS_URL: 'redis://r' })).toThrow(/DATABASE_URL/);
  });

  it('reads WORKERS, defaulting to one per CPU, and rejects nonsense', () => {
    const env = { DATABASE_URL: 'postgres://db/chat', REDIS_URL: 'redis://r' };
    expect(clusterSettings({ ...env, WORKERS: '3' })).toEqual({ workers: 3 });
    expect(clusterSettings(env).workers).toBeGreaterThanOrEqual(1);
    expect(() => clusterSettings({ ...env, WORKERS: 'many' })).toThrow(/WORKERS/);
    expect(() => clusterSettings({ ...env, WORKERS: '0' })).toThrow(/WORKERS/);
  });

  it('restarts a crashed worker at once, then waits longer while crashes repeat, up to 30 s', () => {
    expect(restartDelayMs(0)).toBe(0);
    const delays = [1, 2, 3, 4, 5, 12, 30].map(restartDelayMs);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(restartDelayMs(100)).toBe(30_000);
  });

  it('refuses to start without PostgreSQL and Redis, with a clear message', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, WORKERS: '2' };
    delete env.DATABASE_URL;
    delete env.REDIS_URL;
    const child = spawn(process.execPath, ['--import', 'tsx', clusterEntry], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toMatch(/Cannot start cluster mode/);
    expect(stderr).toMatch(/DATABASE_URL/);
    expect(stderr).toMatch(/REDIS_URL/);
  });
});

const servicesUp = (await postgresGate()) && (await sharedRedisGate());

/** Pids of the Node processes (workers) among the direct children of `pid` (tsx may add an esbuild helper). */
async function childPids(pid: number): Promise<number[]> {
  const { stdout } = await promisify(execFile)('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)]);
  return stdout
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, command]) => command === 'node')
    .map(([id]) => Number(id));
}

describe.skipIf(!servicesUp)('cluster mode with PostgreSQL and Redis', { timeout: 120_000 }, () => {
  it('serves from WORKERS workers on one port (WORKERS=2 npm start), replaces a dead worker, and stops on SIGTERM', async () => {
    const database = await freshDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-cluster-mode-'));
    const port = await freePort();
    const prefix = randomPrefix();
    const child = spawn(process.execPath, ['--import', 'tsx', mainEntry], {
      env: {
        ...process.env,
        WORKERS: '2',
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: database.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        DATA_DIR: dataDir,
        SEED_DEMO: '1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const pid = child.pid;
    if (pid === undefined) throw new Error('cluster did not start');
    try {
      const url = `http://127.0.0.1:${port}`;
      const healthy = async () => (await fetch(`${url}/healthz`).catch(() => null))?.status === 200;
      await waitUntil('both workers listening', () => (logs.match(/"msg":"listening"/g) ?? []).length === 2, 60_000);
      await waitUntil('cluster healthy', healthy, 30_000);
      // Seeded once by the first worker; a session from one worker works on whichever serves the next request.
      const session = await login(url, 'client1');
      for (let i = 0; i < 4; i++) {
        const me = await fetch(`${url}/api/me`, { headers: { Authorization: `Bearer ${session.token}` } });
        expect(me.status).toBe(200);
      }

      const workers = await childPids(pid);
      expect(workers).toHaveLength(2);
      const victim = workers[0];
      if (victim === undefined) throw new Error('unreachable');
      process.kill(victim, 'SIGKILL');
      await waitUntil('worker replaced', async () => {
        const now = await childPids(pid);
        return now.length === 2 && !now.includes(victim);
      }, 60_000);
      expect(logs).toMatch(/worker died; restarting it/);
      await waitUntil('three workers have listened in all', () => (logs.match(/"msg":"listening"/g) ?? []).length === 3, 60_000);
      expect(await healthy()).toBe(true);

      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(await childPids(pid).catch(() => [])).toEqual([]);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
      await deletePrefix(TEST_REDIS_URL, prefix);
    }
  });
  it('starts the other workers when the replacement of a first worker that died before listening listens', async () => {
    const database = await freshDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-cluster-mode-'));
    const port = await freePort();
    const prefix = randomPrefix();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    // The database is not there when the first worker starts (as when PostgreSQL is down at boot): it exits.
    await admin.query(`alter database ${database.name} rename to ${database.name}_away`);
    const child = spawn(process.execPath, ['--import', 'tsx', clusterEntry], {
      env: { ...process.env, WORKERS: '2', PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: database.url, REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, DATA_DIR: dataDir, LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let logs = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (logs += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await waitUntil('the first worker died', () => /worker died; restarting it/.test(logs), 60_000);
      await admin.query(`alter database ${database.name}_away rename to ${database.name}`);
      await waitUntil('both workers listening', () => (logs.match(/"msg":"listening"/g) ?? []).length === 2, 60_000);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await admin.query(`alter database ${database.name}_away rename to ${database.name}`).catch(() => {});
      await admin.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
      await deletePrefix(TEST_REDIS_URL, prefix);
    }
  });
});
