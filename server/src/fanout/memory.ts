/**
 * In-process fan-out: the bus and presence for a single node, or for several
 * nodes created in one process that share a `MemoryBroker` (tests).
 */
import { randomUUID } from 'node:crypto';
import { TooManySockets, type Bus, type BusHandler, type ClusterEvent, type PresenceTracker, type Topic } from './bus.ts';

/** Connects the MemoryBus instances of one process, as Redis connects processes. */
export class MemoryBroker {
  private readonly buses = new Set<MemoryBus>();

  attach(bus: MemoryBus): void {
    this.buses.add(bus);
  }

  detach(bus: MemoryBus): void {
    this.buses.delete(bus);
  }

  get size(): number {
    return this.buses.size;
  }

  route(origin: MemoryBus, topic: Topic, event: ClusterEvent): void {
    for (const bus of this.buses) if (bus !== origin) bus.receive(topic, event);
  }
}

export class MemoryBus implements Bus {
  readonly nodeId = randomUUID();
  private readonly subscriptions = new Map<Topic, number>();
  private readonly handlers: BusHandler[] = [];

  constructor(private readonly broker: MemoryBroker = new MemoryBroker()) {
    broker.attach(this);
  }

  publish(topic: Topic, event: ClusterEvent): void {
    // Asynchronous like a real transport, so no caller depends on re-entrancy.
    queueMicrotask(() => this.broker.route(this, topic, event));
  }

  async subscribe(topic: Topic): Promise<void> {
    this.subscriptions.set(topic, (this.subscriptions.get(topic) ?? 0) + 1);
  }

  unsubscribe(topic: Topic): void {
    const count = (this.subscriptions.get(topic) ?? 0) - 1;
    if (count > 0) this.subscriptions.set(topic, count);
    else this.subscriptions.delete(topic);
  }

  onEvent(handler: BusHandler): void {
    this.handlers.push(handler);
  }

  /** Called by the broker for events of other nodes. */
  receive(topic: Topic, event: ClusterEvent): void {
    if (!this.subscriptions.has(topic)) return;
    for (const handler of this.handlers) handler(topic, event);
  }

  alone(): boolean {
    return this.broker.size === 1;
  }

  healthy(): boolean {
    return true;
  }

  entriesKept(): boolean {
    return true;
  }

  onRecover(): void {
    // In process there is no transport to lose.
  }

  async close(): Promise<void> {
    this.broker.detach(this);
  }
}

/** Presence shared by the nodes of one process (one counter per user). */
export class MemoryPresence implements PresenceTracker {
  constructor(private readonly sockets: Map<number, number> = new Map()) {}

  /** A tracker for another in-process node, sharing this one's counts. */
  sibling(): MemoryPresence {
    return new MemoryPresence(this.sockets);
  }

  async socketOpened(userId: number, maxSockets = 0): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) + 1;
    if (maxSockets > 0 && count > maxSockets) throw new TooManySockets();
    this.sockets.set(userId, count);
    return count === 1;
  }

  async socketClosed(userId: number): Promise<boolean> {
    const count = (this.sockets.get(userId) ?? 0) - 1;
    if (count > 0) {
      this.sockets.set(userId, count);
      return false;
    }
    this.sockets.delete(userId);
    return true;
  }

  async onlineAmong(userIds: number[]): Promise<Set<number>> {
    return new Set(userIds.filter((id) => this.sockets.has(id)));
  }

  /** In one process the limits are counted in one place already. */
  onSpread(): void {}

  onOffline(): void {
    // A process cannot outlive its own sockets: nothing to report.
  }

  onOnline(_handler: (userIds: number[]) => void): void {
    // Nor be taken for dead by itself (tests that need the report override this).
  }

  healthy(): boolean {
    return true;
  }

  entriesKept(): boolean {
    return true;
  }

  handOver(): boolean {
    return false;
  }

  async close(): Promise<void> {}
}
