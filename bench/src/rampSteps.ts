/**
 * The rate search of the ramp and cluster scenarios: raise the offered rate
 * step by step until a step fails, then narrow the gap between the last rate
 * sustained and the first that failed. Also the one log line a rate step gets,
 * in these scenarios and the marketplace's.
 */
import { offerRate, stepPassed, type RateResult } from './measure.ts';
import type { GeneratorPool } from './pool.ts';
import type { MeasuredServer } from './procs.ts';
import type { RampOutcome } from './report/records.ts';
import type { BenchOptions } from './scenarios.ts';

/** A rate step in one log line, flagging a saturated generator and lost messages. */
export function describeStep(r: RateResult): string {
  const flags = [r.generatorSaturated ? 'GENERATOR SATURATED' : '', r.totals.lost ? `LOST ${r.totals.lost}` : '']
    .filter(Boolean)
    .join(' ');
  return (
    `offered ${r.offeredRate}/s sent ${r.sentPerSec.toFixed(0)}/s delivered ${r.deliveredPerSec.toFixed(0)}/s ` +
    `p50 ${r.latency.p50.toFixed(1)} p99 ${r.latency.p99.toFixed(1)} max ${r.latency.max.toFixed(1)} ms ` +
    `ack p99 ${r.ackLatency.p99.toFixed(1)} ms server ${r.serverCpuPct.toFixed(0)}%${r.serverWaitPct === undefined ? '' : ` (waited ${r.serverWaitPct.toFixed(0)}%)`} gen ${r.generatorCpuPct.toFixed(0)}% (lag max ${r.generatorLag?.maxMs.toFixed(0) ?? '?'} ms) ${flags}`
  );
}

/** How the ramp searches: the first rate, ×factor per step up to maxRate, then refineSteps halvings of the gap. */
export interface RateSearchPlan {
  startRate: number;
  factor: number;
  maxRate: number;
  refineSteps: number;
}

/** Lowest rate the search comes down to when even its first step fails. */
const FLOOR_RATE = 100;
const roundRate = (rate: number) => Math.max(FLOOR_RATE, Math.round(rate / 100) * 100);

/**
 * The rates to offer, as a generator fed whether each step held: up ×factor
 * until a step fails, then the gap between the last rate held and the first
 * that failed halved `refineSteps` times. When the very first step fails it
 * comes down ÷factor until one holds (to FLOOR_RATE), so the figure is the
 * server's rate rather than 0. Returns the highest rate held (0: none).
 */
export function* rateSearch(plan: RateSearchPlan): Generator<number, number, boolean> {
  let held = 0;
  let failed: number | null = null;
  for (let rate = plan.startRate; rate <= plan.maxRate; rate = roundRate(rate * plan.factor)) {
    if (!(yield rate)) {
      failed = rate;
      break;
    }
    held = rate;
  }
  for (let rate = failed; held === 0 && rate !== null && rate > FLOOR_RATE; ) {
    rate = Math.min(rate - 100, roundRate(rate / plan.factor));
    if (yield rate) held = rate;
    else failed = rate;
  }
  for (let i = 0; i < plan.refineSteps && failed !== null && held > 0; i++) {
    const middle = Math.round((held + failed) / 2 / 100) * 100;
    if (middle <= held || middle >= failed) break;
    if (yield middle) held = middle;
    else failed = middle;
  }
  return held;
}

/**
 * Offers the rates of `rateSearch` (a step fails on p99 over the bound, loss
 * or errors; a latency-only failure is repeated once), stopping early when
 * the generator saturates on a step that held.
 */
export async function rampSteps(
  pool: GeneratorPool,
  measured: MeasuredServer,
  options: BenchOptions,
  startRate: number,
  label: string,
): Promise<RampOutcome> {
  const steps: RateResult[] = [];
  let stopReason = `reached the ramp's top rate ${options.rampMaxRate}/s`;
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const step = async (rate: number): Promise<RateResult> => {
    let result = await offerRate(pool, measured, { rate, durationMs: options.rampStepMs, contentBytes: options.contentBytes });
    steps.push(result);
    options.log(`${label}: ${describeStep(result)}`);
    if (!stepPassed(result, options.p99BoundMs) && onlyLatencyFailed(result)) {
      // On a shared machine one latency spike can fail a step the server sustains: a step fails
      // only when its repeat fails too (both are recorded). Loss or errors are never retried.
      await pause(3000);
      result = await offerRate(pool, measured, { rate, durationMs: options.rampStepMs, contentBytes: options.contentBytes });
      steps.push(result);
      options.log(`${label} (repeat): ${describeStep(result)}`);
    }
    return result;
  };
  // Warm-up (JIT, caches, connection pools) at half the first rate; not recorded.
  const warmup = await offerRate(pool, measured, { rate: Math.max(1, Math.round(startRate / 2)), durationMs: 3000, contentBytes: options.contentBytes });
  options.log(`${label} warm-up: ${describeStep(warmup)}`);
  const search = rateSearch({ startRate, factor: options.rampFactor, maxRate: options.rampMaxRate, refineSteps: options.rampRefineSteps });
  let next = search.next();
  while (!next.done) {
    if (steps.length > 0) await pause(1500);
    const result = await step(next.value);
    const held = stepPassed(result, options.p99BoundMs);
    if (!held) stopReason = failureReason(result, options.p99BoundMs);
    else if (result.generatorSaturated) {
      // Every rate the search offers after one that held is higher, so this is the highest held.
      stopReason = `generator saturated (${result.generatorCpuPct.toFixed(0)}% of its core) at ${next.value}/s; the server's limit lies higher`;
      return { steps, sustainedRate: next.value, stopReason };
    }
    next = search.next(held);
  }
  return { steps, sustainedRate: next.value, stopReason };
}

/** A step that failed on its p99 alone: nothing lost, duplicated, refused or left unsent. */
function onlyLatencyFailed(r: RateResult): boolean {
  return stepPassed(r, Number.POSITIVE_INFINITY);
}

function failureReason(r: RateResult, bound: number): string {
  const reasons: string[] = [];
  if (r.latency.p99 > bound) reasons.push(`p99 ${r.latency.p99.toFixed(1)} ms > ${bound} ms`);
  if (r.totals.lost > 0) reasons.push(`${r.totals.lost} lost`);
  if (r.totals.duplicates > 0) reasons.push(`${r.totals.duplicates} duplicated`);
  if (r.totals.outOfOrder > 0) reasons.push(`${r.totals.outOfOrder} out of order`);
  if (Object.keys(r.errors).length > 0) reasons.push(`errors ${JSON.stringify(r.errors)}`);
  if (r.disconnects > 0) reasons.push(`${r.disconnects} disconnects`);
  if (r.sentPerSec < r.offeredRate * 0.95) reasons.push(`generator sent only ${r.sentPerSec.toFixed(0)}/s`);
  return `at ${r.offeredRate}/s: ${reasons.join(', ')}`;
}
