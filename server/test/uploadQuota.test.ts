/**
 * The per-user upload quota: bytes stored per window, sent uploads included (a message carries its
 * upload out of the unsent-uploads count, and sends allow 3 a second: one account could fill the disk).
 */
import { readdir } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Attachment } from '@ecc/protocol';
import { uploadsDirOf } from '../src/attachments/storedFiles.ts';
import type { KyselyStore } from '../src/storage/kyselyStore.ts';
import { cid, connectAs, serverForSuite } from './support/chat.ts';
import { DIALECTS } from './support/databases.ts';
import { PNG } from './support/files.ts';

/** A PNG of exactly `size` bytes. */
const pngOf = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length)]);

for (const dialect of DIALECTS) {
  describe(`upload quota (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { limits: { maxAttachmentBytes: 4096, uploadQuotaBytes: 2500 } } });
    // The directory is made by the first upload.
    const files = () => readdir(uploadsDirOf(server.config.dataDir)).catch(() => [] as string[]);
    const newFiles = async (before: Set<string>) => (await files()).filter((name) => !before.has(name));

    async function upload(token: string, bytes: Buffer) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
      const res = await fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as Attachment & { error?: { code: string; message: string } } };
    }

    it('counts sent uploads too: past the bytes of the window the upload is 429 and nothing is stored; a day later it goes up', async () => {
      const alice = await connectAs(server, 'client1');
      const roomId = server.demo!.roomId;
      const before = new Set(await files());
      const sent: number[] = [];
      for (let i = 0; i < 2; i++) {
        const up = await upload(alice.token, pngOf(1000));
        expect(up.status).toBe(200);
        const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: up.body.id });
        sent.push(ack.message.id);
      }
      // 2,000 bytes stored: 1,000 more would pass 2,500; a smaller file still fits (bytes count, not files).
      const over = await upload(alice.token, pngOf(1000));
      expect(over.status).toBe(429);
      expect(over.body.error).toEqual({ code: 'RATE_LIMITED', message: 'You can upload at most 2500 bytes per day; try again later' });
      expect(Number(over.retryAfter)).toBeGreaterThan(23 * 3600);
      expect(await newFiles(before)).toHaveLength(2);
      expect((await upload(alice.token, pngOf(500))).status).toBe(200);
      // Used up exactly: even the smallest file is refused (before its body is read).
      expect((await upload(alice.token, PNG)).status).toBe(429);
      expect(await newFiles(before)).toHaveLength(3);
      // Others have their own quota.
      const bob = await server.login('cleaner1');
      expect((await upload(bob.token, pngOf(1000))).status).toBe(200);

      // A deleted message's file left the disk: its bytes no longer count.
      await alice.socket.expect('message_updated', { type: 'delete', messageId: sent[0]! });
      expect((await upload(alice.token, pngOf(1000))).status).toBe(200);
      expect((await upload(alice.token, pngOf(1000))).status).toBe(429);
      // A day later the uploads made then no longer count.
      const { db } = server.store as KyselyStore;
      await db.updateTable('attachments').set({ created_at: new Date(Date.now() - 25 * 3_600_000).toISOString() }).where('uploader_id', '=', alice.user.id).execute();
      expect((await upload(alice.token, pngOf(1000))).status).toBe(200);
      alice.socket.close();
    });

    it('uploads at once are checked in turn: no two both take the last room (every node: a lock per user)', async () => {
      // 1,000 bytes of cleaner1's are stored (above): room for one more 1,000-byte file, not two. The
      // store is asked directly, as nodes finishing uploads at the same moment would.
      const bob = await server.login('cleaner1');
      const quota = { since: new Date(Date.now() - 3_600_000), maxBytes: 2500 };
      const file = (i: number) => ({ roomId: server.demo!.roomId, uploaderId: bob.user.id, name: `${i}.png`, mime: 'image/png', size: 1000, storageKey: `k${i}` });
      const results = await Promise.all([0, 1, 2, 3].map((i) => server.store.createAttachmentWithinQuota(file(i), quota)));
      expect(results.filter((r) => 'stored' in r)).toHaveLength(1);
      expect((await upload(bob.token, pngOf(600))).status).toBe(429);
    });
  });
}
