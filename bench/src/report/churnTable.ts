/** The churn soak as text: one row per sample, then the verdict. */
import type { SoakSample } from '../soakFit.ts';
import type { ChurnOutcome } from './records.ts';

const mib = (kib: number): string => (kib / 1024).toFixed(1);
const perK = (kib: number | null): string => (kib === null ? 'not measured (too few samples)' : `${kib >= 0 ? '+' : ''}${kib.toFixed(1)} KiB`);

export function renderChurn(who: string, r: ChurnOutcome): string {
  const row = (what: string, s: SoakSample): string[] => [what, s.atSec.toFixed(0), String(s.cycles), mib(s.heapUsedKiB), mib(s.rssKiB), String(s.sockets)];
  const rows = [row('before', r.baseline), ...r.samples.map((s, i) => row(String(i + 1), s)), row('all gone', r.final)];
  const header = ['sample', 's', 'cycles', 'heap MiB', 'RSS MiB', 'sockets'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((cells) => (cells[i] ?? '').length)));
  const fmt = (cells: string[]): string => cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ');
  const c = r.counts;
  const t = r.totals;
  const errors = Object.keys(r.errors).length > 0 ? `, errors ${JSON.stringify(r.errors)}` : '';
  return [
    `${who}: ${r.users} users, ${(r.durationMs / 1000).toFixed(0)} s, each socket ${r.plan.minLifeMs / 1000}–${r.plan.maxLifeMs / 1000} s, ` +
      `${Math.round(r.plan.secondTabShare * 100)} % with a second tab, a message per user every ~${r.plan.sendEveryMs / 1000} s ` +
      `(heap: V8 heap used after a forced GC; sockets: all the server's, database and listener included)`,
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...rows.map(fmt),
    `${who}: heap ${perK(r.heapKiBPer1000Cycles)}, RSS ${perK(r.rssKiBPer1000Cycles)} per 1,000 connect/disconnect cycles after warm-up (fit over the last two thirds); ` +
      `heap all gone − before: ${r.final.heapUsedKiB >= r.baseline.heapUsedKiB ? '+' : ''}${mib(r.final.heapUsedKiB - r.baseline.heapUsedKiB)} MiB`,
    ...(r.heapAtFixedSockets
      ? [`${who}: with each sample's open sockets held fixed: heap ${perK(r.heapAtFixedSockets.per1000Cycles)} per 1,000 cycles, ${r.heapAtFixedSockets.perSocket.toFixed(1)} KiB per open socket`]
      : []),
    `${who}: ${c.cycles} cycles (${c.connects} connects, ${c.connectFailures} failed, ${c.unexpectedCloses} closed by the server), ` +
      `${c.sent} sent (${c.resent} resent after a reconnect), ${c.acked} acked, ${c.historyPages} catch-up pages; ` +
      `ledger: ${t.delivered}/${t.expected} delivered, lost ${t.lost}, duplicates ${t.duplicates}, out of order ${t.outOfOrder}${errors}`,
  ].join('\n');
}
