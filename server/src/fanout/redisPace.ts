/**
 * A per-user pace ("at most N in any window") counted in Redis, so requests a
 * load balancer spreads over the nodes (and over a machine's worker processes)
 * meet one limit: support staff's room opens and joins (http/routes/staffPace.ts).
 *
 * The count is a sliding window kept as the send counter keeps it (redisSendCounter.ts):
 * a list of the times (Redis's clock, the same for every node) of the user's events
 * in the window, in one script. Redis down or slow: answers null and the node decides
 * alone (its own window, asked first: ws/rateLimiter.ts SharedWindowLimiter), as the
 * send counter and the sign-in throttle do; shared again once Redis answers.
 *
 * Key (prefix `p` = REDIS_PREFIX): `${p}pace:{name}:{userId}`, a list that expires a
 * window after the user's last counted event.
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { SharedPace } from './bus.ts';
import { LUA_NOW_MS, OptionalRedis, runScript } from './redisConnection.ts';
import type { RedisStall } from './redisStall.ts';

/**
 * Lua (after LUA_NOW_MS): `takeInWindow(key, limit, window)` counts one event at `t` in the list `key`
 * when fewer than `limit` are in the window ending now and answers 0; otherwise counts nothing and
 * answers the milliseconds until the oldest of the last `limit` leaves the window (at least 1).
 */
export const LUA_TAKE_IN_WINDOW = `
local function takeInWindow(key, limit, window)
  while true do
    local first = redis.call('LINDEX', key, 0)
    if not first or tonumber(first) > t - window then break end
    redis.call('LPOP', key)
  end
  local n = redis.call('LLEN', key)
  if n < limit then
    redis.call('RPUSH', key, t)
    redis.call('PEXPIRE', key, window)
    return 0
  end
  return tonumber(redis.call('LINDEX', key, n - limit)) + window - t
end
`;

/** KEYS: the user's list. ARGV: limit, windowMs. Answers takeInWindow's. */
export const TAKE_PACED = `
${LUA_NOW_MS}
${LUA_TAKE_IN_WINDOW}
return takeInWindow(KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]))
`;

export interface RedisPaceOptions {
  /** A connection that fails fast (redisConnection.ts): its command timeout is the longest a request waits for Redis. */
  redis: Redis;
  prefix: string;
  /** Which pace, in its keys and logs (e.g. `staffrooms`). */
  name: string;
  logger: Logger;
  limit: number;
  windowMs: number;
  /** The node's judgement of whether Redis answers (the bus's): while it says no, Redis is not asked. */
  stall?: RedisStall;
}

export class RedisPace implements SharedPace {
  private readonly link: OptionalRedis;

  constructor(private readonly options: RedisPaceOptions) {
    const logger = options.logger.child({ component: 'redis-pace', pace: options.name });
    this.link = new OptionalRedis(options.redis, logger, `each node counts ${options.name} on its own meanwhile`, options.stall);
  }

  take(userId: number): Promise<number | null> {
    const { prefix, name, limit, windowMs } = this.options;
    return this.link.run(async (redis) => {
      const wait = await runScript(redis, TAKE_PACED, [`${prefix}pace:${name}:${userId}`], [limit, windowMs]);
      if (typeof wait !== 'number') throw new Error('unexpected reply to TAKE_PACED');
      return wait;
    });
  }
}
