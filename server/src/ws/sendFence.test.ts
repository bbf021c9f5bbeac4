import { describe, expect, it } from 'vitest';
import { SendFence } from './sendFence.ts';

describe('SendFence', () => {
  it('holds later sends to the room until the pong of the ping sent after the failure; retries and other rooms pass', () => {
    const fence = new SendFence();
    const token = fence.failed(1, 5, 'a');
    expect(fence.holds(1, 6, 'b')).toBe(true);
    expect(fence.holds(1, 4, 'z')).toBe(false); // sent before the failed one
    expect(fence.holds(1, 7, 'a')).toBe(false); // the retry
    expect(fence.holds(2, 6, 'b')).toBe(false);
    fence.pong('', 8); // a keep-alive pong lifts nothing
    expect(fence.holds(1, 9, 'c')).toBe(true);
    fence.pong(token, 9);
    expect(fence.holds(1, 9, 'c')).toBe(true); // arrived before the pong
    expect(fence.holds(1, 10, 'd')).toBe(false);
  });

  it('a second failure before the pong extends the fence to the later ping, and lets its retry pass', () => {
    const fence = new SendFence();
    const firstPing = fence.failed(1, 5, 'a');
    const secondPing = fence.failed(1, 3, 'b');
    expect(fence.holds(1, 4, 'x')).toBe(true);
    expect(fence.holds(1, 6, 'b')).toBe(false);
    fence.pong(firstPing, 7);
    expect(fence.holds(1, 8, 'x')).toBe(true);
    fence.pong(secondPing, 8);
    expect(fence.holds(1, 9, 'x')).toBe(false);
  });
});
