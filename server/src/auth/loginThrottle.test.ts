/**
 * The login throttle over both kinds of attempt counts: this process's, and
 * Redis's shared by several nodes (where two nodes' throttles meet one limit,
 * and a node counts on its own while Redis cannot be asked).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { createRedisConnection, closeRedisConnection } from '../fanout/redisConnection.ts';
import { RedisLoginAttempts } from '../fanout/redisLoginAttempts.ts';
import { TEST_REDIS_URL, deletePrefix, randomPrefix, sharedRedisGate, testLogger, waitUntil } from '../../test/cluster/support/redis.ts';
import { LoginThrottle, MemoryAttemptCounts, type AttemptCounts, type ThrottleLimits } from './loginThrottle.ts';

const redisAvailable = await sharedRedisGate();
const prefix = randomPrefix();
const links: ReturnType<typeof createRedisConnection>[] = [];

afterAll(async () => {
  await Promise.all(links.map((link) => closeRedisConnection(link)));
  if (redisAvailable) await deletePrefix(TEST_REDIS_URL, prefix);
});

async function redisCounts(url = TEST_REDIS_URL): Promise<AttemptCounts> {
  const link = createRedisConnection({ url, name: 'login-test', logger: testLogger(), commandTimeoutMs: 500 });
  links.push(link);
  if (url === TEST_REDIS_URL) await waitUntil('redis ready', () => link.status === 'ready');
  return new RedisLoginAttempts(link, prefix, testLogger());
}

const kinds: { name: string; enabled: boolean; counts(): Promise<AttemptCounts> }[] = [
  { name: 'in memory', enabled: true, counts: () => Promise.resolve(new MemoryAttemptCounts()) },
  { name: 'in Redis', enabled: redisAvailable, counts: () => redisCounts() },
];

let run = 0;
for (const kind of kinds) {
  describe.skipIf(!kind.enabled)(`LoginThrottle, counts ${kind.name}`, () => {
    // Names no other test of the run uses (the Redis counts outlive a test).
    const name = (who: string) => `${who}-${++run}`;
    const throttle = async (limits: Partial<ThrottleLimits>) =>
      new LoginThrottle({ maxFailuresPerUser: 100, maxFailuresPerAddress: 100, windowMs: 60_000, ...limits }, await kind.counts());

    it('refuses a username after too many attempts until its window passes', async () => {
      const t = await throttle({ maxFailuresPerUser: 3, windowMs: 400 });
      const alice = name('Alice');
      for (let i = 0; i < 3; i++) expect(await t.attempt(alice, `10.0.0.${i}`)).toBe(0);
      const wait = await t.attempt(alice.toLowerCase(), '2.2.2.2');
      expect(wait).toBeGreaterThan(0);
      expect(wait).toBeLessThanOrEqual(400);
      await new Promise((resolve) => setTimeout(resolve, 450));
      expect(await t.attempt(alice, '2.2.2.2')).toBe(0);
    });

    it('refuses an address spraying many usernames, and only that address', async () => {
      const t = await throttle({ maxFailuresPerAddress: 5 });
      const address = name('9.9.9.9');
      for (let i = 0; i < 5; i++) expect(await t.attempt(name('user'), address)).toBe(0);
      expect(await t.attempt(name('someone-else'), address)).toBeGreaterThan(0);
      expect(await t.attempt(name('someone-else'), name('8.8.8.8'))).toBe(0);
    });

    it('counts nothing for a refused attempt: an address over its limit cannot lock other accounts out', async () => {
      const t = await throttle({ maxFailuresPerUser: 2, maxFailuresPerAddress: 3 });
      const [spray, victim] = [name('10.9.9.9'), name('victim')];
      for (let i = 0; i < 3; i++) expect(await t.attempt(name('user'), spray)).toBe(0);
      for (let i = 0; i < 5; i++) expect(await t.attempt(victim, spray)).toBeGreaterThan(0);
      // The victim, from their own address, still has both of their attempts.
      const home = name('192.0.2.1');
      expect([await t.attempt(victim, home), await t.attempt(victim, home)]).toEqual([0, 0]);
      expect(await t.attempt(victim, home)).toBeGreaterThan(0);
    });

    it('clears the username on a success and gives the address its attempt back', async () => {
      const t = await throttle({ maxFailuresPerUser: 3, maxFailuresPerAddress: 3 });
      const [bob, carol, address] = [name('bob'), name('carol'), name('7.7.7.7')];
      expect([await t.attempt(bob, address), await t.attempt(bob, address), await t.attempt(bob, address)]).toEqual([0, 0, 0]);
      await t.succeeded(bob, address);
      // The address has two attempts left in its window: one more is allowed, the next is not.
      expect(await t.attempt(carol, address)).toBe(0);
      expect(await t.attempt(carol, address)).toBeGreaterThan(0);
      // Bob's own count started over.
      for (let i = 0; i < 3; i++) expect(await t.attempt(bob, name('6.6.6.6'))).toBe(0);
    });
  });
}

describe.skipIf(!redisAvailable)('LoginThrottle over several nodes', () => {
  it('counts guesses through two nodes against one limit', async () => {
    const limits = { maxFailuresPerUser: 4, maxFailuresPerAddress: 100, windowMs: 60_000 };
    const nodes = [new LoginThrottle(limits, await redisCounts()), new LoginThrottle(limits, await redisCounts())];
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await (nodes[i % 2] as LoginThrottle).attempt(`spread-${run}`, `5.5.5.${i}`));
    expect(waits.map((w) => w > 0)).toEqual([false, false, false, false, true, true]);
  });

  it('counts on the node itself while Redis cannot be asked', async () => {
    // Nothing listens on port 1.
    const t = new LoginThrottle({ maxFailuresPerUser: 2, maxFailuresPerAddress: 100, windowMs: 60_000 }, await redisCounts('redis://127.0.0.1:1'));
    const waits = [await t.attempt('offline', 'a'), await t.attempt('offline', 'b'), await t.attempt('offline', 'c')];
    expect(waits.map((w) => w > 0)).toEqual([false, false, true]);
  });
});
