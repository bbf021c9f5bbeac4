/**
 * The churn scenario's verdict: how fast a figure (heap after GC, RSS) grows
 * per 1,000 connect/disconnect cycles once the server is warm — the slope of
 * a least-squares line through the samples after the first third of the run
 * (the first third fills caches, JIT code and pools that then stay).
 */

export interface SoakSample {
  /** Seconds since the churn started. */
  atSec: number;
  /** Connect/disconnect cycles completed by then (all generators). */
  cycles: number;
  rssKiB: number;
  /** V8 heap used right after a forced full GC. */
  heapUsedKiB: number;
  /** Sockets the server process holds (users' WebSockets, database and Redis connections, listener). */
  sockets: number;
}

/** Least-squares line y = intercept + slope·x; null with fewer than two distinct x. */
export function linearFit(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } | null {
  const n = points.length;
  if (n < 2) return null;
  const meanX = points.reduce((s, p) => s + p.x, 0) / n;
  const meanY = points.reduce((s, p) => s + p.y, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    sxx += (p.x - meanX) ** 2;
    sxy += (p.x - meanX) * (p.y - meanY);
  }
  if (sxx === 0) return null;
  const slope = sxy / sxx;
  return { slope, intercept: meanY - slope * meanX };
}

/** The samples the verdict is fitted on: all but the first third (at least two). */
export function afterWarmUp<T>(samples: readonly T[]): T[] {
  return samples.slice(Math.min(Math.floor(samples.length / 3), Math.max(0, samples.length - 2)));
}

/** Growth of `value` per 1,000 cycles after warm-up; null when the samples cannot say (too few, no cycles between them). */
export function growthPer1000Cycles(samples: readonly SoakSample[], value: (s: SoakSample) => number): number | null {
  const fit = linearFit(afterWarmUp(samples).map((s) => ({ x: s.cycles, y: value(s) })));
  return fit ? fit.slope * 1000 : null;
}
