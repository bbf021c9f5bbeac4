/**
 * Tasks of one key run one after another in this process; tasks of other keys run meanwhile. In front
 * of a per-key advisory lock, a burst of one key's tasks then holds one pooled connection of this node
 * (waiting on the lock), not every connection the burst could take from everyone else's queries.
 */
export class Turns<K> {
  /** Per key, the end of its last task queued (never rejects); gone once the key has no task left. */
  private readonly tails = new Map<K, Promise<void>>();

  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => {},
      () => {},
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Keys with a task running or queued (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
