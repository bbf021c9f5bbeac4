/**
 * Processes under test: starting a server pinned to a core, waiting until it
 * answers, and reading its memory and CPU time from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readFile, readlink } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (bench/src/ → ../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLOCK_TICKS_PER_SEC = 100;

/** A free TCP port on 127.0.0.1 (bound and released). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * `taskset -c <cpus>` prefix when pinning is wanted, and `nice -n <n>` when a
 * priority is asked for (a negative one keeps other jobs on a shared machine
 * from stealing the measured processes' core).
 */
export function pinned(cpus: string | null, command: string, args: string[], nice = 0): [string, string[]] {
  const chain = [...(nice !== 0 ? ['nice', '-n', String(nice)] : []), ...(cpus !== null ? ['taskset', '-c', cpus] : []), command, ...args];
  const [first, ...rest] = chain;
  return [first ?? command, rest];
}

/** What a measurement reads from the server side: one process or several nodes summed. */
export interface MeasuredServer {
  /** Resident set size in KiB (VmRSS), summed over nodes. */
  rssKiB(): Promise<number>;
  /** User + system CPU seconds used so far, summed over nodes. */
  cpuSeconds(): Promise<number>;
  /** Seconds the main thread (the event loop) has spent runnable but waiting for a core, summed over nodes. */
  waitSeconds(): Promise<number>;
}

/** Several nodes measured as one. */
export function combined(servers: readonly MeasuredServer[]): MeasuredServer {
  const sum = async (read: (s: MeasuredServer) => Promise<number>): Promise<number> =>
    (await Promise.all(servers.map(read))).reduce((a, b) => a + b, 0);
  return { rssKiB: () => sum((s) => s.rssKiB()), cpuSeconds: () => sum((s) => s.cpuSeconds()), waitSeconds: () => sum((s) => s.waitSeconds()) };
}

export interface ServerProcess extends MeasuredServer {
  readonly pid: number;
  readonly port: number;
  readonly baseUrl: string;
  /** Resident set size in KiB (VmRSS). */
  rssKiB(): Promise<number>;
  /** User + system CPU seconds used so far. */
  cpuSeconds(): Promise<number>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** Everything the process wrote to stderr (for error reports). */
  stderrTail(): string;
}

export interface StartServerOptions {
  /** The script to run with `node --import tsx`, relative to the repo root. */
  script: string;
  env: Record<string, string>;
  cpus: string | null;
  /** Scheduling priority (nice value, 0 = unchanged). */
  nice?: number;
  /** Extra node flags, e.g. --cpu-prof. */
  nodeFlags?: string[];
  readyPath: string;
  readyTimeoutMs?: number;
}

export async function startServer(options: StartServerOptions): Promise<ServerProcess> {
  const port = await freePort();
  // `node --import tsx` is what the `tsx` CLI does, without its extra wrapper
  // process, so the pid we hold is the server's own (for RSS and CPU).
  const [command, args] = pinned(options.cpus, process.execPath, [
    ...(options.nodeFlags ?? []),
    '--import',
    'tsx',
    options.script,
  ], options.nice ?? 0);
  const child = spawn(command, args, {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitHealthy(`${baseUrl}${options.readyPath}`, options.readyTimeoutMs ?? 60_000, exited, () => stderr);
  const pid = child.pid;
  if (pid === undefined) throw new Error('server has no pid');
  return {
    pid,
    port,
    baseUrl,
    rssKiB: () => rssKiB(pid),
    cpuSeconds: () => cpuSeconds(pid),
    waitSeconds: () => runQueueWaitSeconds(pid),
    stop: (graceMs = 10_000) => stopChild(child, exited, graceMs),
    stderrTail: () => stderr,
  };
}

async function waitHealthy(
  url: string,
  timeoutMs: number,
  exited: Promise<number | null>,
  stderr: () => string,
): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`server exited (${exitCode}) before it was healthy:\n${stderr()}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  throw new Error(`server not healthy at ${url} within ${timeoutMs} ms:\n${stderr()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
  if (!match?.[1]) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]);
}

/**
 * Sockets the process holds open (its fds that are sockets): the users'
 * WebSockets, plus its few database and Redis connections and the listener.
 */
export async function socketCount(pid: number): Promise<number> {
  const fds = await readdir(`/proc/${pid}/fd`);
  let sockets = 0;
  for (const fd of fds) {
    const target = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (target.startsWith('socket:')) sockets += 1;
  }
  return sockets;
}

/**
 * Time the main thread of `pid` has waited runnable for a core (its
 * schedstat's second field, in ns): on a shared machine the event loop can be
 * stalled by other tasks on its core, which its own CPU time does not show.
 */
export async function runQueueWaitSeconds(pid: number): Promise<number> {
  return parseSchedstat(await readFile(`/proc/${pid}/task/${pid}/schedstat`, 'utf8')).waitSeconds;
}

/** `/proc/.../schedstat`: time on a core, time waiting for one (both ns), timeslices. */
export function parseSchedstat(text: string): { runSeconds: number; waitSeconds: number } {
  const [run, wait] = text.trim().split(/\s+/).map(Number);
  if (!Number.isFinite(run) || !Number.isFinite(wait)) throw new Error(`unexpected schedstat: ${text}`);
  return { runSeconds: (run as number) / 1e9, waitSeconds: (wait as number) / 1e9 };
}

/** CPU time (user + system) of a process; `pid` may also name one thread under /proc, e.g. `self/task/<tid>`. */
export async function cpuSeconds(pid: number | string): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SEC;
}

/** Runs a command to completion; rejects with its output when it fails. */
export function run(command: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${out.slice(-4000)}`)),
    );
  });
}
