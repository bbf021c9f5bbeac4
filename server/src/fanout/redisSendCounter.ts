/**
 * The contract's send rate limit ("at most N `send` per window per user")
 * counted in Redis, so a user's tabs on different nodes share one allowance.
 *
 * Each user has a list of the times (Redis's clock, the same for every node)
 * of their sends in the last window, as the in-process SlidingWindowLimiter
 * keeps them (the window's script is redisPace.ts's, shared with other paces). The sends a node takes in one turn of its event loop go to
 * Redis as ONE script call, so a busy node adds about one round trip per
 * loop turn, not one per send.
 *
 * Redis down or slow: the send is let through (the node's own limiter,
 * asked first, still holds each node to the limit), and the limit is shared
 * again once Redis answers.
 *
 * Only users with sockets on several nodes are counted here (rateLimiter.ts):
 * a user on one node costs no round trip.
 *
 * Key (prefix `p` = REDIS_PREFIX): `${p}sends:{userId}`, a list that expires a
 * window after the user's last send. Built inside the script from the prefix,
 * so like presence this needs a single Redis, not Redis Cluster.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SharedSendCounter } from './bus.ts';
import { LUA_NOW_MS, OptionalRedis, runScript } from './redisConnection.ts';
import { LUA_TAKE_IN_WINDOW } from './redisPace.ts';
import type { RedisStall } from './redisStall.ts';

/**
 * Takes one send for each user id in ARGV (in order; a user may appear more
 * than once) and answers 1 (counted) or 0 (over the limit, not counted) for each.
 * ARGV: prefix, limit, windowMs, then user ids.
 */
export const TAKE_SENDS = `
${LUA_NOW_MS}
${LUA_TAKE_IN_WINDOW}
local limit = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local taken = {}
for i = 4, #ARGV do
  taken[#taken + 1] = takeInWindow(ARGV[1] .. 'sends:' .. ARGV[i], limit, window) == 0 and 1 or 0
end
return taken
`;

/** Adds ARGV[4] sends of user ARGV[3] stamped now. ARGV: prefix, windowMs, userId, count. */
export const SEED_SENDS = `
${LUA_NOW_MS}
local key = ARGV[1] .. 'sends:' .. ARGV[3]
for i = 1, tonumber(ARGV[4]) do redis.call('RPUSH', key, t) end
redis.call('PEXPIRE', key, ARGV[2])
return 0
`;

export interface RedisSendCounterOptions {
  /** A connection that fails fast (redisConnection.ts): its command timeout is the longest a send waits for Redis. */
  redis: Redis;
  prefix: string;
  logger: Logger;
  limit: number;
  windowMs: number;
  /** The node's judgement of whether Redis answers (the bus's): while it says no, Redis is not asked. */
  stall?: RedisStall;
}

interface Waiting {
  userId: number;
  answer(allowed: boolean): void;
}

export class RedisSendCounter implements SharedSendCounter {
  private readonly link: OptionalRedis;
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly options: RedisSendCounterOptions) {
    const logger = options.logger.child({ component: 'redis-send-counter' });
    this.link = new OptionalRedis(options.redis, logger, 'each node limits sends on its own meanwhile', options.stall);
  }

  tryTake(userId: number): Promise<boolean> {
    if (!this.healthy()) return Promise.resolve(true);
    return new Promise((answer) => {
      this.waiting.push({ userId, answer });
      if (this.scheduled) return;
      this.scheduled = true;
      setImmediate(() => void this.flush());
    });
  }

  async seed(userId: number, count: number): Promise<void> {
    if (count > 0) await this.link.run((redis) => runScript(redis, SEED_SENDS, [], [this.options.prefix, this.options.windowMs, userId, count]));
  }

  /** Redis is reachable: sends are counted over every node. */
  healthy(): boolean {
    return this.link.healthy();
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const batch = this.waiting;
    this.waiting = [];
    const { prefix, limit, windowMs } = this.options;
    const taken = await this.link.run((redis) => runScript(redis, TAKE_SENDS, [], [prefix, limit, windowMs, ...batch.map((w) => w.userId)]));
    // Not asked: the node's own window has decided.
    const answers = Array.isArray(taken) ? taken : [];
    batch.forEach((w, i) => w.answer(answers[i] !== 0));
  }
}
