import { describe, expect, it } from 'vitest';
import type { Job } from '@ecc/protocol';
import { OpenJobsStore } from './openJobs.ts';
import { replacesJobChange, withJobChanges } from './jobChanges.ts';

const job = (id: number, status: Job['status'], extra: Partial<Job> = {}): Job => ({
  id,
  title: `Job ${id}`,
  description: '',
  status,
  clientId: 1,
  cleanerId: status === 'open' ? null : 3,
  roomId: status === 'open' ? null : 10 + id,
  address: null,
  scheduledAt: null,
  createdAt: `2026-11-2${id}T08:00:00.000Z`,
  ...extra,
});

describe("support staff's job changes", () => {
  it('shows a listed job as it became, keeping the names a frame came without', () => {
    const store = new OpenJobsStore();
    const listed = [job(2, 'assigned', { clientName: 'Alice Client', cleanerName: 'Bob Cleaner' }), job(1, 'open', { clientName: 'Carol Client' })];
    store.apply(job(2, 'in_progress'), replacesJobChange);
    store.apply(job(2, 'completed'), replacesJobChange);
    const shown = withJobChanges(listed, store.getState(), 0);
    expect(shown[0]).toMatchObject({ id: 2, status: 'completed', clientName: 'Alice Client', cleanerName: 'Bob Cleaner' });
    expect(shown[1]).toBe(listed[1]);
  });

  it('puts a job posted since at its place, newest first', () => {
    const store = new OpenJobsStore();
    const listed = [job(3, 'open'), job(1, 'open')];
    store.apply(job(2, 'open', { clientName: 'Carol Client' }), replacesJobChange);
    store.apply(job(4, 'open'), replacesJobChange);
    expect(withJobChanges(listed, store.getState(), 0).map((j) => j.id)).toEqual([4, 3, 2, 1]);
  });

  it('lets no late frame take a job back, and lays only what came after the list was read', () => {
    const store = new OpenJobsStore();
    store.apply(job(1, 'completed'), replacesJobChange);
    // Through another node, late: the job was started before it was completed.
    store.apply(job(1, 'in_progress'), replacesJobChange);
    expect(store.getState().changes.get(1)?.job.status).toBe('completed');
    const since = store.getState().version;
    const listed = [job(1, 'completed')];
    expect(withJobChanges(listed, store.getState(), since)).toBe(listed);
    // A list read later than a change it already holds is not taken back by it either.
    store.apply(job(5, 'assigned'), replacesJobChange);
    expect(withJobChanges([job(5, 'cancelled')], store.getState(), since)[0]?.status).toBe('cancelled');
  });
});
