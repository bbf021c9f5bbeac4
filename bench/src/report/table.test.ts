import { describe, expect, it } from 'vitest';
import type { RateResult } from '../measure.ts';
import type { ScenarioRecord } from './records.ts';
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

describe('the churn soak as text', () => {
  const s = (atSec: number, cycles: number, heapUsedKiB: number, sockets: number) => ({ atSec, cycles, rssKiB: 120 * 1024, heapUsedKiB, sockets });
  const churn: ScenarioRecord<'churn'> = {
    scenario: 'churn',
    system: 'ecc',
    db: 'sqlite',
    at: '2026-11-29T15:00:00.000Z',
    users: 1000,
    roomsPerUser: 2,
    durationMs: 120_000,
    plan: { minLifeMs: 2000, maxLifeMs: 20_000, secondTabShare: 0.2, sendEveryMs: 10_000 },
    baseline: s(0, 0, 20 * 1024, 4),
    samples: [s(60, 5000, 34 * 1024, 1200), s(120, 10_000, 35 * 1024, 1180)],
    final: s(125, 10_400, 23.5 * 1024, 4),
    heapKiBPer1000Cycles: 204.8,
    rssKiBPer1000Cycles: null,
    heapAtFixedSockets: { per1000Cycles: -3.2, perSocket: 11.6 },
    counts: { cycles: 10_400, connects: 11_400, connectFailures: 0, unexpectedCloses: 0, sent: 6000, resent: 9, acked: 6000, historyPages: 5000 },
    totals: { expected: 6000, delivered: 5999, lost: 1, duplicates: 0, deliveredUnacked: 0, outOfOrder: 0 },
    errors: {},
  };

  it('shows a row per sample between "before" and "all gone", then the verdict and the ledger', () => {
    const text = renderTables([churn]);
    expect(text).toMatch(/before\s+0\s+0\s+20\.0\s+120\.0\s+4/);
    expect(text).toMatch(/\n\s+2\s+120\s+10000\s+35\.0\s+120\.0\s+1180/);
    expect(text).toMatch(/all gone\s+125\s+10400\s+23\.5/);
    expect(text).toContain('heap +204.8 KiB, RSS not measured (too few samples) per 1,000 connect/disconnect cycles');
    expect(text).toContain('heap all gone − before: +3.5 MiB');
    expect(text).toContain('heap -3.2 KiB per 1,000 cycles, 11.6 KiB per open socket');
    expect(text).toContain('ledger: 5999/6000 delivered, lost 1, duplicates 0');
  });
});
