import { describe, expect, it } from 'vitest';
import { PeriodicTask } from './periodicTask.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PeriodicTask', () => {
  it('runs no pass after stop, even when started twice', async () => {
    let passes = 0;
    const task = new PeriodicTask(10, async () => {
      passes += 1;
    });
    task.start();
    task.start({ now: true });
    await sleep(50);
    expect(passes).toBeGreaterThan(1);
    await task.stop();
    const atStop = passes;
    await sleep(60);
    expect(passes).toBe(atStop);
  });

  it('shares a running pass with a pass asked for meanwhile, and stop waits for it', async () => {
    let passes = 0;
    let finish!: () => void;
    const task = new PeriodicTask(60_000, () => {
      passes += 1;
      return new Promise<void>((resolve) => (finish = resolve));
    });
    const first = task.run();
    const second = task.run();
    expect(passes).toBe(1);
    let stopped = false;
    const stopping = task.stop().then(() => (stopped = true));
    await sleep(5);
    expect(stopped).toBe(false);
    finish();
    await Promise.all([first, second, stopping]);
    expect(stopped).toBe(true);
  });
});
