/**
 * A node's bus whose subscription of a chosen topic can be held before it is
 * made: the node has then read what it reads before subscribing (a socket's
 * `ready` snapshot) and does not hear the topic yet, a window the test can
 * act in, without sleeps. Everything else goes to the real bus.
 */
import type { Bus, BusHandler, ClusterEvent, Topic } from '../../src/fanout/bus.ts';

export class HeldBus implements Bus {
  private held: { topic: Topic; reached: () => void; released: Promise<void> } | null = null;

  constructor(readonly inner: Bus) {}

  get nodeId(): string {
    return this.inner.nodeId;
  }

  /** `reached` resolves when the node asks to subscribe `topic`; the subscription is made once `release` is called. */
  hold(topic: Topic): { reached: Promise<void>; release: () => void } {
    let reached!: () => void;
    let release!: () => void;
    const wasReached = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    this.held = { topic, reached, released };
    return { reached: wasReached, release };
  }

  async subscribe(topic: Topic): Promise<void> {
    const held = this.held;
    if (held?.topic === topic) {
      this.held = null;
      held.reached();
      await held.released;
    }
    await this.inner.subscribe(topic);
  }

  publish(topic: Topic, event: ClusterEvent): void {
    this.inner.publish(topic, event);
  }

  unsubscribe(topic: Topic): void {
    this.inner.unsubscribe(topic);
  }

  onEvent(handler: BusHandler): void {
    this.inner.onEvent(handler);
  }

  healthy(): boolean {
    return this.inner.healthy();
  }

  onRecover(handler: () => void): void {
    this.inner.onRecover(handler);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
