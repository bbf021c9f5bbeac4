/**
 * A photo's size in pixels travels with it (Attachment.width/height, read from its header on
 * upload): the web app reserves the photo's own shape in the bubble before it loads, instead of
 * cropping every photo to one box. Stored with the upload: on both databases, live and in history.
 */
import { describe, expect, it } from 'vitest';
import type { Attachment } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { cid, connectAs, serverForSuite } from './support/chat.ts';
import { PDF, PNG } from './support/files.ts';
import { exifSegment, JFIF, jpeg, jpegFrame, png } from './support/images.ts';

describe.each(DIALECTS)('photo sizes (%s)', (dialect) => {
  const server = serverForSuite({ dialect });

  async function upload(token: string, bytes: Buffer, name: string) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), name);
    const res = await fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(200);
    return (await res.json()) as Attachment;
  }

  it("a sent photo carries its width and height — a sideways phone photo as it is shown — to everyone, live and in history", async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    // A panorama of the wall; a portrait stored landscape with EXIF orientation 6 (turned a quarter when shown).
    const wide = await upload(alice.token, png(3200, 800), 'wall.png');
    const turned = await upload(alice.token, jpeg(exifSegment(6), JFIF, jpegFrame(4032, 3024)), 'note.jpg');
    expect(wide).toMatchObject({ width: 3200, height: 800 });
    expect(turned).toMatchObject({ width: 3024, height: 4032 });
    const sent: number[] = [];
    for (const up of [wide, turned]) {
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: up.id });
      expect(ack.message.attachment).toEqual(up);
      const live = await bob.socket.next('message', (f) => f.message.id === ack.message.id);
      expect(live.message.attachment).toMatchObject({ width: up.width, height: up.height });
      sent.push(ack.message.id);
    }
    const page = await bob.socket.expect('history', { type: 'history', roomId, limit: 2 });
    expect(page.messages.map((m) => [m.id, m.attachment?.width, m.attachment?.height])).toEqual([
      [sent[0], 3200, 800],
      [sent[1], 3024, 4032],
    ]);
    // The room's last message, as a reconnecting tab gets it.
    const again = await connectAs(server, 'cleaner1');
    expect(again.ready.rooms.find((r) => r.id === roomId)?.lastMessage?.attachment).toMatchObject({ width: 3024, height: 4032 });
    for (const s of [alice.socket, bob.socket, again.socket]) s.close();
  });

  it('a file whose size cannot be read (a PDF, an image with a header it does not state plainly) carries neither key', async () => {
    const alice = await connectAs(server, 'client1');
    const roomId = server.demo!.roomId;
    for (const [bytes, name] of [[PDF, 'quote.pdf'], [PNG, 'odd.png'], [jpeg(JFIF), 'cut.jpg']] as const) {
      const up = await upload(alice.token, bytes, name);
      expect(Object.keys(up)).not.toContain('width');
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: up.id });
      expect(ack.message.attachment).toEqual(up);
      expect(ack.message.attachment).not.toHaveProperty('height');
    }
    alice.socket.close();
  });
});
