/** Runs async work one at a time per key (in this process). */
export class KeyedMutex {
  private readonly tails = new Map<number | string, Promise<unknown>>();

  async run<T>(key: number | string, work: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(work, work);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await result;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}
