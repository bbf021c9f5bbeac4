/**
 * The README is what a developer outside the project has: its code samples
 * must compile, as a Node program would compile them (the tsconfig the README
 * gives, no DOM library), against the package's exports.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

function codeBlocks(markdown: string, lang: string): string[] {
  return [...markdown.matchAll(new RegExp('```' + lang + '\\n([\\s\\S]*?)```', 'g'))].map((m) => m[1] ?? '');
}

it("the README's samples compile in a Node program set up as the README says", async () => {
  const readme = await readFile(join(repoRoot, 'client/README.md'), 'utf8');
  const samples = codeBlocks(readme, 'ts');
  const tsconfig = codeBlocks(readme, 'json').find((block) => block.includes('compilerOptions'));
  expect(samples.length).toBeGreaterThanOrEqual(2);
  expect(tsconfig).toBeDefined();
  const dir = await mkdtemp(join(tmpdir(), 'ecc-client-readme-'));
  dirs.push(dir);
  // The program's own node_modules: the workspace's, where `@ecc/client` is installed.
  await symlink(join(repoRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  await writeFile(join(dir, 'tsconfig.json'), tsconfig ?? '');
  await Promise.all(samples.map((code, i) => writeFile(join(dir, `sample${i + 1}.ts`), code)));
  const result = await promisify(execFile)(process.execPath, [tsc, '-p', dir], { cwd: dir }).then(
    () => '',
    (err: { stdout?: string }) => err.stdout ?? String(err),
  );
  expect(result).toBe('');
}, 60_000);
