import { copyFile, mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeDocFromResults } from './doc.ts';
import type { MachineInfo } from './records.ts';

/** The committed results of a full run: a real file, its keys in the order the bench wrote them. */
const RESULTS = fileURLToPath(new URL('../../../docs/perf/results.jsonl', import.meta.url));
const machine = async (): Promise<MachineInfo> => ({ nproc: 2, cpuModel: 'test', memGiB: 1, node: 'v20', kernel: 'test', loadAtStart: [0, 0, 0] });

describe('--doc-from', () => {
  let root: string;
  beforeEach(async () => {
    // The doc goes under a throwaway repo root, never over the repository's docs/.
    root = await mkdtemp(path.join(os.tmpdir(), 'bench-doc-'));
    await mkdir(path.join(root, 'docs/perf'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('leaves the results file it reads byte for byte as it was (the documented use: docs/perf/results.jsonl itself)', async () => {
    const input = path.join(root, 'docs/perf/results.jsonl');
    await copyFile(RESULTS, input);
    await utimes(input, 1000, 1000);
    const { file, records } = await writeDocFromResults(input, root, machine);
    expect(records.length).toBeGreaterThan(0);
    expect(file).toBe(path.join(root, 'docs/performance.md'));
    expect(await readFile(file, 'utf8')).toContain('## Summary against the bars');
    expect((await readFile(input)).equals(await readFile(RESULTS))).toBe(true);
    expect((await stat(input)).mtimeMs).toBe(1_000_000); // not even rewritten with the same bytes
  });

  it('keeps a results file from elsewhere as docs/perf/results.jsonl byte for byte, and does not touch it', async () => {
    const input = path.join(root, 'elsewhere.jsonl');
    await copyFile(RESULTS, input);
    await writeDocFromResults(input, root, machine);
    const original = await readFile(RESULTS);
    expect((await readFile(input)).equals(original)).toBe(true);
    expect((await readFile(path.join(root, 'docs/perf/results.jsonl'))).equals(original)).toBe(true);
  });

  it('labels the fixed-rate runs made with read receipts and says what they add', async () => {
    const lines = (await readFile(RESULTS, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const market = lines.find((line) => (JSON.parse(line) as { scenario?: string }).scenario === 'marketplace');
    expect(market).toBeDefined();
    const withReads = JSON.stringify({ ...(JSON.parse(market!) as object), readReceipts: true });
    const withoutReads = lines.filter((line) => (JSON.parse(line) as { readReceipts?: boolean }).readReceipts !== true);
    const render = async (records: string[]) => {
      const input = path.join(root, 'run.jsonl');
      await writeFile(input, records.join('\n'));
      const { file } = await writeDocFromResults(input, root, machine);
      return readFile(file, 'utf8');
    };
    const plain = await render(withoutReads);
    expect(plain).not.toContain('with reads');
    const doc = await render([...withoutReads, withReads]);
    expect(doc).toMatch(/^\| ecc\/\w+ with reads \|/m);
    expect(doc).toContain('a `read` frame per `send`');
  });

  it("shows how long the server waited for its core next to its CPU, where the run recorded it", async () => {
    const lines = (await readFile(RESULTS, 'utf8')).split('\n').filter((line) => line.trim() !== '');
    const index = lines.findIndex((line) => (JSON.parse(line) as { scenario?: string }).scenario === 'marketplace');
    const record = JSON.parse(lines[index]!) as { result: { serverCpuPct: number; serverWaitPct?: number } };
    record.result.serverCpuPct = 61;
    record.result.serverWaitPct = 24;
    lines[index] = JSON.stringify(record);
    const input = path.join(root, 'run.jsonl');
    await writeFile(input, lines.join('\n'));
    const { file } = await writeDocFromResults(input, root, machine);
    const doc = await readFile(file, 'utf8');
    expect(doc).toContain('| 61 % (24 %) |');
    expect(doc).toContain('server CPU (waiting for its core)');
  });

  it("states the run's SQLite durability from its header: NORMAL for runs made before the field, else the mode recorded", async () => {
    const [header, ...rest] = (await readFile(RESULTS, 'utf8')).split('\n');
    const recorded = { ...(JSON.parse(header!) as object) };
    delete (recorded as { sqliteSynchronous?: unknown }).sqliteSynchronous;
    const durability = async (extra: object) => {
      const input = path.join(root, 'run.jsonl');
      await writeFile(input, [JSON.stringify({ ...recorded, ...extra }), ...rest].join('\n'));
      const { file } = await writeDocFromResults(input, root, machine);
      return (await readFile(file, 'utf8')).split('\n').find((line) => line.startsWith('- **Durability**'));
    };
    expect(await durability({})).toContain('`synchronous=NORMAL` (the default when this run was made)');
    expect(await durability({ sqliteSynchronous: 'FULL' })).toContain('`synchronous=FULL`: every commit is synced to disk');
  });
});
