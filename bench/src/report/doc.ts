/**
 * Writes docs/performance.md (and its SVG charts and the raw records) from
 * the records of a run. Hand-written analysis, if any, comes from
 * bench/analysis.md and is included verbatim.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RateResult } from '../measure.ts';
import type { DbKind, SystemKind } from '../target.ts';
import { readResults, type RunHeader } from './recordSchema.ts';
import { clusterRatio, type BenchRecord, type MachineInfo } from './records.ts';
import { hostLine, hostRecords } from './host.ts';
import { barChart, lineChart, type Series } from './svg.ts';

type Of<S extends BenchRecord['scenario']> = Extract<BenchRecord, { scenario: S }>;

const COLORS: Record<string, string> = {
  'ecc/sqlite': '#2563eb',
  'ecc/postgres': '#059669',
  'peer/sqlite': '#f59e0b',
  'peer/postgres': '#a855f7',
};

/** A system and database's colour in the charts (grey for one not listed). */
const colorOf = (r: { system: SystemKind; db: DbKind }): string => COLORS[`${r.system}/${r.db}`] ?? '#6b7280';

/** How the doc names a system. */
const systemName = (system: SystemKind): string => (system === 'ecc' ? 'E-Cleaner Chat' : 'Socket.IO peer');

/** How many clients asked for history at once, in words. */
const requesterCount = (n: number): string => (n === 1 ? 'one requester' : `${n} requesters at once`);

export interface DocInput {
  records: BenchRecord[];
  /**
   * The results file kept with the doc as perf/results.jsonl: the file a doc is
   * regenerated from, as it is, or the header line and records of this run.
   */
  results: string | Buffer;
  machine: MachineInfo;
  commands: string[];
  startedAt: string;
  finishedAt: string;
  repoRoot: string;
  /** Nice value of the server and generators (0: default priority). */
  nice: number;
  /** SQLite's synchronous mode in the run; absent: NORMAL, the default until FULL replaced it. */
  sqliteSynchronous?: 'NORMAL' | 'FULL' | undefined;
}

/** What a run's SQLite commits promised, for the Method section. */
function durabilityLine(mode: 'NORMAL' | 'FULL' | undefined): string[] {
  const intro = '- **Durability**: SQLite in WAL mode, for our server and the peer alike (the same storage code), with';
  if (mode === 'FULL') {
    return [
      `${intro} \`synchronous=FULL\`: every commit is synced to disk before its \`ack\`, as PostgreSQL does by default`,
      '  (`synchronous_commit=on`).',
    ];
  }
  return [
    `${intro} \`synchronous=NORMAL\` (the default when this run was made): a commit survived a process crash`,
    '  before its `ack`, but not power loss. PostgreSQL syncs every commit (`synchronous_commit=on`).',
  ];
}

export async function writePerformanceDoc(input: DocInput): Promise<string> {
  const docsDir = path.join(input.repoRoot, 'docs');
  const chartDir = path.join(docsDir, 'perf');
  await mkdir(chartDir, { recursive: true });
  const charts = await writeCharts(input.records, chartDir);
  // `--doc-from docs/perf/results.jsonl` reads this very file: left alone, not rewritten with the same bytes.
  const resultsFile = path.join(chartDir, 'results.jsonl');
  const results = Buffer.from(input.results);
  if (!(await readIfExists(resultsFile))?.equals(results)) await writeFile(resultsFile, results);
  const analysis = (await readIfExists(path.join(input.repoRoot, 'bench/analysis.md')))?.toString('utf8') ?? '';
  const file = path.join(docsDir, 'performance.md');
  await writeFile(file, render(input, charts, analysis));
  return file;
}

/** A run's results file: its header line, then one line per record. */
export const resultsLines = (header: RunHeader, records: BenchRecord[]): string =>
  [header, ...records].map((line) => JSON.stringify(line)).join('\n') + '\n';

async function readIfExists(file: string): Promise<Buffer | null> {
  try {
    return await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return null;
  }
}

/**
 * `--doc-from FILE`: the doc from a results file instead of a run. The file
 * is kept as perf/results.jsonl as it is, and never written to. A file
 * without a header line is described as run on this machine (`machine`).
 */
export async function writeDocFromResults(
  resultsFile: string,
  repoRoot: string,
  machine: () => Promise<MachineInfo>,
): Promise<{ file: string; records: BenchRecord[] }> {
  const { header, records, finishedAt, bytes } = await readResults(resultsFile);
  const run: RunHeader = header ?? {
    run: 'header',
    machine: await machine(),
    commands: ['(not recorded in the results file)'],
    startedAt: records[0]?.at ?? '',
    nice: 0,
  };
  const file = await writePerformanceDoc({ ...run, records, results: bytes, finishedAt, repoRoot });
  return { file, records };
}

const of = <S extends BenchRecord['scenario']>(records: BenchRecord[], scenario: S): Of<S>[] =>
  records.filter((r): r is Of<S> => r.scenario === scenario);

function sustained(records: BenchRecord[], system: string, db: string): Of<'ramp'> | undefined {
  return of(records, 'ramp').find((r) => r.system === system && r.db === db);
}

function render(input: DocInput, charts: string[], analysis: string): string {
  const { records, machine } = input;
  const lines: string[] = [];
  const push = (...l: string[]): void => void lines.push(...l);
  push(
    '# Performance',
    '',
    `> Generated by \`npm run bench\` (bench/src/report/doc.ts) from the run of ${input.startedAt} – ${input.finishedAt}.`,
    '> Raw records: [perf/results.jsonl](perf/results.jsonl). Do not edit by hand; re-run the bench.',
    '',
    '## Summary against the bars',
    '',
    '| bar | target | measured | verdict |',
    '|---|---|---|---|',
  );
  for (const row of barRows(records)) push(`| ${row.join(' | ')} |`);
  push(
    '',
    '## Machine and commands',
    '',
    `- ${machine.nproc} cores (${machine.cpuModel}), ${machine.memGiB.toFixed(0)} GiB RAM, Node ${machine.node}, Linux ${machine.kernel}`,
    `- load average when the run started: ${machine.loadAtStart.map((n) => n.toFixed(2)).join(' / ')}`,
    ...hostRecords(records).map((r) => `- ${hostLine(r)} — a fixed workload (bench/src/hostProbe.ts) that prices the host, not our code`),
    '- server pinned with `taskset -c 0`, load generators with `taskset -c 1` (several generator processes)',
    ...(input.nice !== 0
      ? [`- server and generators ran at \`nice ${input.nice}\`: other jobs shared the machine during the run; PostgreSQL and Redis ran at normal priority`]
      : []),
    '',
    '```bash',
    ...input.commands,
    '```',
    '',
    '## Method',
    '',
    '- **System under test**: `node --import tsx server/src/main.ts` (what `tsx server/src/main.ts` runs, without tsx\'s wrapper',
    '  process, so the measured pid is the server itself), fresh database per scenario (SQLite file in a temp dir, or a',
    '  PostgreSQL database created for the run), users and job rooms from `npm run fixtures`. `SEND_RATE_LIMIT` is raised',
    '  (it is a per-user anti-abuse limit, not a capacity limit); every other limit is at its default.',
    '- **Load generators**: separate processes speaking the wire contract over raw `ws` sockets (one per user, Bearer',
    '  token), open loop: messages due by the clock are sent even when the server lags (no coordinated omission).',
    '  Every message carries its send time; latency is send → the partner\'s `message` frame; ack latency is send → `ack`.',
    '- **Loss and duplicates** are counted exactly: each clientId encodes (sender, room, n); after each step every',
    '  acked message must have reached every other participant once (10 s grace) — lost, duplicated and out-of-seq-order',
    '  deliveries are reported.',
    '- **Disk**: after loading fixtures (and after seeding a history), PostgreSQL is made to `CHECKPOINT` and the kernel',
    '  to `sync`, so a scenario does not pay for the writes of the one before it.',
    '- **CPU**: server and generator CPU are read from /proc over the step. A step where the generators used more than',
    '  90 % of their core is flagged: its figure may be the generator\'s limit, not the server\'s. Each generator also',
    '  measures its own event-loop lag (the worst generator\'s p99 and max are shown): a generator that stalls stamps',
    '  the deliveries it receives meanwhile late, so up to that much of a latency tail may be the generator\'s.',
    '  In brackets after the server\'s CPU (runs from the afternoon of 2026-11-26 on): the share of the step its main',
    '  thread spent runnable but waiting for its core (`/proc/<pid>/task/<pid>/schedstat`), i.e. taken by another task —',
    '  on two shared cores, time the event loop stood still although the server had work.',
    '- **Reference peer** (`bench/peer/server.ts`): Socket.IO with `@socket.io/redis-adapter`, auth middleware on the same',
    '  session tokens, `socket.join` per room, per message one INSERT through the same storage code and database, then',
    '  `socket.to(room).emit` and the ack callback. It does less work per message than our server (no unread counts).',
    ...durabilityLine(input.sqliteSynchronous),
    '- A ramp first warms up for 3 s at half its first rate (not recorded), then raises the offered rate ×1.5 per step',
    '  until p99 > 100 ms or anything is lost, then halves the gap between the last rate that passed and the first that',
    '  failed twice (the refining rows come last in the tables); the headline is the highest rate that passed. A step',
    '  that fails on p99 alone is repeated once and fails only if the repeat fails too (both rows are shown): one',
    '  latency spike of a shared machine should not end a ramp. Loss, duplicates or errors are never repeated. When the',
    '  first step fails, the ramp comes down ÷1.5 per step (to 100 msgs/s) until a rate passes, then refines the same way.',
    '',
  );

  const ramps = of(records, 'ramp');
  if (ramps.length > 0) {
    push('## Throughput and latency (marketplace scenario: job rooms of two)', '');
    for (const r of ramps) {
      push(
        `### ${systemName(r.system)} on ${r.db}: ${r.users} users, ${r.roomsPerUser} rooms each`,
        '',
        `Highest sustained rate: **${r.sustainedRate} msgs/s** (stopped: ${r.stopReason}).`,
        '',
        rateTableHeader(),
        ...r.steps.map((s) => rateTableRow(s)),
        '',
      );
    }
  }
  for (const c of of(records, 'cluster')) {
    push(
      `## One node vs two nodes behind Redis (${c.db}, ${c.users} users)`,
      '',
      `One node (core 0; generators on core 1): **${c.single.sustainedRate} msgs/s** (stopped: ${c.single.stopReason}). Two nodes (one per core, users alternating between them so every message crosses Redis; generators unpinned, sharing the two cores): **${c.double.sustainedRate} msgs/s** (stopped: ${c.double.stopReason}). Ratio **${clusterRatio(c)}**.`,
      '',
      rateTableHeader('nodes'),
      ...c.single.steps.map((s) => rateTableRow(s, `1 @ ${s.offeredRate}/s`)),
      ...c.double.steps.map((s) => rateTableRow(s, `2 @ ${s.offeredRate}/s`)),
      '',
    );
  }
  const markets = of(records, 'marketplace');
  if (markets.length > 0) {
    const withReads = markets.some((m) => m.readReceipts)
      ? ['Rows "with reads": every recipient marks each message read as it arrives, as a reader with the room open does — a `read` frame per `send`, answered with an `unread` to the reader and a `receipt` to the sender.', '']
      : [];
    push(
      '## Fixed-rate marketplace runs',
      '',
      ...withReads,
      rateTableHeader('system/db'),
      ...markets.map((m) => rateTableRow(m.result, `${m.system}/${m.db}${m.readReceipts ? ' with reads' : ''}`)),
      '',
    );
  }
  const groups = of(records, 'group');
  for (const g of groups) {
    const d = g.result.deliveredToAll;
    push(
      `## Group room (${g.members} members, ${g.db})`,
      '',
      d
        ? `${d.count} messages, one at a time (10/s) to a ${g.members}-member general room: delivered to all members p50 **${d.p50.toFixed(1)} ms**, p99 **${d.p99.toFixed(1)} ms**, max ${d.max.toFixed(1)} ms; per-recipient p99 ${g.result.latency.p99.toFixed(1)} ms; lost ${g.result.totals.lost}, duplicated ${g.result.totals.duplicates}.`
        : 'no delivered-to-all figures were recorded',
      '',
    );
  }
  const idles = of(records, 'idle');
  if (idles.length > 0) {
    push('## Memory per idle connected user', '', '| users | rooms each | RSS before | RSS connected | per user |', '|---|---|---|---|---|');
    for (const i of idles) {
      push(`| ${i.users} | ${i.roomsPerUser} | ${(i.baselineRssKiB / 1024).toFixed(0)} MiB | ${(i.connectedRssKiB / 1024).toFixed(0)} MiB | **${i.perUserKiB.toFixed(1)} KiB** |`);
    }
    push('');
  }
  for (const s of of(records, 'storm')) {
    push(
      `## Connect storm (${s.users} users, ${s.db})`,
      '',
      `All ${s.connect.connected} users opened their socket at once (at most 250 handshakes in flight per generator process): the last \`ready\` arrived after **${(s.connect.allReadyMs / 1000).toFixed(2)} s**; per-user time to \`ready\` p50 ${s.connect.readyLatency.p50.toFixed(0)} ms, p99 ${s.connect.readyLatency.p99.toFixed(0)} ms; server RSS afterwards ${(s.serverRssKiB / 1024).toFixed(0)} MiB.`,
      '',
    );
  }
  for (const h of of(records, 'history')) {
    push(
      `## History in a big room (${h.messages.toLocaleString('en-US')} messages, ${h.db}, ${requesterCount(h.requesters)})`,
      '',
      `Seeded by one INSERT … SELECT in ${h.seedSeconds.toFixed(1)} s. ${h.latency.count} \`history {beforeSeq: random, limit: ${h.limit}}\` requests over the socket, one at a time per client, ${h.requesters} client(s): p50 **${h.latency.p50.toFixed(2)} ms**, p99 **${h.latency.p99.toFixed(2)} ms**, max ${h.latency.max.toFixed(2)} ms (round trip, including the socket and the JSON of 50 messages). The same query through \`store.history\` alone, in-process: p50 **${h.storeLatency.p50.toFixed(2)} ms**, p99 **${h.storeLatency.p99.toFixed(2)} ms**.`,
      '',
    );
  }
  const profiles = of(records, 'profile');
  if (profiles.length > 0) {
    push('## Where the time goes (server CPU profiles, `node --cpu-prof`)', '');
    for (const p of profiles) {
      push(
        `### ${p.label} (${p.system}/${p.db}, ${(p.profile.totalMs / 1000).toFixed(0)} s profiled, idle ${p.profile.idlePct} %)`,
        '',
        'Shares of the busy (non-idle) CPU time of the whole server process life (start-up included).',
        '',
        '| area | self time |',
        '|---|---|',
      );
      for (const a of p.profile.areas.slice(0, 10)) push(`| ${a.area} | ${a.selfPct} % |`);
      push('', '| top frames (self time) | % |', '|---|---|');
      for (const f of p.profile.topFrames.slice(0, 12)) push(`| \`${f.frame.replace(/\|/g, '\\|')}\` | ${f.selfPct} |`);
      push('');
    }
  }
  const failed = of(records, 'failed');
  if (failed.length > 0) {
    push('## Scenarios that failed in this run', '');
    for (const f of failed) push(`- ${f.failedScenario} (${f.system}/${f.db}): \`${f.error.split('\n')[0]}\``);
    push('');
  }
  if (charts.length > 0) push('## Charts', '', ...charts.map((c) => `![${c}](perf/${c})`), '');
  if (analysis.trim()) push(analysis.trim(), '');
  return lines.join('\n');
}

function rateTableHeader(first = 'offered/s'): string {
  return [
    `| ${first} | sent/s | delivered/s | p50 ms | p95 ms | p99 ms | max ms | ack p99 ms | lost | dup | server CPU (waiting for its core) | generator CPU (lag p99/max ms) | server RSS |`,
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ].join('\n');
}

function rateTableRow(r: RateResult, first?: string): string {
  const lag = r.generatorLag ? ` (${r.generatorLag.p99Ms.toFixed(0)}/${r.generatorLag.maxMs.toFixed(0)})` : '';
  const gen = `${r.generatorCpuPct.toFixed(0)} %${lag}${r.generatorSaturated ? ' ⚠ saturated' : ''}`;
  const server = `${r.serverCpuPct.toFixed(0)} %${r.serverWaitPct === undefined ? '' : ` (${r.serverWaitPct.toFixed(0)} %)`}`;
  return `| ${first ?? r.offeredRate} | ${r.sentPerSec.toFixed(0)} | ${r.deliveredPerSec.toFixed(0)} | ${r.latency.p50.toFixed(1)} | ${r.latency.p95.toFixed(1)} | ${r.latency.p99.toFixed(1)} | ${r.latency.max.toFixed(1)} | ${r.ackLatency.p99.toFixed(1)} | ${r.totals.lost} | ${r.totals.duplicates} | ${server} | ${gen} | ${(r.serverRssKiB / 1024).toFixed(0)} MiB |`;
}

function verdict(met: boolean | null): string {
  return met === null ? 'not measured' : met ? 'met' : '**not met**';
}

function barRows(records: BenchRecord[]): string[][] {
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
  const idle15k = of(records, 'idle').find((r) => r.users >= 15_000);
  rows.push([
    'RSS per idle user at 15,000 users',
    '≤ 16 KiB',
    idle15k ? `${idle15k.perUserKiB.toFixed(1)} KiB` : '—',
    verdict(idle15k ? idle15k.perUserKiB <= 16 : null),
  ]);
  const storm = of(records, 'storm').find((r) => r.users >= 10_000);
  rows.push([
    'connect storm, 10,000 users all `ready`',
    '< 10 s',
    storm ? `${(storm.connect.allReadyMs / 1000).toFixed(2)} s` : '—',
    verdict(storm ? storm.connect.allReadyMs < 10_000 : null),
  ]);
  for (const h of of(records, 'history').filter((r) => r.messages >= 1_000_000)) {
    rows.push([
      `history, 50 older messages, 1M-message room (${h.db}, ${requesterCount(h.requesters)})`,
      'p99 < 5 ms',
      `p99 ${h.latency.p99.toFixed(2)} ms over the socket; ${h.storeLatency.p99.toFixed(2)} ms in the store`,
      verdict(h.latency.p99 < 5),
    ]);
  }
  if (!of(records, 'history').some((r) => r.messages >= 1_000_000)) rows.push(['history, 1M-message room', 'p99 < 5 ms', '—', verdict(null)]);
  const clusterRun = of(records, 'cluster')[0];
  rows.push([
    'two nodes behind Redis vs one node (PostgreSQL)',
    '≥ 1.6×',
    clusterRun ? `${clusterRatio(clusterRun)} (${clusterRun.double.sustainedRate} vs ${clusterRun.single.sustainedRate} msgs/s; 2 cores shared with the generators)` : '—',
    verdict(clusterRun && clusterRun.single.sustainedRate > 0 ? clusterRun.ratio >= 1.6 : null),
  ]);
  return rows;
}

async function writeCharts(records: BenchRecord[], dir: string): Promise<string[]> {
  const written: string[] = [];
  const ramps = of(records, 'ramp');
  if (ramps.length > 0) {
    const series: Series[] = ramps.map((r) => ({
      name: `${r.system === 'ecc' ? 'ours' : 'peer'} ${r.db}`,
      color: colorOf(r),
      // Refining steps come after the failed one, at lower rates: plot by rate.
      points: r.steps.map((s) => ({ x: s.offeredRate, y: s.latency.p99 })).sort((a, b) => a.x - b.x),
    }));
    await writeFile(
      path.join(dir, 'latency-vs-rate.svg'),
      lineChart({ title: 'p99 latency send → partner, by offered rate', xLabel: 'offered msgs/s', yLabel: 'p99 ms', series, limit: { y: 100, label: '100 ms bar' } }),
    );
    written.push('latency-vs-rate.svg');
    await writeFile(
      path.join(dir, 'sustained-rate.svg'),
      barChart({
        title: 'Highest sustained rate (p99 ≤ 100 ms, zero loss)',
        unit: 'msgs/s',
        bars: ramps.map((r) => ({ label: `${systemName(r.system)} · ${r.db}`, value: r.sustainedRate, color: colorOf(r) })),
        target: { value: 10_000, label: '10k bar (SQLite)' },
      }),
    );
    written.push('sustained-rate.svg');
  }
  const idles = of(records, 'idle');
  if (idles.length > 0) {
    await writeFile(
      path.join(dir, 'idle-memory.svg'),
      barChart({
        title: 'Server RSS per idle connected user',
        unit: 'KiB',
        bars: idles.map((i) => ({ label: `${i.users.toLocaleString('en-US')} users`, value: Math.round(i.perUserKiB * 10) / 10 })),
        target: { value: 16, label: '16 KiB bar' },
      }),
    );
    written.push('idle-memory.svg');
  }
  return written;
}
