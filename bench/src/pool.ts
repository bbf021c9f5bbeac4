/**
 * The orchestrator's handle on its generator processes: fork them pinned to
 * the generator core, send every one a command, collect the answers, and
 * measure how busy they were (a saturated generator measures itself).
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, WorkerEvent } from './generator/ipc.ts';
import { cpuSeconds, pinned, REPO_ROOT } from './procs.ts';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'generator/worker.ts');

type EventOf<E extends WorkerEvent['ev']> = Extract<WorkerEvent, { ev: E }>;

export class GeneratorPool {
  private constructor(private readonly children: ChildProcess[]) {}

  /** Forks `count` generators; `cpus` is a taskset list (null: no pinning). */
  static start(count: number, cpus: string | null, nice = 0): GeneratorPool {
    // BENCH_GENERATOR_PROF_DIR: profile the generators themselves (is the generator the bottleneck?).
    const profDir = process.env.BENCH_GENERATOR_PROF_DIR;
    const nodeArgs = [...(profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : []), '--import', 'tsx'];
    const [execPath, execArgv] = pinned(cpus, process.execPath, nodeArgs, nice);
    const children = Array.from({ length: count }, () =>
      fork(WORKER, [], {
        cwd: REPO_ROOT,
        execPath,
        execArgv,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new GeneratorPool(children);
  }

  get size(): number {
    return this.children.length;
  }

  /** Sends each generator its command (by index) and waits for every answer of kind `ev`. */
  async all<E extends WorkerEvent['ev']>(ev: E, commandFor: (index: number) => Command, timeoutMs = 600_000): Promise<EventOf<E>[]> {
    return Promise.all(this.children.map((child, index) => request(child, commandFor(index), ev, timeoutMs)));
  }

  /** Total CPU seconds used by the generators so far. */
  async cpuSeconds(): Promise<number> {
    let total = 0;
    for (const child of this.children) if (child.pid !== undefined) total += await cpuSeconds(child.pid);
    return total;
  }

  async close(): Promise<void> {
    await this.all('closed', () => ({ cmd: 'close' }), 15_000).catch((error: unknown) => {
      console.warn(`generators did not close cleanly: ${error instanceof Error ? error.message : String(error)}`);
    });
    await Promise.all(
      this.children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((resolve) => child.once('exit', resolve));
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }),
    );
  }
}

function request<E extends WorkerEvent['ev']>(child: ChildProcess, command: Command, ev: E, timeoutMs: number): Promise<EventOf<E>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`generator ${child.pid} gave no "${ev}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (raw: unknown): void => {
      const parsed = WorkerEvent.safeParse(raw);
      if (!parsed.success) return finish(new Error(`bad message from generator: ${parsed.error.message}`));
      const event = parsed.data;
      if (event.ev === 'failed') return finish(new Error(`generator ${child.pid} failed: ${event.message}`));
      if (event.ev === ev) return finish(null, event as EventOf<E>);
      finish(new Error(`generator ${child.pid} answered "${event.ev}", expected "${ev}"`));
    };
    const onExit = (code: number | null): void => finish(new Error(`generator ${child.pid} exited (${code})`));
    function finish(error: Error | null, event?: EventOf<E>): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else if (event) resolve(event);
    }
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send(command);
  });
}
