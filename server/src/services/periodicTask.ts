/**
 * A pass of work run every `intervalMs` (the sweepers): never two at once — a
 * pass asked for while one runs shares it — and stop() waits for the one running.
 * A failed pass is the task's to log: the next one runs on schedule.
 */
export class PeriodicTask {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly pass: () => Promise<void>,
  ) {}

  /** Schedules the passes (`now`: one at once too); the timer keeps no process alive. Started twice, one timer. */
  start({ now = false }: { now?: boolean } = {}): void {
    if (now) void this.run();
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), this.intervalMs);
    this.timer.unref();
  }

  /** One pass now; overlapping calls share the running one. */
  run(): Promise<void> {
    this.running ??= this.pass().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.running;
  }
}
