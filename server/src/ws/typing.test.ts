import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClusterEvent, Topic } from '../fanout/bus.ts';
import type { Hub } from './hub.ts';
import { TypingTracker } from './typing.ts';

function fakeHub() {
  const events: { topic: Topic; event: ClusterEvent }[] = [];
  const hub = { emit: (topic: Topic, event: ClusterEvent) => events.push({ topic, event }) } as unknown as Hub;
  const states = () => events.map((e) => (e.event.kind === 'frame' && e.event.frame.type === 'typing' ? e.event.frame.isTyping : null));
  return { hub, events, states };
}

describe('TypingTracker', () => {
  afterEach(() => {
    vi.useRealTimers();
  });
  const alice = { id: 1, username: 'client1' };

  it('relays start, throttles repeats, expires to false, and excludes the typer', () => {
    vi.useFakeTimers();
    const { hub, events, states } = fakeHub();
    const tracker = new TypingTracker(hub, 6000, () => Date.now());
    tracker.update('s1', alice, 9, true);
    tracker.update('s1', alice, 9, true);
    expect(states()).toEqual([true]);
    expect(events[0]).toMatchObject({ topic: 'room:9', event: { exceptUserId: 1 } });
    vi.advanceTimersByTime(1000);
    tracker.update('s1', alice, 9, true);
    expect(states()).toEqual([true, true]);
    vi.advanceTimersByTime(5999);
    expect(states()).toEqual([true, true]);
    vi.advanceTimersByTime(1);
    expect(states()).toEqual([true, true, false]);
  });

  it('closing the socket stops its typing in every room', () => {
    const { hub, events } = fakeHub();
    const tracker = new TypingTracker(hub, 6000);
    tracker.update('s1', alice, 1, true);
    tracker.update('s1', alice, 2, true);
    tracker.socketClosed('s1');
    const stops = events.filter((e) => e.event.kind === 'frame' && e.event.frame.type === 'typing' && !e.event.frame.isTyping);
    expect(stops.map((e) => e.topic).sort()).toEqual(['room:1', 'room:2']);
    tracker.socketClosed('s1');
    expect(events).toHaveLength(4);
  });

  it('a user typing in two tabs is typing until both stop (or close)', () => {
    const { hub, states } = fakeHub();
    const tracker = new TypingTracker(hub, 6000);
    tracker.update('tabA', alice, 9, true);
    tracker.update('tabB', alice, 9, true);
    tracker.update('tabA', alice, 9, false);
    tracker.socketClosed('tabA');
    tracker.update('tabA', alice, 9, false); // a stray stop from a tab that is not typing
    expect(states()).toEqual([true, true]);
    tracker.socketClosed('tabB');
    expect(states()).toEqual([true, true, false]);
    tracker.update('tabB', alice, 9, true);
    tracker.update('tabB', alice, 9, false);
    expect(states()).toEqual([true, true, false, true, false]);
  });

  it('a flood of starts and stops is relayed at a bounded rate and ends on the last state', () => {
    // Typing costs its sender nothing: alternating true/false once had every one relayed to the others.
    vi.useFakeTimers();
    const { hub, states } = fakeHub();
    const tracker = new TypingTracker(hub, 6000, () => Date.now());
    for (let i = 0; i <= 1000; i++) tracker.update('s1', alice, 9, i % 2 === 0);
    expect(states().length).toBeLessThanOrEqual(10);
    vi.advanceTimersByTime(1000);
    expect(states().length).toBeLessThanOrEqual(11);
    expect(states().at(-1)).toBe(true);
    tracker.update('s1', alice, 9, false);
    vi.advanceTimersByTime(1000);
    expect(states().at(-1)).toBe(false);
  });
});

