/** The doc's summary table: each bar of the brief, its target, what the run measured, and whether it was met. */
import { clusterRatio, recordsOf, requesterCount, type BenchRecord, type ScenarioRecord } from './records.ts';

function sustained(records: BenchRecord[], system: string, db: string): ScenarioRecord<'ramp'> | undefined {
  return recordsOf(records, 'ramp').find((r) => r.system === system && r.db === db);
}

function verdict(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : '**not met**';
}

/** One row per bar: what, target, measured, verdict; "—" and "not measured" for a bar the run did not measure. */
export function barRows(records: BenchRecord[]): string[][] {
  const rows: string[][] = [];
  for (const [db, target] of [
    ['sqlite', 10_000],
    ['postgres', 5_000],
  ] as const) {
    const ramp = sustained(records, 'ecc', db);
    const saturated = ramp?.steps.some((s) => s.generatorSaturated) ?? false;
    rows.push([
      `msgs/s on ${db === 'sqlite' ? 'SQLite' : 'PostgreSQL'} at p99 ≤ 100 ms, zero loss`,
      `≥ ${target.toLocaleString('en-US')}`,
      ramp ? `${ramp.sustainedRate.toLocaleString('en-US')}/s${saturated ? ' (generator saturated at the top)' : ''}` : '—',
      verdict(ramp ? ramp.sustainedRate >= target : null),
    ]);
    const peer = sustained(records, 'peer', db);
    const ratio = ramp && peer && peer.sustainedRate > 0 ? ramp.sustainedRate / peer.sustainedRate : null;
    rows.push([
      `vs Socket.IO peer on ${db}`,
      '≥ 3×',
      ratio === null ? (peer ? `peer ${peer.sustainedRate}/s` : '—') : `${ratio.toFixed(1)}× (${ramp?.sustainedRate} vs ${peer?.sustainedRate} msgs/s)`,
      verdict(ratio === null ? null : ratio >= 3),
    ]);
  }
  const idle15k = recordsOf(records, 'idle').find((r) => r.users >= 15_000);
  rows.push([
    'RSS per idle user at 15,000 users',
    '≤ 16 KiB',
    idle15k ? `${idle15k.perUserKiB.toFixed(1)} KiB` : '—',
    verdict(idle15k ? idle15k.perUserKiB <= 16 : null),
  ]);
  const storm = recordsOf(records, 'storm').find((r) => r.users >= 10_000);
  rows.push([
    'connect storm, 10,000 users all `ready`',
    '< 10 s',
    storm ? `${(storm.connect.allReadyMs / 1000).toFixed(2)} s` : '—',
    verdict(storm ? storm.connect.allReadyMs < 10_000 : null),
  ]);
  for (const h of recordsOf(records, 'history').filter((r) => r.messages >= 1_000_000)) {
    rows.push([
      `history, 50 older messages, 1M-message room (${h.db}, ${requesterCount(h.requesters)})`,
      'p99 < 5 ms',
      `p99 ${h.latency.p99.toFixed(2)} ms over the socket; ${h.storeLatency.p99.toFixed(2)} ms in the store`,
      verdict(h.latency.p99 < 5),
    ]);
  }
  if (!recordsOf(records, 'history').some((r) => r.messages >= 1_000_000)) rows.push(['history, 1M-message room', 'p99 < 5 ms', '—', verdict(null)]);
  const clusterRun = recordsOf(records, 'cluster')[0];
  rows.push([
    'two nodes behind Redis vs one node (PostgreSQL)',
    '≥ 1.6×',
    clusterRun ? `${clusterRatio(clusterRun)} (${clusterRun.double.sustainedRate} vs ${clusterRun.single.sustainedRate} msgs/s; 2 cores shared with the generators)` : '—',
    verdict(clusterRun && clusterRun.single.sustainedRate > 0 ? clusterRun.ratio >= 1.6 : null),
  ]);
  return rows;
}
