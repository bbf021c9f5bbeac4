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

const LOOSE: ThrottleLimits = {
  maxFailuresPerUserAndAddress: 100,
  maxFailuresPerUser: 100,
  maxFailuresPerAddress: 100,
  maxAttemptsPerAddress: 100,
  windowMs: 60_000,
  knownAddressMs: 60_000,
};

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
      new LoginThrottle({ ...LOOSE, ...limits }, await kind.counts());

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

    it('refuses a username from the guessing address only: the owner on another address gets in', async () => {
      const t = await throttle({ maxFailuresPerUserAndAddress: 3 });
      const [alice, attacker, home] = [name('alice'), name('203.0.113.66'), name('198.51.100.7')];
      for (let i = 0; i < 3; i++) expect(await t.attempt(alice, attacker)).toBe(0);
      expect(await t.attempt(alice, attacker)).toBeGreaterThan(0);
      expect(await t.attempt(alice, home)).toBe(0);
      // The attacker's address may still try other usernames (up to its own limits).
      expect(await t.attempt(name('bob'), attacker)).toBe(0);
    });

    it('does not hold an address the owner signed in from to the username’s total', async () => {
      const t = await throttle({ maxFailuresPerUser: 4 });
      const [alice, home] = [name('alice'), name('192.0.2.10')];
      expect(await t.attempt(alice, home)).toBe(0);
      await t.succeeded(alice, home);
      // Guesses from many addresses use up the username's total …
      for (let i = 0; i < 4; i++) expect(await t.attempt(alice, name(`10.1.0.${i}`))).toBe(0);
      expect(await t.attempt(alice, name('10.1.1.1'))).toBeGreaterThan(0);
      // … and the owner at home still gets in.
      expect(await t.attempt(alice, home)).toBe(0);
    });

    it('bounds attempts of any outcome per address, successes included', async () => {
      const t = await throttle({ maxAttemptsPerAddress: 3 });
      const address = name('7.7.7.7');
      for (let i = 0; i < 3; i++) {
        const who = name('carol');
        expect(await t.attempt(who, address)).toBe(0);
        await t.succeeded(who, address);
      }
      expect(await t.attempt(name('carol'), address)).toBeGreaterThan(0);
      expect(await t.attempt(name('carol'), name('7.7.7.8'))).toBe(0);
    });

    it('a success starts the pair over and does not count as a failure for the address or the username', async () => {
      const t = await throttle({ maxFailuresPerUserAndAddress: 3, maxFailuresPerAddress: 3, maxFailuresPerUser: 3 });
      const [bob, carol, address] = [name('bob'), name('carol'), name('7.7.7.7')];
      expect([await t.attempt(bob, address), await t.attempt(bob, address), await t.attempt(bob, address)]).toEqual([0, 0, 0]);
      await t.succeeded(bob, address);
      // The address has two failures: one more is allowed, the next is not.
      expect(await t.attempt(carol, address)).toBe(0);
      expect(await t.attempt(carol, address)).toBeGreaterThan(0);
      // Bob's username counts his two failures only: one more is allowed from a new address.
      expect(await t.attempt(bob, name('6.6.6.6'))).toBe(0);
      expect(await t.attempt(bob, name('6.6.6.7'))).toBeGreaterThan(0);
    });

    it('counts an IPv6 client by its /64 and an IPv4-mapped one as IPv4', async () => {
      const t = await throttle({ maxFailuresPerAddress: 2 });
      const block = `2001:db8:${++run}:1`;
      expect(await t.attempt(name('u'), `${block}::1`)).toBe(0);
      expect(await t.attempt(name('u'), `${block}:0:ffff:0:2`)).toBe(0);
      expect(await t.attempt(name('u'), `${block}:abcd::99`)).toBeGreaterThan(0);
      expect(await t.attempt(name('u'), `2001:db8:${run}:2::1`)).toBe(0);
      const v4 = `10.${run % 250}.6.4`;
      expect([await t.attempt(name('u'), v4), await t.attempt(name('u'), `::ffff:${v4}`)]).toEqual([0, 0]);
      expect(await t.attempt(name('u'), v4)).toBeGreaterThan(0);
    });
  });
}

describe('MemoryAttemptCounts', () => {
  it('keeps at most its cap of counters under a spray of made-up usernames and addresses', async () => {
    const counts = new MemoryAttemptCounts(Date.now, 200);
    const t = new LoginThrottle(LOOSE, counts);
    for (let i = 0; i < 2_000; i++) {
      expect(await t.attempt(`sprayed-${i}`, `10.2.${i >> 8}.${i & 255}`)).toBe(0);
      expect(counts.size).toBeLessThanOrEqual(200);
    }
  });
});

describe.skipIf(!redisAvailable)('LoginThrottle over several nodes', () => {
  it('counts guesses through two nodes against one limit', async () => {
    const limits = { ...LOOSE, maxFailuresPerUser: 4 };
    const nodes = [new LoginThrottle(limits, await redisCounts()), new LoginThrottle(limits, await redisCounts())];
    const waits: number[] = [];
    for (let i = 0; i < 6; i++) waits.push(await (nodes[i % 2] as LoginThrottle).attempt(`spread-${run}`, `5.5.5.${i}`));
    expect(waits.map((w) => w > 0)).toEqual([false, false, false, false, true, true]);
  });

  it('counts on the node itself while Redis cannot be asked', async () => {
    // Nothing listens on port 1.
    const t = new LoginThrottle({ ...LOOSE, maxFailuresPerUser: 2 }, await redisCounts('redis://127.0.0.1:1'));
    const waits = [await t.attempt('offline', 'a'), await t.attempt('offline', 'b'), await t.attempt('offline', 'c')];
    expect(waits.map((w) => w > 0)).toEqual([false, false, true]);
  });
});
