import { describe, expect, it } from 'vitest';
import { Turns } from './turns.ts';

/** A task that records when it starts and ends, and finishes when told. */
function task(log: string[], name: string) {
  let finish!: (fail?: boolean) => void;
  const done = new Promise<void>((resolve, reject) => (finish = (fail) => (fail ? reject(new Error(name)) : resolve())));
  return {
    run: async () => {
      log.push(`${name} starts`);
      try {
        await done;
      } finally {
        log.push(`${name} ends`);
      }
      return name;
    },
    finish,
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('Turns', () => {
  it('runs one key’s tasks one after another in order, other keys’ meanwhile, and goes on past a failed task', async () => {
    const turns = new Turns<number>();
    const log: string[] = [];
    const [a1, a2, a3, b1] = ['a1', 'a2', 'a3', 'b1'].map((name) => task(log, name)) as [ReturnType<typeof task>, ReturnType<typeof task>, ReturnType<typeof task>, ReturnType<typeof task>];
    const results = [turns.run(1, a1.run), turns.run(1, a2.run), turns.run(1, a3.run), turns.run(2, b1.run)];
    await tick();
    expect(log).toEqual(['a1 starts', 'b1 starts']);
    a1.finish(true);
    await tick();
    expect(log).toEqual(['a1 starts', 'b1 starts', 'a1 ends', 'a2 starts']);
    a2.finish();
    b1.finish();
    await tick();
    a3.finish();
    expect(await Promise.allSettled(results)).toMatchObject([{ status: 'rejected' }, { value: 'a2' }, { value: 'a3' }, { value: 'b1' }]);
    expect(log.indexOf('a3 starts')).toBeGreaterThan(log.indexOf('a2 ends'));
    await tick();
    expect(turns.size).toBe(0);
  });
});
