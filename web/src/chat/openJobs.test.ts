import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { OpenJobsStore, onBoard } from './openJobs.ts';

const job = (id: number, status: Job['status'] = 'open'): Job => ({ id, title: `Job ${id}`, status, createdAt: `2026-11-29T08:00:${String(id % 60).padStart(2, '0')}.000Z` });

describe('OpenJobsStore', () => {
  it('keeps each job\'s latest change in arrival order; a job that left is not put back by a late "posted"', () => {
    const store = new OpenJobsStore();
    let heard = 0;
    store.subscribe(() => (heard += 1));
    store.apply(job(1));
    store.apply(job(1, 'assigned'));
    store.apply(job(1));
    store.apply(job(2));
    const { changes, version } = store.getState();
    expect([...changes.values()].map((c) => [c.job.id, c.job.status, c.at])).toEqual([
      [1, 'assigned', 2],
      [2, 'open', 3],
    ]);
    expect(version).toBe(3);
    expect(heard).toBe(3);
  });

  it('keeps at most 1,000 changes and says up to which one it let go (a list older than that is read again)', () => {
    const store = new OpenJobsStore();
    for (let id = 1; id <= 1001; id++) store.apply(job(id));
    const { changes, forgotten } = store.getState();
    expect(changes.size).toBe(1000);
    expect(changes.has(1)).toBe(false);
    expect(forgotten).toBe(1);
  });
});

describe('onBoard', () => {
  it('lays only the changes made since the list was read over it, and keeps a job the cleaner is acting on', () => {
    const store = new OpenJobsStore();
    store.apply(job(9)); // before the list was read: the list has it (or not) as it is now
    const list = [job(5), job(3)];
    expect(onBoard(list, store.getState(), 1, () => false)).toBe(list);
    store.apply(job(4));
    store.apply(job(5, 'cancelled'));
    store.apply(job(3, 'assigned'));
    expect(onBoard(list, store.getState(), 1, (id) => id === 3).map((j) => [j.id, j.status])).toEqual([
      [4, 'open'],
      [3, 'open'],
    ]);
  });

  it("leaves a job listed as the cleaner's own alone", () => {
    const store = new OpenJobsStore();
    store.apply(job(6, 'assigned'));
    const mine = [{ ...job(6, 'assigned'), cleanerId: 2 }];
    expect(onBoard(mine, store.getState(), 0, () => false)).toBe(mine);
  });

  it('keeps a job posted live that the cleaner is accepting, as it was shown, though its "taken" change replaced its "posted" one', () => {
    const store = new OpenJobsStore();
    const list = [job(5), job(3)];
    store.apply({ ...job(4), cleanerId: null, roomId: null });
    store.apply(job(4, 'assigned'));
    expect(onBoard(list, store.getState(), 0, (id) => id === 4)).toEqual([job(5), { ...job(4), cleanerId: null, roomId: null }, job(3)]);
    expect(onBoard(list, store.getState(), 0, () => false)).toBe(list);
  });
});
