import { describe, expect, it } from 'vitest';
import type { RateResult } from '../measure.ts';
import { renderTables } from './table.ts';

const latency = { count: 100, mean: 3, p50: 2, p95: 8, p99: 12.5, max: 40 };

function step(extra: Partial<RateResult> = {}): RateResult {
  return {
    offeredRate: 5000,
    durationMs: 10_000,
    sent: 50_000,
    acked: 50_000,
    sentPerSec: 4999.6,
    deliveredPerSec: 4998.2,
    latency,
    ackLatency: latency,
    totals: { expected: 50_000, delivered: 50_000, lost: 0, duplicates: 0, deliveredUnacked: 0, outOfOrder: 0 },
    errors: {},
    disconnects: 0,
    serverRssKiB: 300 * 1024,
    serverCpuPct: 61.2,
    generatorCpuPct: 33.4,
    generatorSaturated: false,
    ...extra,
  };
}

const record = (result: RateResult) =>
  ({ scenario: 'marketplace', system: 'ecc', db: 'sqlite', at: '2026-11-26T09:00:00.000Z', users: 4000, roomsPerUser: 2, result }) as const;

describe('the readable table', () => {
  it("shows each step's figures and the generators' own lag (p99/max ms), blank for records without it", () => {
    const lines = renderTables([record(step({ generatorLag: { p99Ms: 12.4, maxMs: 127.3 } })), record(step())]).split('\n');
    const header = lines[0] ?? '';
    // Columns are aligned: a cell is the text under its header, up to the next header.
    const names = header.split(/\s{2,}/);
    const starts = names.map((name) => header.indexOf(name));
    const cells = (line = '') => Object.fromEntries(names.map((name, i) => [name, line.slice(starts[i], starts[i + 1]).trim()]));
    expect(cells(lines[2])).toMatchObject({ 'offered/s': '5000', 'p99 ms': '12.5', lost: '0', 'srv CPU': '61%', 'gen CPU': '33%', 'gen lag': '12/127', 'RSS MiB': '300' });
    expect(cells(lines[3])).toMatchObject({ 'gen CPU': '33%', 'gen lag': '', 'RSS MiB': '300' });
  });
});
