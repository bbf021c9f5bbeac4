/**
 * A log-bucketed latency histogram (the HdrHistogram idea, simplified):
 * every value lands in a bucket 1 % wide, so percentiles are exact to within
 * 1 % at any scale while a histogram of millions of samples stays a few
 * hundred numbers — small enough to send from a generator process to the
 * orchestrator and merge there.
 */
import { z } from 'zod';

/** Relative width of a bucket: reported percentiles are within this of the truth. */
const GROWTH = 1.01;
const LOG_GROWTH = Math.log(GROWTH);
/** Values below this (ms) share bucket 0. */
const FLOOR_MS = 0.001;

export const HistogramJson = z.object({
  count: z.number().int().nonnegative(),
  sum: z.number(),
  min: z.number(),
  max: z.number(),
  buckets: z.array(z.tuple([z.number().int(), z.number().int().positive()])),
});
export type HistogramJson = z.infer<typeof HistogramJson>;

/** Summary figures of a latency distribution, in milliseconds. */
export interface LatencySummary {
  count: number;
  mean: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export class LatencyHistogram {
  private readonly buckets = new Map<number, number>();
  private total = 0;
  private sum = 0;
  private minValue = Number.POSITIVE_INFINITY;
  private maxValue = 0;

  /** Records one latency in milliseconds (negative clock skew counts as 0). */
  record(ms: number): void {
    const value = Number.isFinite(ms) && ms > 0 ? ms : 0;
    const index = bucketOf(value);
    this.buckets.set(index, (this.buckets.get(index) ?? 0) + 1);
    this.total += 1;
    this.sum += value;
    if (value < this.minValue) this.minValue = value;
    if (value > this.maxValue) this.maxValue = value;
  }

  get count(): number {
    return this.total;
  }

  /** Adds every sample of `other` to this histogram. */
  merge(other: LatencyHistogram): this {
    for (const [index, n] of other.buckets) this.buckets.set(index, (this.buckets.get(index) ?? 0) + n);
    this.total += other.total;
    this.sum += other.sum;
    this.minValue = Math.min(this.minValue, other.minValue);
    this.maxValue = Math.max(this.maxValue, other.maxValue);
    return this;
  }

  /**
   * The value at or below which `p` percent of the samples lie (nearest rank),
   * reported as the upper edge of its bucket but never above the true max.
   */
  percentile(p: number): number {
    if (this.total === 0) return 0;
    const rank = Math.max(1, Math.ceil((p / 100) * this.total));
    let seen = 0;
    for (const index of [...this.buckets.keys()].sort((a, b) => a - b)) {
      seen += this.buckets.get(index) ?? 0;
      if (seen >= rank) return Math.min(upperEdgeOf(index), this.maxValue);
    }
    return this.maxValue;
  }

  summary(): LatencySummary {
    return {
      count: this.total,
      mean: this.total === 0 ? 0 : this.sum / this.total,
      p50: this.percentile(50),
      p95: this.percentile(95),
      p99: this.percentile(99),
      max: this.maxValue,
    };
  }

  toJSON(): HistogramJson {
    return {
      count: this.total,
      sum: this.sum,
      min: this.total === 0 ? 0 : this.minValue,
      max: this.maxValue,
      buckets: [...this.buckets.entries()],
    };
  }

  static fromJSON(json: HistogramJson): LatencyHistogram {
    const histogram = new LatencyHistogram();
    for (const [index, n] of json.buckets) histogram.buckets.set(index, n);
    histogram.total = json.count;
    histogram.sum = json.sum;
    histogram.minValue = json.count === 0 ? Number.POSITIVE_INFINITY : json.min;
    histogram.maxValue = json.max;
    return histogram;
  }
}

function bucketOf(ms: number): number {
  if (ms <= FLOOR_MS) return 0;
  return Math.ceil(Math.log(ms / FLOOR_MS) / LOG_GROWTH);
}

function upperEdgeOf(index: number): number {
  return FLOOR_MS * GROWTH ** index;
}
