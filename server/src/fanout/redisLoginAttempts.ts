/**
 * Sign-in attempt counts in Redis, so the login throttle (auth/loginThrottle.ts)
 * counts guesses spread over every node against one limit.
 *
 * Each key is a counter that expires when its window ends (the window starts
 * at its first attempt, as in memory). Redis down or slow: the node counts in
 * its own memory meanwhile (each node on its own, as a single node would).
 *
 * Key (prefix `p` = REDIS_PREFIX): `${p}login:{kind}:{…}`, the kinds of auth/loginThrottle.ts
 * (`user:`, `pair:`, `known:`, `addr:`, `any:`).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { MemoryAttemptCounts, type AttemptCounts, type AttemptLimit } from '../auth/loginThrottle.ts';
import { OptionalRedis, runScript } from './redisConnection.ts';
import type { RedisStall } from './redisStall.ts';

/**
 * When every counter is under its max, adds one attempt to each and answers 0;
 * otherwise adds nothing and answers the milliseconds until the windows of the
 * counters at their max have ended. KEYS: the counters. ARGV: windowMs, then each key's max.
 */
export const TAKE_ATTEMPT = `
local wait = 0
for i, key in ipairs(KEYS) do
  if tonumber(redis.call('GET', key) or '0') >= tonumber(ARGV[i + 1]) then
    wait = math.max(wait, redis.call('PTTL', key))
  end
end
if wait > 0 then return wait end
for _, key in ipairs(KEYS) do
  if redis.call('INCR', key) == 1 then redis.call('PEXPIRE', key, ARGV[1]) end
end
return 0
`;

/** Takes one attempt back from a live counter (never below zero, never reviving an expired one). KEYS: the counter. */
export const TAKE_BACK = `
if tonumber(redis.call('GET', KEYS[1]) or '0') > 0 then redis.call('DECR', KEYS[1]) end
return 0
`;

export class RedisLoginAttempts implements AttemptCounts {
  private readonly fallback = new MemoryAttemptCounts();
  private readonly link: OptionalRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
    logger: Logger,
    /** The node's judgement of whether Redis answers (the bus's): while it says no, Redis is not asked. */
    stall?: RedisStall,
  ) {
    this.link = new OptionalRedis(redis, logger.child({ component: 'redis-login-attempts' }), 'sign-in attempts are counted on this node meanwhile', stall);
  }

  async take(limits: AttemptLimit[], windowMs: number): Promise<number> {
    const wait = await this.link.run(async (redis) => {
      const reply = await runScript(redis, TAKE_ATTEMPT, limits.map((l) => this.key(l.key)), [windowMs, ...limits.map((l) => l.max)]);
      if (typeof reply !== 'number') throw new Error('unexpected reply to TAKE_ATTEMPT');
      return reply;
    });
    return wait ?? this.fallback.take(limits, windowMs);
  }

  async takeBack(key: string): Promise<void> {
    const done = await this.link.run((redis) => runScript(redis, TAKE_BACK, [this.key(key)], []));
    if (done === null) await this.fallback.takeBack(key);
  }

  async clear(key: string): Promise<void> {
    const done = await this.link.run((redis) => redis.del(this.key(key)));
    if (done === null) await this.fallback.clear(key);
  }

  async has(key: string): Promise<boolean> {
    const found = await this.link.run((redis) => redis.exists(this.key(key)));
    return found === null ? this.fallback.has(key) : found > 0;
  }

  private key(key: string): string {
    return `${this.prefix}login:${key}`;
  }
}
