/** Store failures never produce a false ack; a retry with the same clientId stores exactly one message. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { createTestStore, type TestStore } from './support/databases.ts';
import { cid, connectAs } from './support/chat.ts';

describe('database failures', () => {
  let server: TestServer;
  let real: TestStore;
  let failing = false;
  let pingFails = false;

  beforeAll(async () => {
    real = await createTestStore('sqlite');
    const store = new Proxy(real.store, {
      get(target, prop, receiver) {
        if (prop === 'appendMessages') {
          return (batch: Parameters<Store['appendMessages']>[0]) => {
            if (failing) return Promise.reject(new Error('database is down'));
            return target.appendMessages(batch);
          };
        }
        if (prop === 'ping' && pingFails) return () => Promise.reject(new Error('database is down'));
        const value: unknown = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    server = await startTestServer({ store });
  });
  afterAll(async () => {
    await server?.close();
    await real?.cleanup();
  });

  it('answers INTERNAL (no ack, nothing broadcast) while the store fails; the retry stores one message', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const clientId = cid('retry');
    failing = true;
    expect(await alice.socket.expectError({ type: 'send', roomId, clientId, content: 'are you there?' })).toBe('INTERNAL');
    expect(alice.socket.all('ack')).toEqual([]);
    await bob.socket.sync();
    expect(bob.socket.all('message')).toEqual([]);
    failing = false;
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'are you there?' });
    const again = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'are you there?' });
    expect(again.message.id).toBe(ack.message.id);
    await bob.socket.next('message', (f) => f.message.clientId === clientId);
    const page = await bob.socket.expect('history', { type: 'history', roomId, limit: 5 });
    expect(page.messages.filter((m) => m.clientId === clientId)).toHaveLength(1);
    alice.socket.close();
    bob.socket.close();
  });

  it('healthz answers 503 naming the database while it does not answer', async () => {
    pingFails = true;
    const down = await fetch(`${server.url}/healthz`);
    pingFails = false;
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ok: false, database: false, bus: true });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
