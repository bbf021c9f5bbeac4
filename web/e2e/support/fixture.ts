/** The setup every browser test file shares: a seeded test server, Chromium, and people signed in. */
import { afterAll, beforeAll } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer, type TestServerOptions } from '@ecc/server/testing';
import { launchBrowser } from './browser.ts';
import { signIn, type SignedIn } from './app.ts';

export type SignedInApp<Name extends string> = { server: TestServer; browser: Browser } & Record<Name, SignedIn>;

/**
 * Registers the hooks of the enclosing describe: before its tests a test
 * server (`prepare` may add data to it first), Chromium, and a browser context
 * signed in as each of `people` (name → username), in that order; after them
 * the browser and the server are closed. Returns the object the hooks fill in:
 * read its fields inside tests, never while declaring them. `options` configure the server (a lower limit, say).
 */
export function signedInApp<Name extends string>(
  people: Record<Name, string>,
  prepare?: (server: TestServer) => Promise<void>,
  options?: TestServerOptions,
): SignedInApp<Name> {
  const app = {} as SignedInApp<Name>;
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    server = await startTestServer(options);
    await prepare?.(server);
    browser = await launchBrowser();
    Object.assign(app, { server, browser });
    for (const [name, username] of Object.entries<string>(people)) {
      Object.assign(app, { [name]: await signIn(browser, server.url, username) });
    }
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return app;
}

/**
 * Stores `count` messages from cleaner1 (Bob) in the demo job room before the browsers start:
 * "<prefix> 1" … "<prefix> count", enough for the room to scroll or page.
 */
export async function seedBobLines(server: TestServer, count: number, prefix: string): Promise<void> {
  const demo = server.demo;
  const bobId = demo?.users.cleaner1?.id;
  if (!demo || !bobId) throw new Error('demo data missing');
  const results = await server.store.appendMessages(
    Array.from({ length: count }, (_, i) => ({
      roomId: demo.roomId,
      senderId: bobId,
      type: 'text' as const,
      content: `${prefix} ${i + 1}`,
      clientId: `${prefix.replace(/\W+/g, '-')}-${i + 1}`,
    })),
  );
  if (!results.every((r) => r.ok)) throw new Error('seeding the room failed');
}

/** `username` has read the demo room up to its newest message (it opens at the newest, with no "New messages" line). */
export async function markDemoRoomRead(server: TestServer, username: string): Promise<void> {
  const demo = server.demo;
  const reader = demo?.users[username];
  if (!demo || !reader) throw new Error('demo data missing');
  const newest = (await server.store.history({ roomId: demo.roomId, limit: 1 })).messages.at(-1);
  if (!newest) throw new Error('the demo room is empty');
  await server.store.markRead(demo.roomId, reader.id, newest.seq);
}
