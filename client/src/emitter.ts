/** A minimal typed event emitter; a throwing listener never breaks the others or the client. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(ev: never) => void>>();

  constructor(private readonly onListenerError: (err: unknown) => void) {}

  on<T extends keyof Events>(type: T, fn: (ev: Events[T]) => void): () => void {
    let set = this.listeners.get(type);
    if (!set) {
      set = new Set();
      this.listeners.set(type, set);
    }
    set.add(fn as (ev: never) => void);
    return () => {
      set.delete(fn as (ev: never) => void);
    };
  }

  emit<T extends keyof Events>(type: T, ev: Events[T]): void {
    const set = this.listeners.get(type);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as (ev: Events[T]) => void)(ev);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  listenerCount(type: keyof Events): number {
    return this.listeners.get(type)?.size ?? 0;
  }
}
