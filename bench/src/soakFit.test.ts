import { describe, expect, it } from 'vitest';
import { afterWarmUp, growthAtFixedSockets, growthPer1000Cycles, linearFit, planeFit, type SoakSample } from './soakFit.ts';

const sample = (cycles: number, heapUsedKiB: number): SoakSample => ({ atSec: cycles / 10, cycles, rssKiB: 100_000, heapUsedKiB, sockets: 50 });

describe('the least-squares line', () => {
  it('recovers the slope and intercept of points on a line', () => {
    const fit = linearFit([0, 1, 2, 3].map((x) => ({ x, y: 5 + 2 * x })));
    expect(fit?.slope).toBeCloseTo(2, 10);
    expect(fit?.intercept).toBeCloseTo(5, 10);
  });

  it('fits noise around a line by the middle, not by its ends', () => {
    // Residuals +1, -1, -1, +1 cancel: the slope stays 3.
    const fit = linearFit([{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: 5 }, { x: 3, y: 10 }]);
    expect(fit?.slope).toBeCloseTo(3, 10);
  });

  it('says nothing from one point or from points at one x', () => {
    expect(linearFit([{ x: 1, y: 1 }])).toBeNull();
    expect(linearFit([{ x: 2, y: 1 }, { x: 2, y: 9 }])).toBeNull();
  });
});

describe('heap growth per 1,000 cycles after warm-up', () => {
  it('leaves out the first third, where the heap fills caches that then stay', () => {
    // A steep start (warm-up), then 4 KiB per 1,000 cycles.
    const samples = [sample(0, 10_000), sample(1000, 30_000), sample(2000, 50_000), sample(3000, 50_004), sample(4000, 50_008), sample(5000, 50_012)];
    expect(afterWarmUp(samples)).toHaveLength(4);
    expect(growthPer1000Cycles(samples, (s) => s.heapUsedKiB)).toBeCloseTo(4, 6);
  });

  it('reads a flat heap as no growth, and a heap that comes back down as negative', () => {
    const flat = [0, 1000, 2000, 3000, 4000, 5000].map((c) => sample(c, 20_000));
    expect(growthPer1000Cycles(flat, (s) => s.heapUsedKiB)).toBeCloseTo(0, 10);
    const falling = [0, 1000, 2000, 3000].map((c, i) => sample(c, 20_000 - i * 500));
    expect(growthPer1000Cycles(falling, (s) => s.heapUsedKiB)).toBeLessThan(0);
  });

  it('keeps two samples for the fit when there are only three, and gives none without cycles between them', () => {
    expect(afterWarmUp([1, 2, 3])).toEqual([2, 3]);
    expect(growthPer1000Cycles([sample(0, 1), sample(0, 2), sample(0, 3)], (s) => s.heapUsedKiB)).toBeNull();
  });
});

describe('growth at a fixed number of open sockets', () => {
  const at = (cycles: number, sockets: number, heapUsedKiB: number): SoakSample => ({ ...sample(cycles, heapUsedKiB), sockets });

  it('recovers both slopes of a plane', () => {
    const points = [[0, 0], [1, 0], [0, 1], [2, 3], [5, 1]].map(([x1 = 0, x2 = 0]) => ({ x1, x2, y: 7 + 2 * x1 - 3 * x2 }));
    const fit = planeFit(points);
    expect(fit?.b).toBeCloseTo(2, 10);
    expect(fit?.c).toBeCloseTo(-3, 10);
  });

  it('does not read a dip in open sockets at the last sample as the heap shrinking', () => {
    // Flat per cycle, 30 KiB per open socket; the last sample came in a reconnect wave (600 sockets open, not 1,200).
    const samples = [0, 1000, 2000, 3000, 4000, 5000, 6000].map((c, i) => {
      const sockets = i === 6 ? 600 : i % 2 === 0 ? 1200 : 1100;
      return at(c, sockets, 20_000 + 30 * sockets);
    });
    expect(growthPer1000Cycles(samples, (s) => s.heapUsedKiB)).toBeLessThan(-1000);
    const fixed = growthAtFixedSockets(samples, (s) => s.heapUsedKiB);
    expect(fixed?.per1000Cycles).toBeCloseTo(0, 6);
    expect(fixed?.perSocket).toBeCloseTo(30, 6);
  });

  it('still sees a leak of 50 KiB per 1,000 cycles under the same waves', () => {
    const samples = [0, 1000, 2000, 3000, 4000, 5000, 6000].map((c, i) => {
      const sockets = i % 3 === 0 ? 700 : 1200;
      return at(c, sockets, 20_000 + 30 * sockets + (50 * c) / 1000);
    });
    expect(growthAtFixedSockets(samples, (s) => s.heapUsedKiB)?.per1000Cycles).toBeCloseTo(50, 6);
  });

  it('says nothing when cycles and sockets moved together (cannot be told apart)', () => {
    const samples = [0, 1000, 2000, 3000, 4000, 5000].map((c) => at(c, 100 + c / 10, 1000 + c));
    expect(growthAtFixedSockets(samples, (s) => s.heapUsedKiB)).toBeNull();
  });
});
