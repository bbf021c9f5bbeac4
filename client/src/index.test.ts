import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Every module specifier imported by a file and, recursively, by the local files it imports. */
function importsReachableFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const external = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) {
      const spec = match[1] ?? '';
      if (spec.startsWith('.')) visit(path.resolve(path.dirname(file), spec));
      else external.add(spec);
    }
  };
  visit(entry);
  return external;
}

describe('package entries', () => {
  it('the main entry pulls in nothing Node-only, so it bundles for the browser', () => {
    const external = importsReachableFrom(path.join(here, 'index.ts'));
    expect([...external].sort()).toEqual(['@ecc/protocol', 'zod']);
  });

  it('the node entry is where `ws` lives', () => {
    expect(importsReachableFrom(path.join(here, 'node.ts'))).toContain('ws');
  });
});
