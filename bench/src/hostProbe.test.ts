import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { probeHostOn } from './hostProbe.ts';
import { writeDocFromResults } from './report/doc.ts';
import type { HostRecord, MachineInfo } from './report/records.ts';
import { renderTables } from './report/table.ts';

const RESULTS = fileURLToPath(new URL('../../docs/perf/results.jsonl', import.meta.url));
const machine = async (): Promise<MachineInfo> => ({ nproc: 2, cpuModel: 'test', memGiB: 1, node: 'v20', kernel: 'test', loadAtStart: [0, 0, 0] });

describe('the host probe', () => {
  it('prices the host in its own process on the core it is given: three CPU figures in the range a real machine gives', async () => {
    const probe = await probeHostOn('0', 0);
    // Microseconds of CPU: a durable row costs more than a JSON round of one frame; none is zero or absurd.
    expect(probe.sqliteUsPerRow).toBeGreaterThan(1);
    expect(probe.sqliteUsPerRow).toBeLessThan(5000);
    expect(probe.loopbackUsPerRoundTrip).toBeGreaterThan(1);
    expect(probe.loopbackUsPerRoundTrip).toBeLessThan(5000);
    expect(probe.jsUsPerOp).toBeGreaterThan(0.05);
    expect(probe.jsUsPerOp).toBeLessThan(probe.sqliteUsPerRow);
  }, 120_000);

  it("is printed with the run's tables and kept in the results file, from which the doc states it beside the machine", async () => {
    const start: HostRecord = { scenario: 'host', at: '2026-11-29T10:00:00.000Z', when: 'start', cpus: '0', probe: { sqliteUsPerRow: 15.04, loopbackUsPerRoundTrip: 18.28, jsUsPerOp: 3.231 } };
    const end: HostRecord = { ...start, at: '2026-11-29T10:15:00.000Z', when: 'end', probe: { sqliteUsPerRow: 21.5, loopbackUsPerRoundTrip: 24.1, jsUsPerOp: 4.01 } };
    expect(renderTables([start])).toBe(
      'host probe at the start (core 0): SQLite 15.0 µs per durable row, loopback TCP 18.3 µs per round trip, JSON 3.23 µs per message-sized frame',
    );
    const root = await mkdtemp(path.join(os.tmpdir(), 'bench-host-'));
    try {
      await mkdir(path.join(root, 'docs/perf'), { recursive: true });
      const [header, ...rest] = (await readFile(RESULTS, 'utf8')).split('\n');
      const input = path.join(root, 'run.jsonl');
      await writeFile(input, [header, JSON.stringify(start), ...rest, JSON.stringify(end)].join('\n'));
      const { file, records } = await writeDocFromResults(input, root, machine);
      expect(records.filter((r) => r.scenario === 'host')).toEqual([start, end]);
      const machineSection = (await readFile(file, 'utf8')).split('## Machine and commands')[1]?.split('## Method')[0] ?? '';
      expect(machineSection).toContain('- host probe at the start (core 0): SQLite 15.0 µs per durable row');
      expect(machineSection).toContain('- host probe at the end (core 0): SQLite 21.5 µs per durable row, loopback TCP 24.1 µs per round trip, JSON 4.01 µs');
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
