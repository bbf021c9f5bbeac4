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

/**
 * y = a + b·x1 + c·x2 by least squares (normal equations, Cramer's rule);
 * null when the samples cannot separate the two (too few, or x1 and x2 move together).
 */
export function planeFit(points: readonly { x1: number; x2: number; y: number }[]): { b: number; c: number } | null {
  const n = points.length;
  if (n < 3) return null;
  const mean = (f: (p: (typeof points)[number]) => number): number => points.reduce((s, p) => s + f(p), 0) / n;
  const [m1, m2, my] = [mean((p) => p.x1), mean((p) => p.x2), mean((p) => p.y)];
  let s11 = 0;
  let s22 = 0;
  let s12 = 0;
  let s1y = 0;
  let s2y = 0;
  for (const p of points) {
    const [d1, d2, dy] = [p.x1 - m1, p.x2 - m2, p.y - my];
    s11 += d1 * d1;
    s22 += d2 * d2;
    s12 += d1 * d2;
    s1y += d1 * dy;
    s2y += d2 * dy;
  }
  const det = s11 * s22 - s12 * s12;
  if (Math.abs(det) <= 1e-9 * Math.max(1, s11 * s22)) return null;
  return { b: (s1y * s22 - s2y * s12) / det, c: (s2y * s11 - s1y * s12) / det };
}

/**
 * Growth per 1,000 cycles after warm-up at a fixed number of open sockets: the heap also
 * rises and falls with the sockets open at the moment of a sample (a reconnect wave), which
 * the plain slope over cycles reads as growth or shrinkage. Also what one open socket holds.
 */
export function growthAtFixedSockets(samples: readonly SoakSample[], value: (s: SoakSample) => number): { per1000Cycles: number; perSocket: number } | null {
  const fit = planeFit(afterWarmUp(samples).map((s) => ({ x1: s.cycles, x2: s.sockets, y: value(s) })));
  return fit ? { per1000Cycles: fit.b * 1000, perSocket: fit.c } : null;
}
