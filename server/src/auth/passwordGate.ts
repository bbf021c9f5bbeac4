/**
 * At most a few password checks at once, the rest waiting in turn. scrypt runs on libuv's thread
 * pool (4 threads by default), which also opens and reads every file (attachments) and resolves
 * host names: a burst of sign-ins — 50 wrong passwords from one address pass the throttle — held
 * every thread, and each download of every user waited behind the whole burst. One thread is
 * left for the rest.
 */

/** Runs tasks with at most `limit` in flight, the others started in arrival order. */
export class ConcurrencyGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running += 1;
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter (running stays counted for it).
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    }
  }
}

/** Threads of libuv's pool: UV_THREADPOOL_SIZE as libuv reads it (1–1024), else its default of 4. */
export function threadPoolSize(env: Record<string, string | undefined> = process.env): number {
  const size = Number(env.UV_THREADPOOL_SIZE);
  return Number.isInteger(size) && size >= 1 ? Math.min(size, 1024) : 4;
}

/** Password checks at once: all threads but one (at least one check). */
export function passwordCheckLimit(poolSize: number): number {
  return Math.max(1, poolSize - 1);
}
