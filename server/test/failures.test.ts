/**
 * Store failures never produce a false ack; a retry with the same clientId stores exactly one message,
 * and reaches the others once even when the node that stored it died before announcing it.
 */
import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uploadsDirOf } from '../src/attachments/storedFiles.ts';
import type { Store } from '../src/storage/store.ts';
import { startTestServer, type TestServer } from '../src/testing.ts';
import { createTestStore, type TestStore } from './support/databases.ts';
import { cid, connectAs, openTab } from './support/chat.ts';
import { PNG } from './support/files.ts';

describe('database failures', () => {
  let server: TestServer;
  let real: TestStore;
  let failing = false;
  let pingFails = false;
  let uploadsFail = false;

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
        if (prop === 'createAttachmentWithinQuota' && uploadsFail) return () => Promise.reject(new Error('database is down'));
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

  it('a send stored by a node that died before announcing it reaches the others when the sender retries — once', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const clientId = cid('orphan');
    // The dead node's commit: stored, never announced, never acked.
    const [stored] = await real.store.appendMessages([
      { roomId, senderId: alice.user.id, type: 'text', content: 'key is under the mat', clientId, replyToId: null, attachmentId: null },
    ]);
    if (!stored?.ok) throw new Error('not stored');
    // A tab opened after the commit has the message through `ready` (its lastSeq): not sent again.
    const bobLater = await openTab(server, bob);
    expect(bobLater.ready.rooms.find((r) => r.id === roomId)?.lastSeq).toBe(stored.message.seq);

    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'key is under the mat' });
    expect(ack.message.seq).toBe(stored.message.seq);
    const delivered = await bob.socket.next('message', (f) => f.message.clientId === clientId);
    expect(delivered.message.seq).toBe(stored.message.seq);
    const count = await bob.socket.next('unread', (f) => f.roomId === roomId);
    expect(count.unread).toBeGreaterThan(0);
    // The usual retry (the ack was lost, the message announced): nobody gets it twice.
    await alice.socket.expect('ack', { type: 'send', roomId, clientId, content: 'key is under the mat' });
    await bob.socket.sync();
    await bobLater.socket.sync();
    expect(bob.socket.all('message').filter((f) => f.message.clientId === clientId)).toHaveLength(1);
    expect(bobLater.socket.all('message').filter((f) => f.message.clientId === clientId)).toHaveLength(0);
    for (const s of [alice.socket, bob.socket, bobLater.socket]) s.close();
  });

  it('healthz answers 503 naming the database while it does not answer', async () => {
    pingFails = true;
    const down = await fetch(`${server.url}/healthz`);
    pingFails = false;
    expect(down.status).toBe(503);
    expect(await down.json()).toEqual({ ok: false, database: false, bus: true });
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  // The file was on disk before its row failed: no row, no cleanup, so each failed upload stayed on the disk for good.
  it('an upload the database cannot record leaves no file on the disk', async () => {
    const { token } = await server.login('client1');
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'sink.png');
    uploadsFail = true;
    const res = await fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    uploadsFail = false;
    expect(res.status).toBe(500);
    expect(await readdir(uploadsDirOf(server.config.dataDir))).toEqual([]);
  });
});
