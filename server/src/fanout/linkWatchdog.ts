/**
 * A Redis link that goes silent — its TCP connection alive, nothing coming
 * back (a NAT or firewall that dropped the flow, a proxy that hangs) — fails
 * nothing by itself: a subscriber link sends no command, so it just stops
 * bringing events, and a publisher's commands time out one by one for ever
 * while the link counts as up. So each link is asked a PING every
 * `everyMs` while it is ready; one not answered within `timeoutMs` has its
 * socket destroyed, and ioredis connects afresh (the bus re-subscribes its
 * topics and makes its sockets resync then, as after any lost link).
 */
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface LinkWatchdogOptions {
  /** How often a ready link is asked a PING (0: never). */
  everyMs: number;
  /** A PING without an answer after this long means the link is silent. */
  timeoutMs: number;
}

export const LINK_CHECK_DEFAULTS: LinkWatchdogOptions = { everyMs: 5000, timeoutMs: 2000 };

/** Watches `redis` until it ends (closed for good). */
export function watchLink(redis: Redis, logger: Logger, { everyMs, timeoutMs }: LinkWatchdogOptions): void {
  if (everyMs <= 0) return;
  let asking = false;
  const timer = setInterval(() => {
    if (asking || redis.status !== 'ready') return;
    asking = true;
    void pingOrReplace(redis, logger, timeoutMs).finally(() => {
      asking = false;
    });
  }, everyMs);
  timer.unref();
  redis.once('end', () => clearInterval(timer));
}

async function pingOrReplace(redis: Redis, logger: Logger, timeoutMs: number): Promise<void> {
  const stream = redis.stream;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
    timer.unref();
  });
  const pong = redis.ping().then(
    () => true,
    () => false,
  );
  const answered = await Promise.race([pong, late]);
  clearTimeout(timer);
  // Not answered on the link it was asked on, which is still up: replace it (a link that dropped meanwhile is being replaced already).
  if (answered || redis.stream !== stream || redis.status !== 'ready' || stream.destroyed) return;
  logger.warn({ timeoutMs }, 'redis link did not answer a PING in time; replacing the connection');
  stream.destroy(new Error('Redis link silent'));
}
