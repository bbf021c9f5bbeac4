/**
 * An image's size in pixels, stored with its upload (migration 013, Attachment.width/height). An upload
 * stored before the upgrade (or by an older node) has none: its messages carry neither key, as before.
 */
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.ts';
import { storeFixture } from './fixture.ts';
import { runStatements } from './rawStatements.ts';
import { aliceAndBob, send, text } from './people.ts';

for (const dialect of DIALECTS) {
  describe(`an image's size, stored with its upload (${dialect})`, () => {
    const fixture = storeFixture(dialect, aliceAndBob);

    it('an upload with a size carries it in its message, in history and as the last message; one without carries neither key', async () => {
      const { store, alice, bob, roomId } = fixture;
      const wide = await store.createAttachment({ roomId, uploaderId: alice.id, name: 'wall.jpg', mime: 'image/jpeg', size: 10, storageKey: 'k1', pixels: { width: 3200, height: 800 } });
      const unknown = await store.createAttachment({ roomId, uploaderId: alice.id, name: 'quote.pdf', mime: 'application/pdf', size: 20, storageKey: 'k2' });
      expect(wide).toMatchObject({ width: 3200, height: 800 });
      expect((await store.getAttachment(wide.id))?.width).toBe(3200);
      const photo = await send(store, text(roomId, alice, '', { attachmentId: wide.id }));
      const file = await send(store, text(roomId, alice, '', { attachmentId: unknown.id }));
      expect(photo.attachment).toEqual({ id: wide.id, name: 'wall.jpg', mime: 'image/jpeg', size: 10, url: `/api/attachments/${wide.id}`, width: 3200, height: 800 });
      expect(file.attachment).not.toHaveProperty('width');
      expect(file.attachment).not.toHaveProperty('height');
      const page = await store.history({ roomId, limit: 10 });
      expect(page.messages).toEqual([photo, file]);
      const again = await send(store, text(roomId, alice, '', { attachmentId: (await store.createAttachment({ roomId, uploaderId: alice.id, name: 'b.png', mime: 'image/png', size: 1, storageKey: 'k3', pixels: { width: 1, height: 2 } })).id }));
      expect((await store.listRoomsFor(bob.id)).rooms.find((r) => r.id === roomId)?.lastMessage?.attachment).toEqual(again.attachment);
      expect(again.attachment).toMatchObject({ width: 1, height: 2 });
    });

    it('an upload stored before the upgrade has no size; one stored after has its own', async () => {
      const { db, store, alice, roomId } = fixture;
      await runStatements(db, [
        'alter table attachments drop column width',
        'alter table attachments drop column height',
        "delete from schema_migrations where id = '013_attachments_pixels'",
        // An older node's upload.
        `insert into attachments (room_id, uploader_id, name, mime, size, storage_key, message_id, created_at)
           values (${roomId}, ${alice.id}, 'early.png', 'image/png', 5, 'k0', null, '2026-01-01T00:00:00.000Z')`,
      ]);

      await store.migrate();

      // The first upload of this fresh store.
      const early = await store.getAttachment(1);
      expect(early).toMatchObject({ name: 'early.png' });
      expect(early).not.toHaveProperty('width');
      const earlyMessage = await send(store, text(roomId, alice, '', { attachmentId: early!.id }));
      expect(earlyMessage.attachment).toEqual({ id: early!.id, name: 'early.png', mime: 'image/png', size: 5, url: `/api/attachments/${early!.id}` });
      const late = await store.createAttachment({ roomId, uploaderId: alice.id, name: 'late.png', mime: 'image/png', size: 5, storageKey: 'k9', pixels: { width: 640, height: 480 } });
      const lateMessage = await send(store, text(roomId, alice, '', { attachmentId: late.id }));
      expect(lateMessage.attachment).toMatchObject({ width: 640, height: 480 });
      expect((await store.history({ roomId, limit: 2 })).messages.map((m) => m.attachment)).toEqual([earlyMessage.attachment, lateMessage.attachment]);
    });
  });
}
