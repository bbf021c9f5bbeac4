/** Command-line flags of `npm run bench`. */
import { parseArgs } from 'node:util';
import { SCENARIOS, type ScenarioName } from './report/records.ts';
import type { DbKind } from './target.ts';

export const USAGE = `npm run bench [-- flags]

With no flags: a moderate suite on SQLite (a few minutes): marketplace for ours
and the Socket.IO peer at one rate, a 100-member group room, idle memory and a
connect storm at 2,000 users, history in a 100,000-message room.

  --suite default|full      full: every scenario at the sizes of the bars, SQLite
                            and PostgreSQL (about 20 minutes); writes docs/performance.md
  --scenario NAME[,NAME]    marketplace|ramp|idle|storm|group|history|peer|cluster|churn
                            (cluster: one node vs two nodes behind Redis, PostgreSQL)
                            (churn: --users keep connecting and disconnecting for --duration
                            (default 180 s) while they chat; heap after GC per 1,000 cycles)
                            (peer: ours and the Socket.IO peer on the same fixtures —
                            ramped to their limits, or both at --rate when given)
  --db sqlite|postgres|both (default sqlite)
  --users N                 marketplace/ramp users (default 2000)
  --rooms-per-user K        (default 2)
  --rate R                  aggregate msgs/s for marketplace (default 2000)
  --duration S              seconds per marketplace run or ramp step (default 10), or of the churn (180)
  --idle-sizes A,B          idle user counts (default 2000)
  --storm-users N           (default 2000)
  --history-messages N      (default 100000)
  --reads                   marketplace: each recipient also marks every message read as it
                            arrives, as a reader with the room open (ours only: the peer has no read marks)
  --profile                 CPU-profile the server (node --cpu-prof) and summarise the top frames
  --no-pin                  do not pin server and generators to cores
  --nice=N                  run server and generators at nice N (e.g. --nice=-5 on a shared machine; root for < 0)
  --write-doc               write docs/performance.md from this run
  --doc-from FILE           only rewrite docs/performance.md from a results file (e.g. docs/perf/results.jsonl)
  --help`;

export interface CliArgs {
  suite: 'default' | 'full';
  scenarios: ScenarioName[] | null;
  dbs: DbKind[];
  users: number | undefined;
  roomsPerUser: number | undefined;
  rate: number | undefined;
  durationSec: number | undefined;
  idleSizes: number[] | undefined;
  stormUsers: number | undefined;
  historyMessages: number | undefined;
  profile: boolean;
  reads: boolean;
  pin: boolean;
  nice: number;
  writeDoc: boolean;
  docFrom: string | undefined;
  help: boolean;
}

const positiveInt = (name: string, value: string | undefined, max: number): number | undefined => {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0 || n > max) throw new Error(`--${name} must be an integer in 1..${max}`);
  return n;
};

function parseNice(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < -20 || n > 19) throw new Error('--nice must be an integer in -20..19');
  return n;
}

export function parseCli(argv: string[]): CliArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      suite: { type: 'string' },
      scenario: { type: 'string' },
      db: { type: 'string' },
      users: { type: 'string' },
      'rooms-per-user': { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'idle-sizes': { type: 'string' },
      'storm-users': { type: 'string' },
      'history-messages': { type: 'string' },
      profile: { type: 'boolean', default: false },
      reads: { type: 'boolean', default: false },
      'no-pin': { type: 'boolean', default: false },
      nice: { type: 'string' },
      'write-doc': { type: 'boolean', default: false },
      'doc-from': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  const suite = values.suite ?? 'default';
  if (suite !== 'default' && suite !== 'full') throw new Error('--suite must be default or full');
  let scenarios: ScenarioName[] | null = null;
  if (values.scenario !== undefined) {
    scenarios = values.scenario.split(',').map((s) => {
      if (!(SCENARIOS as readonly string[]).includes(s)) throw new Error(`unknown scenario "${s}" (${SCENARIOS.join('|')})`);
      return s as ScenarioName;
    });
  }
  const db = values.db ?? 'sqlite';
  if (!['sqlite', 'postgres', 'both'].includes(db)) throw new Error('--db must be sqlite, postgres or both');
  // Bounded so a typo cannot turn the bench into a fork bomb or a day-long run.
  const idleSizes = values['idle-sizes']?.split(',').map((s) => positiveInt('idle-sizes', s, 18_000) ?? 0);
  return {
    suite,
    scenarios,
    dbs: db === 'both' ? ['sqlite', 'postgres'] : [db as DbKind],
    users: positiveInt('users', values.users, 18_000),
    roomsPerUser: positiveInt('rooms-per-user', values['rooms-per-user'], 20),
    rate: positiveInt('rate', values.rate, 200_000),
    durationSec: positiveInt('duration', values.duration, 600),
    idleSizes,
    stormUsers: positiveInt('storm-users', values['storm-users'], 18_000),
    historyMessages: positiveInt('history-messages', values['history-messages'], 5_000_000),
    profile: values.profile,
    reads: values.reads,
    pin: !values['no-pin'],
    nice: parseNice(values.nice),
    writeDoc: values['write-doc'] || suite === 'full',
    docFrom: values['doc-from'],
    help: values.help,
  };
}
