import { describe, expect, it } from 'vitest';
import { LatencyHistogram } from './histogram.ts';

function exactPercentile(sorted: number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? 0;
}

/** A deterministic pseudo-random sequence (no flaky seeds). */
function lcg(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

describe('LatencyHistogram', () => {
  it('reports percentiles within 1 % of the exact nearest-rank value', () => {
    const random = lcg(42);
    const samples = Array.from({ length: 20_000 }, () => 0.05 + -Math.log(1 - random()) * 8);
    const histogram = new LatencyHistogram();
    for (const s of samples) histogram.record(s);
    const sorted = [...samples].sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99, 99.9]) {
      const exact = exactPercentile(sorted, p);
      const reported = histogram.percentile(p);
      expect(reported).toBeGreaterThanOrEqual(exact * 0.999);
      expect(reported).toBeLessThanOrEqual(exact * 1.011);
    }
    expect(histogram.summary().max).toBe(sorted.at(-1));
    expect(histogram.summary().count).toBe(20_000);
  });

  it('merging equals recording everything in one histogram, also across JSON', () => {
    const random = lcg(7);
    const a = new LatencyHistogram();
    const b = new LatencyHistogram();
    const all = new LatencyHistogram();
    for (let i = 0; i < 5000; i += 1) {
      const value = random() * 200;
      (i % 3 === 0 ? a : b).record(value);
      all.record(value);
    }
    const merged = LatencyHistogram.fromJSON(JSON.parse(JSON.stringify(a.toJSON()))).merge(
      LatencyHistogram.fromJSON(b.toJSON()),
    );
    expect(merged.summary()).toEqual(all.summary());
  });

  it('treats an empty histogram and negative skew sanely', () => {
    const empty = new LatencyHistogram();
    expect(empty.summary()).toEqual({ count: 0, mean: 0, p50: 0, p95: 0, p99: 0, max: 0 });
    const skewed = new LatencyHistogram();
    skewed.record(-0.3);
    skewed.record(4);
    expect(skewed.percentile(50)).toBeLessThanOrEqual(0.001);
    expect(skewed.percentile(100)).toBeCloseTo(4, 5);
  });
});
