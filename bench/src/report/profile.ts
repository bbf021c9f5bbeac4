/**
 * Summarises a V8 CPU profile (`node --cpu-prof`) into the frames that take
 * the most self time, and into coarse buckets (database driver, sockets,
 * JSON, our server code...) that say where the time goes.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

const CpuProfile = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      hitCount: z.number().optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
});

export interface ProfileSummary {
  totalMs: number;
  /** Share of all samples where the process was idle (waiting for I/O or work). */
  idlePct: number;
  /** Share of the busy (non-idle) samples per frame, highest first. */
  topFrames: { frame: string; selfPct: number }[];
  /** Share of the busy samples per area of the code. */
  areas: { area: string; selfPct: number }[];
}

const AREAS: [string, RegExp][] = [
  ['garbage collection', /^\(garbage collector\)$/],
  ['program / native', /^\(program\)$/],
  // better-sqlite3's run/all are native: their time shows as self time of Kysely's driver frame that calls them.
  ['SQLite statement execution (native, under Kysely\'s sqlite driver)', /sqlite-driver\.js/],
  ['SQLite statement preparation and driver (better-sqlite3)', /better-sqlite3/],
  ['PostgreSQL driver (pg)', /node_modules\/(pg|pg-protocol|pg-pool)\//],
  ['Kysely query building', /kysely/],
  ['Redis client', /ioredis|redis-adapter/],
  ['WebSocket library (ws)', /node_modules\/ws\//],
  ['Socket.IO', /socket\.io|engine\.io/],
  ['zod validation', /node_modules\/zod\//],
  ['our storage code', /server\/src\/storage\//],
  ['our socket code (ws/ hub, batcher, handlers)', /server\/src\/ws\//],
  ['our other server code', /server\/src\//],
  ['our protocol package (frame parsing)', /protocol\/src\//],
  ['load generator / peer (bench)', /bench\//],
  ['Node internals (net, streams, timers)', /^node:/],
];

function areaOf(functionName: string, url: string): string {
  for (const [area, pattern] of AREAS) if (pattern.test(url) || pattern.test(functionName)) return area;
  return url === '' ? 'native / builtins (JSON, etc.)' : 'other libraries';
}

/**
 * Summarises the main thread's profile in `dir`: the largest .cpuprofile
 * (tsx's loader runs in a worker thread that writes a small one too).
 */
export async function summariseProfileDir(dir: string): Promise<ProfileSummary | null> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  let largest: { file: string; size: number } | null = null;
  for (const file of files) {
    const { size } = await stat(path.join(dir, file));
    if (!largest || size > largest.size) largest = { file, size };
  }
  if (!largest) return null;
  return summariseProfile(JSON.parse(await readFile(path.join(dir, largest.file), 'utf8')));
}

export function summariseProfile(raw: unknown, top = 15): ProfileSummary {
  const profile = CpuProfile.parse(raw);
  const byFrame = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += hits;
      continue;
    }
    const shortUrl = url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules|server|bench|protocol)\//, '$1/');
    const frame = `${functionName || '(anonymous)'} ${shortUrl ? `${shortUrl}:${lineNumber + 1}` : ''}`.trim();
    byFrame.set(frame, (byFrame.get(frame) ?? 0) + hits);
    const area = areaOf(functionName, url);
    byArea.set(area, (byArea.get(area) ?? 0) + hits);
    total += hits;
  }
  const pct = (n: number): number => (total === 0 ? 0 : Math.round((n / total) * 1000) / 10);
  const all = total + idle;
  return {
    totalMs: (profile.endTime - profile.startTime) / 1000,
    idlePct: all === 0 ? 0 : Math.round((idle / all) * 1000) / 10,
    topFrames: [...byFrame.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([frame, n]) => ({ frame, selfPct: pct(n) })),
    areas: [...byArea.entries()].sort((a, b) => b[1] - a[1]).map(([area, n]) => ({ area, selfPct: pct(n) })),
  };
}
