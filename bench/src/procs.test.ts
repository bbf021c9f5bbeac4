/** Reading a server's scheduling from /proc: what "waiting for its core" in the reports is made of. */
import { describe, expect, it } from 'vitest';
import { parseSchedstat, runQueueWaitSeconds } from './procs.ts';

describe('schedstat', () => {
  it('reads the time on a core and the time waiting for one, in seconds', () => {
    expect(parseSchedstat('5000000000 250000000 17\n')).toEqual({ runSeconds: 5, waitSeconds: 0.25 });
    expect(() => parseSchedstat('not a schedstat')).toThrow(/unexpected schedstat/);
  });

  it("reads a live process's main thread", async () => {
    const waited = await runQueueWaitSeconds(process.pid);
    expect(Number.isFinite(waited)).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(0);
    await expect(runQueueWaitSeconds(2 ** 22 + 1)).rejects.toThrow(); // no such pid: an error, not a zero
  });
});
