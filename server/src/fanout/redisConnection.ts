/**
 * Redis connections for the fan-out, configured to fail fast instead of
 * queueing: while Redis is unreachable a command is rejected at once (no
 * offline queue that grows without bound), in-flight commands are rejected
 * when the link drops (no blind re-send that could deliver an event twice),
 * and a command that gets no answer is rejected after a timeout. ioredis keeps
 * reconnecting on its own; callers watch `ready` / `close` to know the state.
 */
import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LINK_CHECK_DEFAULTS, watchLink, type LinkWatchdogOptions } from './linkWatchdog.ts';
import type { RedisStall } from './redisStall.ts';

export interface RedisConnectionOptions {
  url: string;
  /** Shown in logs and in `CLIENT LIST` (e.g. `ecc-pub-<nodeId>`). */
  name: string;
  logger: Logger;
  /** A command without an answer after this long is rejected. */
  commandTimeoutMs?: number;
  /** Batch the commands of one tick into one pipeline (publishers). */
  autoPipelining?: boolean;
  /** How a silent link is found and replaced (linkWatchdog.ts); default a PING every 5 s, 2 s to answer. */
  linkCheck?: LinkWatchdogOptions;
}

/** Longest wait between reconnection attempts. */
const MAX_RECONNECT_DELAY_MS = 2000;

/**
 * Opens a connection that never queues while disconnected. Errors are logged
 * once per outage (the first one after the link was ready), not on every
 * reconnection attempt.
 */
export function createRedisConnection(options: RedisConnectionOptions): Redis {
  const log = options.logger.child({ redis: options.name });
  const redis = new Redis(options.url, {
    connectionName: options.name.replace(/[^\w:.-]/g, '_'),
    enableOfflineQueue: false,
    // Flush (reject) everything pending each time the link drops.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    autoResubscribe: false,
    enableAutoPipelining: options.autoPipelining ?? false,
    commandTimeout: options.commandTimeoutMs ?? 5000,
    connectTimeout: 5000,
    retryStrategy: (attempt) => Math.min(100 * attempt, MAX_RECONNECT_DELAY_MS),
  });
  let reported = false;
  redis.on('error', (err: Error) => {
    if (reported) return;
    reported = true;
    log.warn({ err: err.message }, 'redis connection error; retrying in the background');
  });
  redis.on('ready', () => {
    if (reported) log.info('redis connection restored');
    reported = false;
  });
  watchLink(redis, log, options.linkCheck ?? LINK_CHECK_DEFAULTS);
  return redis;
}

/** Closes a connection without waiting for a dead server. */
export async function closeRedisConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // QUIT failed (link dropped meanwhile): fall through to a hard disconnect.
    }
  }
  redis.disconnect(false);
}

const shaCache = new Map<string, string>();

function sha1(script: string): string {
  let sha = shaCache.get(script);
  if (sha === undefined) {
    sha = createHash('sha1').update(script).digest('hex');
    shaCache.set(script, sha);
  }
  return sha;
}

/** Runs a Lua script by hash (EVALSHA), sending it whole when Redis does not have it cached (NOSCRIPT, e.g. after a restart). */
export async function runScript(redis: Redis, script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
  try {
    return await redis.evalsha(sha1(script), keys.length, ...keys, ...args);
  } catch (err) {
    if (!(err instanceof Error) || !err.message.startsWith('NOSCRIPT')) throw err;
    return await redis.eval(script, keys.length, ...keys, ...args);
  }
}

/** An error's message for a log line. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** Lua: `t`, Redis's clock in milliseconds (the same for every node). */
export const LUA_NOW_MS = `local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)`;

/**
 * Steps against a fail-fast connection for callers that can decide without
 * Redis (the per-user limits' shared counts): a step answers null when Redis
 * cannot be asked (not ready, or the step failed), and the caller decides on
 * its own. A failure is logged once per outage, not once per step.
 *
 * After a step failed on a link that stayed up (Redis hung, or a link that
 * blackholes: each step waits its whole command timeout), steps answer null
 * at once until a PING in the background gets an answer again. Otherwise
 * every send of a user on two nodes would wait the timeout, one after another
 * per socket, for as long as Redis hangs. Steps also answer null at once
 * while the node as a whole knows Redis hangs (the bus's and presence's
 * RedisStall), so the first one does not wait its timeout either.
 */
export class OptionalRedis {
  private failing = false;
  private probing = false;

  constructor(
    readonly redis: Redis,
    private readonly logger: Logger,
    /** What the caller does meanwhile, for the log line. */
    private readonly meanwhile: string,
    /** The node's judgement of whether Redis answers: only read here, never tripped. */
    private readonly nodeStall?: RedisStall,
  ) {}

  /** The link is up (a step may still find Redis not answering). */
  healthy(): boolean {
    return this.redis.status === 'ready';
  }

  async run<T>(step: (redis: Redis) => Promise<T>): Promise<T | null> {
    if (!this.healthy() || this.nodeStall?.stalled()) return null;
    if (this.failing) {
      this.probe();
      return null;
    }
    try {
      return await step(this.redis);
    } catch (err) {
      // Not told to the node's RedisStall: a 500 ms timeout here is a weaker sign than the bus's, and
      // the node-wide stall drops cluster events and makes every socket resync (close 1013) after it.
      if (!this.failing) this.logger.warn({ err: errorText(err) }, `Redis did not answer; ${this.meanwhile}`);
      this.failing = true;
      return null;
    }
  }

  /** One PING at a time: its answer ends the failure. */
  private probe(): void {
    if (this.probing) return;
    this.probing = true;
    this.redis.ping().then(
      () => {
        this.probing = false;
        if (this.failing) this.logger.info('Redis answers again; counting over the nodes again');
        this.failing = false;
      },
      () => {
        this.probing = false;
      },
    );
  }
}
