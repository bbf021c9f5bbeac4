/**
 * Real chat node processes for the cluster tests: each is
 * `node --import tsx server/src/main.ts` with its own environment, sharing a
 * fresh PostgreSQL database and a Redis prefix with its peers, exactly as in
 * production. A node can be stopped gracefully (SIGTERM) or killed (SIGKILL).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { deletePrefix, serviceGate, waitUntil } from './redis.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.resolve(here, '../../../src/main.ts');

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Gate for PostgreSQL (fails under CI=true, skips with a warning otherwise). */
export async function postgresGate(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 3000 });
  let available = false;
  try {
    await client.connect();
    await client.query('SELECT 1');
    available = true;
  } catch {
    available = false;
  } finally {
    await client.end().catch(() => undefined);
  }
  return serviceGate(`PostgreSQL at ${TEST_DATABASE_URL}`, available);
}

/** A new, empty database on the test server; `drop()` removes it. */
export async function freshDatabase(): Promise<{ url: string; name: string; drop(): Promise<void> }> {
  const name = `ecc_cluster_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface NodeEnv {
  DATABASE_URL: string;
  REDIS_URL: string;
  REDIS_PREFIX: string;
  DATA_DIR: string;
  SEED_DEMO?: '0' | '1';
  [name: string]: string | undefined;
}

/** One chat node process. */
export class ChatNode {
  private output = '';
  private listeningPort: number | undefined;
  private stopRequested = false;

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk));
  }

  /** Starts a node on a free port and waits until it listens. */
  static async start(name: string, env: NodeEnv): Promise<ChatNode> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', SEED_DEMO: '0', ...env };
    // One node per process here, never cluster mode.
    delete childEnv.WORKERS;
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN], { env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const node = new ChatNode(name, child);
    await waitUntil(
      `node ${name} listening`,
      () => {
        if (child.exitCode !== null) throw new Error(`node ${name} exited with ${child.exitCode}:\n${node.logs.slice(-4000)}`);
        return node.listeningPort !== undefined;
      },
      60_000,
    );
    return node;
  }

  get port(): number {
    if (this.listeningPort === undefined) throw new Error(`node ${this.name} is not listening`);
    return this.listeningPort;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The process ended without the test asking (a crash worth reporting). */
  get diedUnexpectedly(): boolean {
    return !this.stopRequested && !this.alive;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the node printed (JSON log lines). */
  get logs(): string {
    return this.output;
  }

  /** GET /healthz status code (0 when the node does not answer). */
  async health(): Promise<number> {
    try {
      const res = await fetch(`${this.url}/healthz`, { signal: AbortSignal.timeout(5000) });
      return res.status;
    } catch {
      return 0;
    }
  }

  /** Kills the process at once (a crash: no socket is closed cleanly). */
  async kill(): Promise<void> {
    await this.signal('SIGKILL');
  }

  /** Graceful stop (SIGTERM), as an orchestrator would. */
  async stop(): Promise<void> {
    await this.signal('SIGTERM');
  }

  private async signal(signal: NodeJS.Signals): Promise<void> {
    this.stopRequested = true;
    if (!this.alive) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }

  private read(chunk: string): void {
    this.output += chunk;
    if (this.listeningPort !== undefined) return;
    for (const line of this.output.split('\n')) {
      if (!line.includes('"listening"')) continue;
      try {
        const entry: unknown = JSON.parse(line);
        if (typeof entry === 'object' && entry !== null && 'port' in entry && typeof entry.port === 'number') {
          this.listeningPort = entry.port;
          return;
        }
      } catch {
        // A partial line: the rest arrives with the next chunk.
      }
    }
  }
}

/** A group of nodes sharing one database, one Redis prefix and one DATA_DIR. */
export class NodeGroup {
  readonly nodes: ChatNode[] = [];
  readonly prefix = `ecc-cluster-test:${randomUUID().slice(0, 8)}:`;

  private constructor(
    readonly databaseUrl: string,
    readonly redisUrl: string,
    readonly dataDir: string,
    private readonly cleanup: () => Promise<void>,
  ) {}

  static async create(redisUrl: string): Promise<NodeGroup> {
    const database = await freshDatabase();
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-cluster-'));
    const group: NodeGroup = new NodeGroup(database.url, redisUrl, dataDir, async () => {
      await database.drop();
      // Killed nodes leave presence keys behind.
      await deletePrefix(redisUrl, group.prefix).catch((err: unknown) => console.warn('could not delete test keys', err));
      await rm(dataDir, { recursive: true, force: true });
    });
    return group;
  }

  /** Starts a node; the first one seeds the demo data. Extra env overrides the shared settings. */
  async start(name: string, extra: Partial<NodeEnv> = {}): Promise<ChatNode> {
    const node = await ChatNode.start(name, {
      DATABASE_URL: this.databaseUrl,
      REDIS_URL: this.redisUrl,
      REDIS_PREFIX: this.prefix,
      DATA_DIR: this.dataDir,
      SEED_DEMO: this.nodes.length === 0 ? '1' : '0',
      ...extra,
    });
    this.nodes.push(node);
    return node;
  }

  /** Kills every node still running and drops the database. */
  async close(): Promise<void> {
    for (const node of this.nodes) {
      if (node.diedUnexpectedly) console.error(`==== node ${node.name} died during the test ====\n${node.logs.slice(-8000)}`);
    }
    await Promise.all(this.nodes.map((node) => node.kill()));
    // For investigating a failure: TEST_NODE_LOGS=1 prints what every node logged.
    if (process.env.TEST_NODE_LOGS) for (const node of this.nodes) console.log(`==== node ${node.name} ====\n${node.logs}`);
    await this.cleanup();
  }
}
