import { describe, expect, it } from 'vitest';
import { ConcurrencyGate, passwordCheckLimit, threadPoolSize } from './passwordGate.ts';

/** A task that finishes (or fails) when told. */
function held() {
  let finish!: () => void;
  let fail!: (err: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  return { done, finish, fail };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyGate', () => {
  it('runs at most its limit at once, the rest in arrival order, a failed task freeing its place', async () => {
    const gate = new ConcurrencyGate(2);
    const tasks = [held(), held(), held(), held()];
    const started: number[] = [];
    const runs = tasks.map((task, i) =>
      gate.run(async () => {
        started.push(i);
        await task.done;
        return i;
      }),
    );
    await turn();
    expect(started).toEqual([0, 1]);
    tasks[1]!.fail(new Error('boom'));
    await expect(runs[1]).rejects.toThrow('boom');
    await turn();
    expect(started).toEqual([0, 1, 2]);
    tasks[0]!.finish();
    await turn();
    expect(started).toEqual([0, 1, 2, 3]);
    tasks[2]!.finish();
    tasks[3]!.finish();
    expect(await Promise.all([runs[0], runs[2], runs[3]])).toEqual([0, 2, 3]);
    // All places free again: the next task starts at once.
    const next = held();
    const later = gate.run(async () => {
      started.push(4);
      await next.done;
    });
    const alongside = gate.run(async () => {
      started.push(5);
    });
    await turn();
    expect(started.slice(4)).toEqual([4, 5]);
    next.finish();
    await Promise.all([later, alongside]);
  });
});

describe('password check limit', () => {
  it('leaves one thread of the pool (as libuv sizes it) to files, never fewer than one check', () => {
    expect(passwordCheckLimit(threadPoolSize({}))).toBe(3);
    expect(passwordCheckLimit(threadPoolSize({ UV_THREADPOOL_SIZE: '16' }))).toBe(15);
    expect(passwordCheckLimit(threadPoolSize({ UV_THREADPOOL_SIZE: '1' }))).toBe(1);
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: '5000' })).toBe(1024);
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: 'lots' })).toBe(4);
    expect(threadPoolSize({ UV_THREADPOOL_SIZE: '0' })).toBe(4);
  });
});
