/**
 * `npm run bench`: runs the selected scenarios, prints one JSON line per
 * record and a readable table, keeps the records in bench/results/, and
 * with --write-doc (or --suite full) writes docs/performance.md.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseCli, USAGE, type CliArgs } from './args.ts';
import { probeHostOn } from './hostProbe.ts';
import { REPO_ROOT } from './procs.ts';
import { resultsLines, writeDocFromResults, writePerformanceDoc } from './report/doc.ts';
import type { BenchRecord, MachineInfo, ScenarioName } from './report/records.ts';
import type { RunHeader } from './report/recordSchema.ts';
import { renderTables } from './report/table.ts';
import { synchronousFromEnv } from './serverApi.ts';
import { churn } from './churn.ts';
import { cluster, group, history, idle, marketplace, ramp, storm, type BenchOptions } from './scenarios.ts';
import type { DbKind } from './target.ts';

const log = (line: string): void => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}`);

async function machineInfo(): Promise<MachineInfo> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  return {
    nproc: os.availableParallelism(),
    cpuModel: /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? os.cpus()[0]?.model ?? 'unknown',
    memGiB: os.totalmem() / 2 ** 30,
    node: process.version,
    kernel: os.release(),
    loadAtStart: os.loadavg(),
  };
}

function optionsFor(args: CliArgs, db: DbKind, full: boolean, machine: MachineInfo): BenchOptions {
  const pin = args.pin && machine.nproc >= 2;
  return {
    db,
    users: args.users ?? (full ? 4000 : 2000),
    roomsPerUser: args.roomsPerUser ?? 2,
    rate: args.rate ?? 2000,
    durationMs: (args.durationSec ?? 10) * 1000,
    contentBytes: 80,
    p99BoundMs: 100,
    rampStart: 1000,
    rampFactor: 1.5,
    rampRefineSteps: 2,
    rampMaxRate: 60_000,
    rampStepMs: (args.durationSec ?? 10) * 1000,
    churnDurationMs: (args.durationSec ?? 180) * 1000,
    peerRampStart: 300,
    idleSizes: args.idleSizes ?? (full ? [5000, 15_000] : [2000]),
    stormUsers: args.stormUsers ?? (full ? 10_000 : 2000),
    groupMembers: 100,
    groupMessages: 100,
    historyMessages: args.historyMessages ?? (full ? 1_000_000 : 100_000),
    historyRequests: 2000,
    serverCpus: pin ? '0' : null,
    generatorCpus: pin ? '1' : null,
    nice: args.nice,
    profile: args.profile,
    reads: args.reads,
    log,
  };
}

type Step = { name: ScenarioName | 'marketplace+peer'; db: DbKind; profile?: boolean; rate?: number; reads?: boolean };

function plan(args: CliArgs): Step[] {
  if (args.scenarios) {
    // Several nodes need a shared database: the cluster scenario always runs on PostgreSQL.
    const steps = args.dbs.flatMap((db) => args.scenarios?.map((name): Step => ({ name, db: name === 'cluster' ? 'postgres' : db })) ?? []);
    return steps.filter((s, i) => steps.findIndex((t) => t.name === s.name && t.db === s.db) === i);
  }
  if (args.suite === 'full') {
    return [
      ...(['sqlite', 'postgres'] as const).flatMap((db): Step[] => [
        { name: 'peer', db },
        { name: 'group', db },
        { name: 'history', db },
      ]),
      { name: 'idle', db: 'sqlite' },
      { name: 'storm', db: 'sqlite' },
      // The hot path under real pressure, for the "where the time goes" section.
      { name: 'marketplace', db: 'sqlite', profile: true, rate: 3000 },
      { name: 'marketplace', db: 'postgres', profile: true, rate: 2000 },
      // With read receipts, as in real use: every recipient marks each message read (a `read` per `send`).
      { name: 'marketplace', db: 'sqlite', rate: 2000, reads: true },
      { name: 'marketplace', db: 'postgres', rate: 2000, reads: true },
      { name: 'cluster', db: 'postgres' },
    ];
  }
  return [
    { name: 'marketplace+peer', db: 'sqlite' },
    { name: 'group', db: 'sqlite' },
    { name: 'idle', db: 'sqlite' },
    { name: 'storm', db: 'sqlite' },
    { name: 'history', db: 'sqlite' },
  ];
}

async function runStep(step: Step, options: BenchOptions, emit: (r: BenchRecord) => void, fixedRate: boolean): Promise<void> {
  switch (step.name) {
    case 'marketplace':
      return marketplace(options, emit, ['ecc']);
    case 'marketplace+peer':
      return marketplace(options, emit, ['ecc', 'peer']);
    case 'ramp':
      return ramp(options, emit, ['ecc']);
    case 'peer':
      // With --rate: both systems at that one rate; without: ramp both to their limits.
      return fixedRate ? marketplace(options, emit, ['ecc', 'peer']) : ramp(options, emit, ['ecc', 'peer']);
    case 'idle':
      return idle(options, emit);
    case 'storm':
      return storm(options, emit);
    case 'group':
      return group(options, emit);
    case 'history':
      return history(options, emit);
    case 'cluster':
      return cluster(options, emit);
    case 'churn':
      return churn(options, emit);
  }
}

async function main(): Promise<void> {
  const args = parseCli(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return;
  }
  if (args.docFrom) {
    const { file, records } = await writeDocFromResults(path.resolve(process.env.INIT_CWD ?? process.cwd(), args.docFrom), REPO_ROOT, machineInfo);
    log(`wrote ${path.relative(REPO_ROOT, file)} from ${records.length} records`);
    return;
  }
  const machine = await machineInfo();
  const startedAt = new Date().toISOString();
  const header: RunHeader = {
    run: 'header',
    machine,
    commands: [`npm run bench -- ${process.argv.slice(2).join(' ')}`.trim()],
    startedAt,
    nice: args.nice,
    // The servers read the same variable (they inherit this environment).
    sqliteSynchronous: synchronousFromEnv(process.env.SQLITE_SYNCHRONOUS),
  };
  const resultsDir = path.join(REPO_ROOT, 'bench/results');
  await mkdir(resultsDir, { recursive: true });
  const resultsFile = path.join(resultsDir, `${startedAt.replace(/[:.]/g, '-')}.jsonl`);
  await appendFile(resultsFile, `${JSON.stringify(header)}\n`);
  const records: BenchRecord[] = [];
  const emit = (record: BenchRecord): void => {
    records.push(record);
    const line = JSON.stringify(record);
    console.log(line);
    void appendFile(resultsFile, `${line}\n`).catch((error: unknown) => log(`could not write ${resultsFile}: ${String(error)}`));
  };
  log(`machine: ${machine.nproc} cores ${machine.cpuModel}, node ${machine.node}, load ${machine.loadAtStart.map((n) => n.toFixed(2)).join(' ')}`);
  if (machine.loadAtStart[0] !== undefined && machine.loadAtStart[0] > 0.5) {
    log('WARNING: the machine is busy; figures are polluted by other work');
  }
  const full = args.suite === 'full';
  const probeHost = async (when: 'start' | 'end'): Promise<void> => {
    const { serverCpus, nice } = optionsFor(args, 'sqlite', full, machine);
    try {
      emit({ scenario: 'host', at: new Date().toISOString(), when, cpus: serverCpus, probe: await probeHostOn(serverCpus, nice) });
    } catch (error) {
      log(`host probe failed (the run goes on without it): ${String(error)}`);
    }
  };
  await probeHost('start');
  for (const step of plan(args)) {
    const options = optionsFor(args, step.db, full, machine);
    if (step.profile) options.profile = true;
    if (step.reads) options.reads = true;
    if (step.rate !== undefined && args.rate === undefined) options.rate = step.rate;
    log(`--- ${step.name} on ${step.db}`);
    try {
      await runStep(step, options, emit, args.rate !== undefined);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`${step.name} on ${step.db} FAILED: ${message}`);
      emit({ scenario: 'failed', failedScenario: step.name, system: 'ecc', db: step.db, at: new Date().toISOString(), error: message });
    }
  }
  await probeHost('end');
  console.log('');
  console.log(renderTables(records));
  if (args.writeDoc) {
    const file = await writePerformanceDoc({
      ...header,
      records,
      results: resultsLines(header, records),
      finishedAt: new Date().toISOString(),
      repoRoot: REPO_ROOT,
    });
    log(`wrote ${path.relative(REPO_ROOT, file)}`);
  }
  log(`records: ${path.relative(REPO_ROOT, resultsFile)}`);
  if (records.some((r) => r.scenario === 'failed')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error(USAGE);
  process.exitCode = 2;
});
