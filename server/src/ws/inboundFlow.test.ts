import { describe, expect, it } from 'vitest';
import { InboundFlow } from './inboundFlow.ts';

function flow(limits = { pauseFrames: 4, pauseBytes: 1000, maxBytes: 5000 }) {
  const calls: string[] = [];
  const f = new InboundFlow({ pause: () => calls.push('pause'), resume: () => calls.push('resume') }, limits);
  return { f, calls };
}

describe('InboundFlow', () => {
  it('stops reading past the frame count and reads again once half of it is handled', () => {
    const { f, calls } = flow();
    for (let i = 0; i < 4; i++) expect(f.arrived(10)).toBe(true);
    expect(calls).toEqual([]);
    f.arrived(10);
    f.arrived(10);
    expect(calls).toEqual(['pause']);
    expect(f.isPaused).toBe(true);
    for (let i = 0; i < 3; i++) f.handled(10);
    expect(calls).toEqual(['pause']);
    f.handled(10);
    expect(calls).toEqual(['pause', 'resume']);
    expect(f.isPaused).toBe(false);
  });

  it('stops reading past the byte bound, even with few frames', () => {
    const { f, calls } = flow();
    f.arrived(600);
    f.arrived(600);
    expect(calls).toEqual(['pause']);
    f.handled(600);
    expect(calls).toEqual(['pause']);
    f.handled(600);
    expect(calls).toEqual(['pause', 'resume']);
  });

  it('refuses (and does not count) a frame that would pass the last bound', () => {
    const { f } = flow();
    expect(f.arrived(4000)).toBe(true);
    expect(f.arrived(1001)).toBe(false);
    expect(f.arrived(1000)).toBe(true);
    f.handled(4000);
    f.handled(1000);
    expect(f.isPaused).toBe(false);
    expect(f.arrived(5000)).toBe(true);
  });
});
