import { describe, expect, it } from 'vitest';
import { rateSearch, type RateSearchPlan } from './rampSteps.ts';

const plan: RateSearchPlan = { startRate: 1000, factor: 1.5, maxRate: 40_000, refineSteps: 2 };

/** The rates a search offers against a server that holds every rate up to `limit`, and what it reports. */
function run(limit: number, p = plan): { offered: number[]; held: number } {
  const search = rateSearch(p);
  const offered: number[] = [];
  let next = search.next();
  while (!next.done) {
    offered.push(next.value);
    next = search.next(next.value <= limit);
  }
  return { offered, held: next.value };
}

describe('rateSearch', () => {
  it('goes up ×1.5 until a step fails, then halves the gap twice', () => {
    expect(run(4000)).toEqual({ offered: [1000, 1500, 2300, 3500, 5300, 4400, 4000], held: 4000 });
  });

  it('comes down when the first step fails, so a slow server reports its rate instead of 0', () => {
    expect(run(500)).toEqual({ offered: [1000, 700, 500, 600], held: 500 });
    expect(run(50)).toEqual({ offered: [1000, 700, 500, 300, 200, 100], held: 0 });
  });

  it('stops at the top rate when nothing fails', () => {
    expect(run(Number.POSITIVE_INFINITY, { ...plan, maxRate: 3000 })).toEqual({ offered: [1000, 1500, 2300], held: 2300 });
  });
});
