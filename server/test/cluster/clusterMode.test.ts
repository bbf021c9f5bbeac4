/**
 * Cluster mode's start-up rules: it refuses to run without PostgreSQL and
 * Redis (saying why), and backs off when workers keep crashing.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { clusterSettings, restartDelayMs } from '../../src/cluster.ts';

const clusterEntry = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../src/cluster.ts');

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
