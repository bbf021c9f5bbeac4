import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from './config.ts';
import { checkpointsFromEnv, prepareStatementsFromEnv, statementTimeoutFromEnv, synchronousFromEnv } from './storage/index.ts';
import { threadPoolSize } from './auth/passwordGate.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({});
    expect(c.port).toBe(8000);
    expect(c.seedDemo).toBe(true);
    expect(c.limits).toMatchObject({ maxContentChars: 4000, maxFrameBytes: 65536, sendRateLimit: 30, sendRateWindowMs: 10000, maxSocketsPerUser: 10 });
    expect(c.limits).toMatchObject({ uploadQuotaBytes: 200 * 1024 * 1024, uploadQuotaWindowMs: 24 * 3_600_000 });
    expect(c.limits).toMatchObject({ httpHeadersTimeoutMs: 20_000, httpRequestTimeoutMs: 600_000, httpIdleTimeoutMs: 60_000, maxHttpConnectionsPerAddress: 1024 });
    // The contract's own numbers (§4, §6, §7, §8): an outside suite tests them with no settings.
    expect(c.limits).toMatchObject({ maxAttachmentBytes: 10 * 1024 * 1024, typingExpiryMs: 6000, maxBufferedBytes: 1024 * 1024 });
    expect(c.databaseUrl).toBeUndefined();
    expect(c.metricsToken).toBeUndefined();
  });

  it('reads overrides and lists', () => {
    const c = loadConfig({ PORT: '9000', SEED_DEMO: '0', ALLOWED_ORIGINS: 'https://a.example/, https://b.example', MAX_CONTENT_CHARS: '100', DATABASE_URL: ' ' });
    expect(c.port).toBe(9000);
    expect(c.seedDemo).toBe(false);
    expect(c.allowedOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.limits.maxContentChars).toBe(100);
    expect(c.databaseUrl).toBeUndefined();
  });

  it('stops on a bad value with a message naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ MAX_SOCKETS_PER_USER: '0' })).toThrow(/MAX_SOCKETS_PER_USER/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'app.example' })).toThrow(/ALLOWED_ORIGINS: "app.example" is not an origin/);
    expect(() => loadConfig({ ALLOWED_ORIGINS: 'https://app.example/chat' })).toThrow(/ALLOWED_ORIGINS/);
    // It alone guards GET /metrics: a short one could be guessed.
    expect(() => loadConfig({ METRICS_TOKEN: 'short-token' })).toThrow(/METRICS_TOKEN: must be at least 16 characters/);
    // Node refuses a header timeout longer than the request's at start-up, with a stack instead of a message.
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '60000', HTTP_REQUEST_TIMEOUT_MS: '30000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS/);
  });

  it('writes allowed origins as browsers send them, so a capital letter or a default port still matches', () => {
    const c = loadConfig({ ALLOWED_ORIGINS: 'https://App.Example:443, http://admin.example:8080/' });
    expect(c.allowedOrigins).toEqual(['https://app.example', 'http://admin.example:8080']);
  });
});

/**
 * The README's configuration table is what an operator has: every variable the server reads must be a row of it,
 * every row one it reads, and each row's default the code's (set to the README's default, a variable changes nothing).
 */
describe("the README's configuration table", () => {
  const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('\n## ', readme.indexOf('## Configuration') + 1));
  // `| \`A\` / \`B\` | \`1\` / 15 min | meaning |`: one entry per variable, with its default as written.
  const rows = section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => {
      const [names = '', defaults = ''] = line.split('|').slice(1, 3).map((cell) => cell.trim());
      const vars = names.split(' / ').map((name) => name.replaceAll('`', ''));
      const values = defaults.split(' / ');
      return vars.map((name, i) => ({ name, written: values.length === vars.length ? values[i]! : '' }));
    });

  /** The README's default as an environment value: `—` none, `8000`, 15 min, 24 h, 30 days, a path of the repository. */
  function envValue(name: string, written: string): string | undefined {
    if (written === '—') return undefined;
    const quoted = /^`([^`]+)`/.exec(written)?.[1];
    if (quoted !== undefined) return name.endsWith('_DIR') ? path.join(repoRoot, quoted) : quoted;
    const span = /^(\d+) (min|h|days)$/.exec(written);
    if (!span) throw new Error(`cannot read the default "${written}"`);
    return String(Number(span[1]) * { min: 60_000, h: 3_600_000, days: 86_400_000 }[span[2] as 'min' | 'h' | 'days']);
  }

  /** Variables server/src reads by name, `process.env.X` or `env.X` (storage/index.ts, cluster.ts, main.ts). */
  function readOutsideConfig(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return readOutsideConfig(file);
      if (!entry.name.endsWith('.ts') || entry.name.endsWith('.test.ts') || entry.name === 'testing.ts') return [];
      return [...readFileSync(file, 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]*)/g)].map((m) => m[1]!);
    });
  }

  it('lists every variable the server reads, and only those', () => {
    // INIT_CWD is npm's (where `npm run fixtures` was typed), not a setting.
    const read = new Set([...CONFIG_VARIABLES, ...readOutsideConfig(path.join(repoRoot, 'server/src'))].filter((name) => name !== 'INIT_CWD'));
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.map((r) => r.name).sort()).toEqual([...read].sort());
  });

  it("gives each variable the code's default", () => {
    const unset = loadConfig({});
    const outside: Record<string, (value: string | undefined) => unknown> = {
      SQLITE_SYNCHRONOUS: synchronousFromEnv,
      SQLITE_CHECKPOINTS: checkpointsFromEnv,
      PG_PREPARE_STATEMENTS: prepareStatementsFromEnv,
      PG_STATEMENT_TIMEOUT_MS: statementTimeoutFromEnv,
      UV_THREADPOOL_SIZE: (value) => threadPoolSize({ UV_THREADPOOL_SIZE: value }),
    };
    for (const { name, written } of rows) {
      const value = envValue(name, written);
      const read = outside[name];
      if (read) expect({ name, value: read(value) }).toEqual({ name, value: read(undefined) });
      else if (name === 'WORKERS') expect(value).toBeUndefined();
      // No default: unset is the same as empty.
      else if (value === undefined) expect({ name, config: loadConfig({ [name]: '' }) }).toEqual({ name, config: unset });
      else expect({ name, config: loadConfig({ [name]: value }) }).toEqual({ name, config: unset });
    }
  });
});
