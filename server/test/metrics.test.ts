/**
 * GET /metrics over a real port: off (404) unless a token is configured,
 * 401 without the right bearer, and with it Prometheus text whose counters
 * move when a real socket sends messages and has a frame refused.
 */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { createFanout } from '../src/fanout/index.ts';
import { startTestServer } from '../src/testing.ts';
import { cid, connectAs, serverForSuite } from './support/chat.ts';
import { TEST_REDIS_URL, deletePrefix, randomPrefix, testLogger, waitUntil } from './cluster/support/redis.ts';

const TOKEN = 'metrics-test-token-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reading of the text format 0.0.4 (what Prometheus accepts): every line is `# HELP name text`,
 * `# TYPE name type` or `name{label="value",...} number`, each sample's family declared before it.
 */
function parseExposition(text: string): { types: Map<string, string>; samples: Sample[] } {
  expect(text.endsWith('\n')).toBe(true);
  const types = new Map<string, string>();
  const helped = new Set<string>();
  const samples: Sample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    const help = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) \S.*$/.exec(line);
    if (help) {
      helped.add(help[1]!);
      continue;
    }
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1]!), `TYPE twice for ${type[1]}`).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (\S+)$/.exec(line);
    expect(sample, `not a metric line: ${JSON.stringify(line)}`).not.toBeNull();
    const [, name = '', labelText = '', valueText = ''] = sample!;
    const value = Number(valueText);
    expect(Number.isNaN(value) && valueText !== 'NaN', `value of ${line}`).toBe(false);
    expect(types.has(name), `sample before its TYPE: ${line}`).toBe(true);
    expect(helped.has(name), `sample without HELP: ${line}`).toBe(true);
    const labels = Object.fromEntries([...labelText.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  expect(found, `${name} ${JSON.stringify(labels)}`).toHaveLength(1);
  return found[0]!.value;
}

describe('GET /metrics without METRICS_TOKEN', () => {
  const server = serverForSuite();

  it('is not there at all (404), with or without a bearer', async () => {
    expect((await fetch(`${server.url}/metrics`)).status).toBe(404);
    expect((await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(404);
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  const server = serverForSuite({ config: { metricsToken: TOKEN, limits: { sendRateLimit: 1000 } } });

  async function scrape() {
    const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    return parseExposition(await res.text());
  }

  it('answers 401 to a missing, wrong or differently shaped credential', async () => {
    const url = `${server.url}/metrics`;
    const missing = await fetch(url);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    for (const authorization of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, 'Bearer ', TOKEN, `Basic ${TOKEN}`]) {
      const res = await fetch(url, { headers: { Authorization: authorization } });
      expect({ authorization, status: res.status }).toEqual({ authorization, status: 401 });
    }
  });

  it('answers Prometheus text with the node series, HELP and TYPE for each', async () => {
    const { types, samples } = await scrape();
    expect(Object.fromEntries(types)).toMatchObject({
      ecc_websocket_connections: 'gauge',
      ecc_connected_users: 'gauge',
      ecc_messages_stored_total: 'counter',
      ecc_send_batches_total: 'counter',
      ecc_frames_refused_total: 'counter',
      ecc_http_responses_total: 'counter',
      ecc_http_connections_refused_total: 'counter',
      ecc_event_loop_delay_p99_seconds: 'gauge',
      ecc_process_resident_memory_bytes: 'gauge',
      ecc_process_heap_used_bytes: 'gauge',
      ecc_process_start_time_seconds: 'gauge',
    });
    // The in-memory fan-out has no link to lose: the gauge is for Redis only.
    expect(types.has('ecc_fanout_healthy')).toBe(false);
    const started = valueOf(samples, 'ecc_process_start_time_seconds');
    expect(started).toBeLessThanOrEqual(Date.now() / 1000);
    expect(started).toBeGreaterThan(Date.now() / 1000 - process.uptime() - 5);
    expect(valueOf(samples, 'ecc_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'ecc_process_heap_used_bytes')).toBeGreaterThan(0);
    expect(valueOf(samples, 'ecc_event_loop_delay_p99_seconds')).toBeGreaterThanOrEqual(0);
    // Every code of the contract is a series from the start (rate() needs the zero).
    expect(samples.filter((s) => s.name === 'ecc_frames_refused_total').map((s) => s.labels.code)).toContain('RATE_LIMITED');
    expect(samples.filter((s) => s.name === 'ecc_http_responses_total').map((s) => s.labels.class)).toEqual(['2xx', '3xx', '4xx', '5xx']);
  });

  it('counts sockets, users, stored messages, batches, refused frames and HTTP answers', async () => {
    const before = (await scrape()).samples;
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'first' });
    await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'second' });
    expect(await bob.socket.expectError({ type: 'send', ref: 'nowhere', roomId: 999_999, clientId: cid(), content: 'x' })).toBe('NOT_FOUND');
    alice.socket.ws.send('{not json');
    expect(await alice.socket.next('error')).toMatchObject({ code: 'BAD_REQUEST' });

    const after = (await scrape()).samples;
    const delta = (name: string, labels: Record<string, string> = {}) => valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(valueOf(after, 'ecc_websocket_connections')).toBe(2);
    expect(valueOf(after, 'ecc_connected_users')).toBe(2);
    expect(delta('ecc_messages_stored_total')).toBe(2);
    // Each send was acked before the next went: two batches.
    expect(delta('ecc_send_batches_total')).toBe(2);
    expect(delta('ecc_frames_refused_total', { code: 'NOT_FOUND' })).toBe(1);
    expect(delta('ecc_frames_refused_total', { code: 'BAD_REQUEST' })).toBe(1);
    // Two sign-ins and the first scrape, at least.
    expect(delta('ecc_http_responses_total', { class: '2xx' })).toBeGreaterThanOrEqual(3);

    alice.socket.close();
    bob.socket.close();
  });

  it('counts a refused scrape as a 4xx answer', async () => {
    const before = valueOf((await scrape()).samples, 'ecc_http_responses_total', { class: '4xx' });
    expect((await fetch(`${server.url}/metrics`)).status).toBe(401);
    const after = valueOf((await scrape()).samples, 'ecc_http_responses_total', { class: '4xx' });
    expect(after - before).toBe(1);
  });
});

describe('GET /metrics with Redis fan-out', () => {
  it('says whether the fan-out carries events, read at each scrape', async () => {
    const redisPrefix = randomPrefix();
    const config = { metricsToken: TOKEN, redisUrl: TEST_REDIS_URL, redisPrefix };
    const fanout = createFanout({ ...config, limits: loadConfig({}).limits }, testLogger());
    const server = await startTestServer({ config, bus: fanout.bus, presence: fanout.presence });
    const fanoutHealthy = async () => {
      const res = await fetch(`${server.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } });
      const { types, samples } = parseExposition(await res.text());
      expect(types.get('ecc_fanout_healthy')).toBe('gauge');
      return valueOf(samples, 'ecc_fanout_healthy');
    };
    let fanoutClosed = false;
    try {
      await waitUntil('the bus is linked', () => fanout.bus.healthy());
      expect(await fanoutHealthy()).toBe(1);
      // A closed link carries nothing: the next scrape says so.
      fanoutClosed = true;
      await fanout.close();
      expect(await fanoutHealthy()).toBe(0);
    } finally {
      await server.close();
      if (!fanoutClosed) await fanout.close();
      await deletePrefix(TEST_REDIS_URL, redisPrefix);
    }
  });
});
