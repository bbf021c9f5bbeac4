/** Health, security headers, unknown routes, request text the database cannot hold, and the web app with SPA fallback. */
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bus } from '../src/fanout/bus.ts';
import { MemoryBus } from '../src/fanout/memory.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { DIALECTS } from './support/databases.ts';
import { api, serverForSuite } from './support/chat.ts';
import { waitUntil } from './cluster/support/redis.ts';

/** This process's (the server's) open file descriptors on `file`, as `ls -l /proc/<pid>/fd` shows them. */
function descriptorsOn(file: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`) === file) n += 1;
    } catch {
      // Closed meanwhile.
    }
  }
  return n;
}

/** Starts a GET of `path`, reads the first bytes of the answer and hangs up (a tab closed mid-load). */
function abortedDownload(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`));
    socket.once('data', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('http', () => {
  let server: TestServer;
  let webDir: string;
  let busHealthy = true;

  beforeAll(async () => {
    webDir = await mkdtemp(path.join(os.tmpdir(), 'ecc-web-'));
    await mkdir(path.join(webDir, 'assets'));
    await writeFile(path.join(webDir, 'index.html'), '<!doctype html><title>app</title><div id="root"></div>');
    await writeFile(path.join(webDir, 'assets', 'app-abc123.js'), 'console.log(1)');
    // Larger than what the sockets between server and client buffer: its download is cut off midway.
    await writeFile(path.join(webDir, 'assets', 'vendor-big.js'), Buffer.alloc(32 * 1024 * 1024, 0x20));
    const bus: Bus = Object.assign(new MemoryBus(), { healthy: () => busHealthy });
    server = await startTestServer({ bus, config: { webDistDir: webDir } });
  });
  afterAll(async () => {
    await server?.close();
    await rm(webDir, { recursive: true, force: true });
  });

  it('healthz is 200 when the database and bus answer, 503 naming the bus when it does not', async () => {
    const ok = await api(server, null, 'GET', '/healthz');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true });
    // A load balancer's HEAD check gets the same status, without a body.
    const head = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    busHealthy = false;
    const bad = await api(server, null, 'GET', '/healthz');
    const badHead = await fetch(`${server.url}/healthz`, { method: 'HEAD' });
    busHealthy = true;
    expect(bad.status).toBe(503);
    expect(badHead.status).toBe(503);
    expect(bad.body).toMatchObject({ ok: false, database: true, bus: false });
  });

  it('serves the app with a CSP, hashed assets, and index.html for client routes', async () => {
    const index = await fetch(`${server.url}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="root">');
    const csp = index.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(index.headers.get('referrer-policy')).toBe('no-referrer');
    const asset = await fetch(`${server.url}/assets/app-abc123.js`);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const deep = await fetch(`${server.url}/jobs/42`);
    expect(await deep.text()).toContain('<div id="root">');
    const traversal = await fetch(`${server.url}/..%2f..%2fetc%2fpasswd`);
    expect(await traversal.text()).toContain('<div id="root">');
  });

  // Each cut-off download kept its file open for the life of the process, until it ran out of descriptors.
  it('closes a file whose download the browser cut off', async () => {
    const file = path.join(webDir, 'assets', 'vendor-big.js');
    for (let i = 0; i < 5; i++) await abortedDownload(server.port, '/assets/vendor-big.js');
    await waitUntil('no descriptor of the cut-off file left open', () => descriptorsOn(file) === 0, 5000);
    // The file is still served whole afterwards.
    const whole = await fetch(`${server.url}/assets/vendor-big.js`);
    expect((await whole.arrayBuffer()).byteLength).toBe(32 * 1024 * 1024);
  });

  it('unknown API paths are JSON 404s, not the app', async () => {
    const res = await api(server, null, 'GET', '/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error?.code).toBe('NOT_FOUND');
  });

  it('reads a JSON body sent without Content-Type as JSON; one declared as another type is 415, never stored', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      // Bytes, not a string: fetch adds no Content-Type of its own then.
      fetch(`${server.url}${path}`, { method: 'POST', headers, body: new TextEncoder().encode(JSON.stringify(body)) });
    const login = await post('/api/auth/login', { username: 'client1', password: 'demo' });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const auth = { Authorization: `Bearer ${token}` };
    const posted = await post('/api/jobs', { title: 'No header' }, auth);
    expect(posted.status).toBe(200);
    const job = ((await posted.json()) as { job: { id: number; title: string; status: string } }).job;
    expect(job.title).toBe('No header');
    // A wrong declared type is the request's fault in a way the client can tell apart from a bad field.
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/json-seq']) {
      const refused = [
        await post('/api/auth/login', { username: 'client1', password: 'demo' }, { 'Content-Type': type }),
        await post('/api/jobs', { title: `Declared as ${type}` }, { ...auth, 'Content-Type': type }),
        await post(`/api/jobs/${job.id}/status`, { status: 'cancelled' }, { ...auth, 'Content-Type': type }),
      ];
      for (const res of refused) {
        expect(res.status).toBe(415);
        expect(await res.json()).toEqual({ error: { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'The body must be JSON (Content-Type: application/json)' } });
      }
    }
    // With its parameters the JSON type is accepted.
    expect((await post('/api/jobs', { title: 'With charset' }, { ...auth, 'Content-Type': 'application/json; charset=utf-8' })).status).toBe(200);
    const jobs = (await api(server, token, 'GET', '/api/jobs')).body.jobs as { title: string; status: string }[];
    expect(jobs.map((j) => j.title).filter((t) => t.startsWith('Declared as'))).toEqual([]);
    expect(jobs.find((j) => j.title === 'No header')?.status).toBe('open');
  });

  it('a form posted from another site with the cookie is refused as cross-site (403) before its type is looked at', async () => {
    // The Origin check is what keeps other sites out; a 415 would tell them the cookie was good.
    const { cookie } = await server.login('client1');
    const form = { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' };
    const jobs = await fetch(`${server.url}/api/jobs`, { method: 'POST', headers: { ...form, Cookie: cookie }, body: 'title=Phish' });
    expect(jobs.status).toBe(403);
    expect(((await jobs.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    const login = await fetch(`${server.url}/api/auth/login`, { method: 'POST', headers: form, body: 'username=client1&password=demo' });
    expect(login.status).toBe(403);
    const upload = await fetch(`${server.url}/api/rooms/1/attachments`, { method: 'POST', headers: { ...form, Cookie: cookie, 'Content-Type': 'text/plain' }, body: 'x' });
    expect(upload.status).toBe(403);
  });

  it('gives every answer, an error too, its own X-Request-Id (the id in the server log for that request)', async () => {
    const ids = await Promise.all(['/healthz', '/api/me', '/api/nope', '/'].map(async (p) => (await fetch(`${server.url}${p}`)).headers.get('x-request-id')));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('http without a web build', () => {
  const server = serverForSuite({ seed: false, config: { webDistDir: path.join(os.tmpdir(), 'ecc-no-such-dir') } });

  it('says how to build the web app', async () => {
    const res = await fetch(`${server.url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('npm run build -w web');
  });
});

for (const dialect of DIALECTS) {
  describe(`values the database cannot hold, over HTTP (${dialect})`, () => {
    const server = serverForSuite({ dialect });

    // PostgreSQL cannot store or even compare it: it once made these answers 500s there.
    it('is a wrong credential at sign-in and a bad request for a job', async () => {
      const wrong = await api(server, null, 'POST', '/api/auth/login', { username: 'nobody', password: 'nope' });
      const nul = await api(server, null, 'POST', '/api/auth/login', { username: 'client1\u0000', password: 'demo' });
      expect(nul.status).toBe(401);
      expect(nul.body).toEqual(wrong.body);
      const carol = await server.login('client2');
      const job = await api(server, carol.token, 'POST', '/api/jobs', { title: 'Windows', address: '1 High St\u0000' });
      expect(job.status).toBe(400);
      expect(job.body.error?.code).toBe('BAD_REQUEST');
      expect((await api(server, carol.token, 'POST', '/api/jobs', { title: 'Windows', address: '1 High St' })).status).toBe(200);
    });

    // Rooms, jobs and attachments are numbered in 32-bit columns; PostgreSQL refused larger ids with a 500.
    it('ids past the 32-bit range are 404s', async () => {
      const carol = await server.login('client2');
      for (const path of ['/api/attachments/2147483648', '/api/attachments/999999999999999']) {
        const res = await api(server, carol.token, 'GET', path);
        expect(res.status).toBe(404);
        expect(res.body.error?.code).toBe('NOT_FOUND');
      }
      expect((await api(server, carol.token, 'POST', '/api/jobs/2147483648/accept')).status).toBe(404);
      expect((await api(server, carol.token, 'GET', '/api/attachments/2147483647')).status).toBe(404);
    });
  });
}
