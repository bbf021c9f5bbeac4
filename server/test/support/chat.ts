/** Shared steps of the server's integration tests. */
import { afterAll, beforeAll } from 'vitest';
import type { User } from '@ecc/protocol';
import { startTestServer, type TestServer, type TestServerOptions } from '../../src/testing.ts';
import { TestSocket, type SocketAuth } from './wsClient.ts';

/**
 * Registers the hooks of the enclosing describe: a test server started with
 * `options` before its tests and closed after them. Returns that server, its
 * fields filled in by the first hook (a TestServer is plain data and
 * closures, so the copy is the server): use it inside tests.
 */
export function serverForSuite(options: TestServerOptions = {}): TestServer {
  const server = {} as TestServer;
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startTestServer(options);
    Object.assign(server, started);
  });
  afterAll(async () => {
    await started?.close();
  });
  return server;
}

export interface Session {
  user: User;
  token: string;
  cookie: string;
}

/** Signs in and opens one socket (Bearer), waiting for `ready`. */
export async function connectAs(server: TestServer, username: string) {
  const session = await server.login(username);
  const { socket, ready } = await TestSocket.connect(server.wsUrlFor(session.user.id), { token: session.token });
  return { ...session, socket, ready };
}

/** Opens another socket (tab) for a signed-in user. */
export async function openTab(server: TestServer, session: Session, auth: SocketAuth = { token: session.token }) {
  return TestSocket.connect(server.wsUrlFor(session.user.id), auth);
}

let counter = 0;
/** A fresh clientId. */
export function cid(prefix = 'c'): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Calls the JSON API with a Bearer token. */
export async function api(server: TestServer, token: string | null, method: string, path: string, body?: unknown) {
  const headers: Record<string, string> = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json: unknown = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: res.status, headers: res.headers, body: json as Record<string, unknown> & { error?: { code: string; message: string } } };
}
