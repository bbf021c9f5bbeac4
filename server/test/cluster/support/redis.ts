/**
 * Redis for tests: the shared instance (`TEST_REDIS_URL`, default
 * 127.0.0.1:6379) with a random key prefix per test, and private
 * `redis-server` processes on spare ports that a test may kill and restart
 * (the shared one is never stopped).
 *
 * Under CI=true a missing Redis fails the test file loudly; otherwise its
 * tests are skipped with a warning.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { Redis } from 'ioredis';
import { pino, type Logger } from 'pino';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A prefix no other test uses, so parallel tests never cross. */
export function randomPrefix(): string {
  return `ecc-test:${randomUUID().slice(0, 8)}:`;
}

/** Silent unless TEST_LOG_LEVEL is set (e.g. `debug` while investigating). */
export function testLogger(): Logger {
  return pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
}

/** True when a Redis answers PING at `url` within a few seconds. */
export async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 3000 });
  redis.on('error', () => {
    // The outcome is reported through the return value.
  });
  try {
    await redis.connect();
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

/**
 * Whether the tests that need a service may run: true when it answers; when it
 * does not, throws under CI=true and otherwise warns and returns false (skip).
 */
export function serviceGate(service: string, available: boolean): boolean {
  if (available) return true;
  const message = `${service} is not available`;
  if (process.env.CI) throw new Error(`${message}: required under CI=true`);
  console.warn(`SKIPPING tests that need ${service}: ${message} (set CI=true to fail instead)`);
  return false;
}

/** Gate for the shared Redis. */
export async function sharedRedisGate(): Promise<boolean> {
  return serviceGate(`Redis at ${TEST_REDIS_URL}`, await redisAnswers(TEST_REDIS_URL));
}

/** Gate for private `redis-server` processes (needs the binary). */
export async function privateRedisGate(): Promise<boolean> {
  const works = await new Promise<boolean>((resolve) => {
    const child = spawn('redis-server', ['--version'], { stdio: 'ignore' });
    child.on('error', () => resolve(false));
    child.on('exit', (code) => resolve(code === 0));
  });
  return serviceGate('the redis-server binary', works);
}

/** Deletes every key under `prefix` on the shared Redis. */
export async function deletePrefix(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  server.close();
  await once(server, 'close');
  return port;
}

/** Polls `check` until it returns true; fails after `timeoutMs` with `what`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A `redis-server` this test owns, on its own port, without persistence. */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort());
    await redis.start();
    return redis;
  }

  /** (Re)starts the server on the same port, empty, and waits until it answers. */
  async start(): Promise<void> {
    if (this.child) throw new Error('private redis already running');
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no'],
      { stdio: 'ignore' },
    );
    this.child = child;
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    await waitUntil(`redis-server on port ${this.port}`, () => redisAnswers(this.url), 10_000);
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as when Redis hangs or a link blackholes. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  /** Lets a paused server go on (SIGCONT). */
  resume(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the server at once (like a crash) and waits for the process to end. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    // A paused process would take the SIGKILL, but its exit is reported only once it runs again.
    child.kill('SIGCONT');
    this.child = undefined;
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
  }
}
