/** How the host probe's records read, in the table and in the doc. */
import type { HostProbe } from '../hostProbe.ts';
import type { BenchRecord, HostRecord } from './records.ts';

export const hostRecords = (records: readonly BenchRecord[]): HostRecord[] => records.filter((r): r is HostRecord => r.scenario === 'host');

/** One probe's three figures in words. */
export function probeText(probe: HostProbe): string {
  return (
    `SQLite ${probe.sqliteUsPerRow.toFixed(1)} µs per durable row, ` +
    `loopback TCP ${probe.loopbackUsPerRoundTrip.toFixed(1)} µs per round trip, ` +
    `JSON ${probe.jsUsPerOp.toFixed(2)} µs per message-sized frame`
  );
}

/** "host probe at the start (core 0): …" */
export function hostLine(r: HostRecord): string {
  const where = r.cpus === null ? 'not pinned' : `core ${r.cpus}`;
  return `host probe at the ${r.when} (${where}): ${probeText(r.probe)}`;
}
