import { describe, expect, it } from 'vitest';
import { summariseProfile } from './profile.ts';

const frame = (id: number, functionName: string, url: string, hitCount: number) => ({
  id,
  callFrame: { functionName, url, lineNumber: 9 },
  hitCount,
});

describe('summariseProfile', () => {
  it('ranks busy frames by self time, groups them by area, and reports idle apart', () => {
    const summary = summariseProfile({
      startTime: 0,
      endTime: 2_000_000,
      nodes: [
        frame(1, '(idle)', '', 50),
        frame(2, 'run', 'file:///repo/node_modules/better-sqlite3/lib/methods/wrappers.js', 30),
        frame(3, 'flush', 'file:///repo/server/src/ws/sendBatcher.ts', 15),
        frame(4, 'stringify', '', 5),
        frame(5, 'never', 'file:///x.js', 0),
      ],
    });
    expect(summary.totalMs).toBe(2000);
    expect(summary.idlePct).toBe(50);
    expect(summary.topFrames[0]).toEqual({ frame: 'run node_modules/better-sqlite3/lib/methods/wrappers.js:10', selfPct: 60 });
    expect(summary.topFrames).toHaveLength(3);
    expect(summary.areas).toEqual([
      { area: 'SQLite statement preparation and driver (better-sqlite3)', selfPct: 60 },
      { area: 'our socket code (ws/ hub, batcher, handlers)', selfPct: 30 },
      { area: 'native / builtins (JSON, etc.)', selfPct: 10 },
    ]);
  });
});
