/**
 * A bare presence node for tests: registers sockets for the users in
 * `USERS` (comma-separated ids), prints `ready`, and idles until killed,
 * printing `online <ids>` whenever it announces users online again.
 * Killing it with SIGKILL is a node dying without closing its sockets;
 * SIGSTOP then SIGCONT is a long pause.
 */
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { RedisPresence } from '../../../src/fanout/redisPresence.ts';

const url = process.env.REDIS_URL;
const prefix = process.env.REDIS_PREFIX;
if (!url || !prefix) throw new Error('REDIS_URL and REDIS_PREFIX are required');
const presence = new RedisPresence({
  url,
  prefix,
  logger: pino({ level: 'silent' }),
  heartbeatMs: Number(process.env.HEARTBEAT_MS ?? 200),
  ttlMs: Number(process.env.TTL_MS ?? 800),
  sweepMs: Number(process.env.SWEEP_MS ?? 200),
});
// What a node announces when its users come back after it was swept, one line per report.
presence.onOnline((ids) => process.stdout.write(`online ${ids.sort((a, b) => a - b).join(',')}\n`));
const users = (process.env.USERS ?? '').split(',').filter(Boolean).map(Number);
for (const userId of users) await presence.socketOpened(userId);
// The test may go on only once every count is in Redis (a failed write is re-synced by the heartbeat).
const probe = new Redis(url);
for (;;) {
  const present = await Promise.all(users.map((id) => probe.hexists(`${prefix}presence:user:${id}`, presence.nodeId)));
  if (present.every((n) => n === 1)) break;
  await new Promise((resolve) => setTimeout(resolve, 50));
}
probe.disconnect();
process.stdout.write('ready\n');
setInterval(() => {}, 60_000);
