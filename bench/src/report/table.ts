/** The readable table printed after a run (one row per measured step). */
import type { RateResult } from '../measure.ts';
import { renderChurn } from './churnTable.ts';
import { hostLine } from './host.ts';
import { clusterRatio, type BenchRecord } from './records.ts';

const f0 = (n: number): string => n.toFixed(0);
const f1 = (n: number): string => n.toFixed(1);

export interface Row {
  what: string;
  cells: Record<string, string>;
}

const RATE_COLUMNS = ['offered/s', 'sent/s', 'delivered/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'ack p99', 'lost', 'dup', 'srv CPU', 'srv wait', 'gen CPU', 'gen lag', 'RSS MiB', 'note'];

function rateCells(r: RateResult): Record<string, string> {
  const notes: string[] = [];
  if (r.generatorSaturated) notes.push('generator saturated');
  if (Object.keys(r.errors).length > 0) notes.push(`errors ${JSON.stringify(r.errors)}`);
  if (r.disconnects > 0) notes.push(`${r.disconnects} disconnects`);
  if (r.totals.outOfOrder > 0) notes.push(`${r.totals.outOfOrder} out of order`);
  return {
    'offered/s': f0(r.offeredRate),
    'sent/s': f0(r.sentPerSec),
    'delivered/s': f0(r.deliveredPerSec),
    'p50 ms': f1(r.latency.p50),
    'p95 ms': f1(r.latency.p95),
    'p99 ms': f1(r.latency.p99),
    'max ms': f1(r.latency.max),
    'ack p99': f1(r.ackLatency.p99),
    lost: String(r.totals.lost),
    dup: String(r.totals.duplicates),
    'srv CPU': `${f0(r.serverCpuPct)}%`,
    'srv wait': r.serverWaitPct === undefined ? '' : `${f0(r.serverWaitPct)}%`,
    'gen CPU': `${f0(r.generatorCpuPct)}%`,
    'gen lag': r.generatorLag ? `${f0(r.generatorLag.p99Ms)}/${f0(r.generatorLag.maxMs)}` : '',
    'RSS MiB': f0(r.serverRssKiB / 1024),
    note: notes.join('; '),
  };
}

/** Renders the records as aligned text tables. */
export function renderTables(records: readonly BenchRecord[]): string {
  const rateRows: Row[] = [];
  const other: string[] = [];
  for (const r of records) {
    if (r.scenario === 'host') {
      other.push(hostLine(r));
      continue;
    }
    const who = `${r.scenario} ${r.system}/${r.db}`;
    switch (r.scenario) {
      case 'marketplace':
        rateRows.push({ what: `${who} U=${r.users} K=${r.roomsPerUser}${r.readReceipts ? ' +reads' : ''}`, cells: rateCells(r.result) });
        break;
      case 'ramp':
        for (const step of r.steps) rateRows.push({ what: `${who}`, cells: rateCells(step) });
        other.push(`${who}: highest sustained rate ${r.sustainedRate}/s (stopped: ${r.stopReason})`);
        break;
      case 'cluster':
        for (const step of r.single.steps) rateRows.push({ what: `${who} one node`, cells: rateCells(step) });
        for (const step of r.double.steps) rateRows.push({ what: `${who} two nodes`, cells: rateCells(step) });
        other.push(`${who}: one node ${r.single.sustainedRate}/s, two nodes behind Redis ${r.double.sustainedRate}/s = ${clusterRatio(r)}`);
        break;
      case 'group':
        rateRows.push({ what: `${who} members=${r.members}`, cells: rateCells(r.result) });
        if (r.result.deliveredToAll) {
          const d = r.result.deliveredToAll;
          other.push(`${who}: delivered-to-all ${d.count} messages, p50 ${f1(d.p50)} p99 ${f1(d.p99)} max ${f1(d.max)} ms`);
        }
        break;
      case 'idle':
        other.push(`${who}: ${r.users} idle users, RSS ${f0(r.baselineRssKiB / 1024)} → ${f0(r.connectedRssKiB / 1024)} MiB, ${f1(r.perUserKiB)} KiB per user`);
        break;
      case 'storm':
        other.push(`${who}: ${r.users} users connected at once, all ready after ${f0(r.connect.allReadyMs)} ms (ready p50 ${f0(r.connect.readyLatency.p50)} p99 ${f0(r.connect.readyLatency.p99)} ms)`);
        break;
      case 'history':
        other.push(`${who}: ${r.limit} older messages in a room of ${r.messages}: p50 ${r.latency.p50.toFixed(2)} p99 ${r.latency.p99.toFixed(2)} max ${r.latency.max.toFixed(2)} ms (${r.latency.count} requests); store alone p99 ${r.storeLatency.p99.toFixed(2)} ms`);
        break;
      case 'churn':
        other.push(renderChurn(who, r));
        break;
      case 'profile':
        other.push(`${who} CPU profile (${r.label}), idle ${r.profile.idlePct}%, busy time: ${r.profile.areas.slice(0, 6).map((a) => `${a.area} ${a.selfPct}%`).join(', ')}`);
        break;
      case 'failed':
        other.push(`${r.failedScenario} ${r.system}/${r.db}: FAILED — ${r.error.split('\n')[0]}`);
        break;
    }
  }
  return [rateRows.length > 0 ? alignTable(rateRows, RATE_COLUMNS) : '', ...other].filter(Boolean).join('\n');
}

function alignTable(rows: Row[], columns: string[]): string {
  const header = ['run', ...columns];
  const lines = rows.map((row) => [row.what, ...columns.map((c) => row.cells[c] ?? '')]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...lines.map(fmt)].join('\n');
}
