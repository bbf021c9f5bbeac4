/**
 * ApiClient against a newer server whose answers carry values it added to the contract's enums:
 * the sign-in (`/api/me`) and the jobs page must still load, with the server's strings kept.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ApiClient, ChatError } from '../src/index.ts';

const user = { id: 1, username: 'ann', displayName: 'Ann', role: 'auditor' };
const answers: Record<string, unknown> = {
  '/api/me': { user },
  '/api/jobs': { jobs: [{ id: 9, title: 'Window cleaning', status: 'on_hold' }] },
  '/api/support': { room: { id: 'not a number' } },
};
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify(answers[req.url ?? ''] ?? {}));
});
let baseUrl = '';

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.close();
});

it('keeps an unknown role and an unknown job status as the server sent them', async () => {
  const api = new ApiClient({ baseUrl, token: 't' });
  expect((await api.me()).role).toBe('auditor');
  expect((await api.jobs()).map((job) => job.status)).toEqual(['on_hold']);
});

it('still refuses an answer of the wrong shape', async () => {
  const api = new ApiClient({ baseUrl, token: 't' });
  await expect(api.openSupport()).rejects.toBeInstanceOf(ChatError);
});
