/** Uploads: size and type limits, participants only, and safe serving headers. */
import http from 'node:http';
import { readdir, readlink } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import type { Attachment } from '@ecc/protocol';
import { uploadsDirOf } from '../src/attachments/storedFiles.ts';
import { cid, connectAs, serverForSuite } from './support/chat.ts';
import { PDF, PNG } from './support/files.ts';


describe('attachments', () => {
  const server = serverForSuite({ config: { limits: { maxAttachmentBytes: 4096, maxUnsentUploads: 2 } } });
  const uploadsDir = () => uploadsDirOf(server.config.dataDir);

  async function upload(token: string, roomId: number, bytes: Buffer, name: string, type = 'application/octet-stream') {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    const res = await fetch(`${server.url}/api/rooms/${roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    return { status: res.status, body: (await res.json()) as Attachment & { error?: { code: string } } };
  }

  it('stores an image decided by its bytes, and a message can carry it', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const up = await upload(alice.token, roomId, PNG, '../../secret/kitchen.png', 'text/html');
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ name: 'kitchen.png', mime: 'image/png', size: PNG.length });
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: up.body.id });
    expect(ack.message.type).toBe('image');
    expect(ack.message.attachment?.id).toBe(up.body.id);
    const got = await bob.socket.next('message', (f) => f.message.id === ack.message.id);
    // A reply to a photo sent without text says what it answers (an empty excerpt reads as deleted).
    const reply = await bob.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Thanks!', replyToId: ack.message.id });
    expect(reply.message.replyTo).toMatchObject({ id: ack.message.id, excerpt: '📷 Photo' });
    const page = await bob.socket.expect('history', { type: 'history', roomId, limit: 1 });
    expect(page.messages[0]?.replyTo?.excerpt).toBe('📷 Photo');
    const file = await fetch(`${server.url}${got.message.attachment!.url}`, { headers: { Authorization: `Bearer ${bob.token}` } });
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(file.headers.get('content-security-policy')).toBe("default-src 'none'; sandbox");
    expect(file.headers.get('content-disposition')).toMatch(/^inline; filename="kitchen.png"; filename\*=UTF-8''kitchen.png$/);
    expect(Buffer.from(await file.arrayBuffer())).toEqual(PNG);
    // Revalidated on every view (a deleted photo must not live on in a cache); unchanged, it costs a 304.
    expect(file.headers.get('cache-control')).toBe('private, no-cache');
    const etag = file.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[a-f0-9]{32}"$/);
    const again = await fetch(`${server.url}${got.message.attachment!.url}`, { headers: { Authorization: `Bearer ${bob.token}`, 'If-None-Match': etag } });
    expect(again.status).toBe(304);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
    alice.socket.close();
    bob.socket.close();
  });

  it('a name shows what it holds: bidi marks and invisible characters are removed', async () => {
    // U+061C reorders the text around it (as U+200F, removed already); U+200B hides inside a name.
    const alice = await server.login('client1');
    const up = await upload(alice.token, server.demo!.roomId, PDF, 'receipt\u061C\u200Bfdp.exe.pdf');
    expect(up.body.name).toBe('receiptfdp.exe.pdf');
  });

  it('reads a name as browsers write it in the form: their %22 for a quote and %0D%0A for a line break are not shown as such', async () => {
    const alice = await server.login('client1');
    // Sent as `filename="Angebot %22final%22 v2.pdf"` (the HTML form encoding; a quote would end the field).
    const up = await upload(alice.token, server.demo!.roomId, PDF, 'Angebot "final" v2.pdf');
    expect(up.body.name).toBe('Angebot final v2.pdf');
    expect((await upload(alice.token, server.demo!.roomId, PDF, 'two\r\nlines.pdf')).body.name).toBe('twolines.pdf');
    // A percent sign the name itself holds is kept.
    expect((await upload(alice.token, server.demo!.roomId, PDF, '100%25 done.pdf')).body.name).toBe('100%25 done.pdf');
  });

  it('PDFs are served as downloads with an RFC 5987 name', async () => {
    const alice = await server.login('client1');
    const up = await upload(alice.token, server.demo!.roomId, PDF, 'Rechnung März.pdf');
    expect(up.status).toBe(200);
    const file = await fetch(`${server.url}${up.body.url}`, { headers: { Authorization: `Bearer ${alice.token}` } });
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.headers.get('content-disposition')).toBe(`attachment; filename="Rechnung M_rz.pdf"; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf`);
  });

  it('413 over the size limit, 415 for other types (HTML, SVG) whatever the declared type', async () => {
    const alice = await server.login('client1');
    const roomId = server.demo!.roomId;
    const big = await upload(alice.token, roomId, Buffer.concat([PNG, Buffer.alloc(5000)]), 'big.png', 'image/png');
    expect(big.status).toBe(413);
    expect(big.body.error?.code).toBe('TOO_LARGE');
    const oneOver = await upload(alice.token, roomId, Buffer.concat([PNG, Buffer.alloc(4097 - PNG.length)]), 'one-over.png', 'image/png');
    expect(oneOver.status).toBe(413);
    // The limit itself is allowed ("at most 4096 bytes").
    const exact = await upload(alice.token, roomId, Buffer.concat([PNG, Buffer.alloc(4096 - PNG.length)]), 'exact.png', 'image/png');
    expect(exact.status).toBe(200);
    expect(exact.body.size).toBe(4096);
    const html = await upload(alice.token, roomId, Buffer.from('<html><script>alert(1)</script></html>'), 'x.png', 'image/png');
    expect(html.status).toBe(415);
    expect(html.body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const svg = await upload(alice.token, roomId, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), 'x.svg', 'image/svg+xml');
    expect(svg.status).toBe(415);
  });

  it('a body that is not multipart/form-data is 415 and stores nothing', async () => {
    const alice = await server.login('client1');
    const before = new Set(await readdir(uploadsDir()));
    const post = (headers: Record<string, string>, body: Uint8Array<ArrayBuffer>) =>
      fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}`, ...headers }, body });
    for (const type of ['image/png', 'application/octet-stream', 'application/x-www-form-urlencoded']) {
      const res = await post({ 'Content-Type': type }, new Uint8Array(PNG));
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toEqual({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        message: 'Upload the file as multipart/form-data, in field "file"',
      });
    }
    // No Content-Type at all cannot be a form either.
    expect((await post({}, new Uint8Array(PNG))).status).toBe(415);
    // A multipart type without its boundary is a malformed request.
    expect((await post({ 'Content-Type': 'multipart/form-data' }, new Uint8Array(PNG))).status).toBe(400);
    expect((await readdir(uploadsDir())).filter((name) => !before.has(name))).toEqual([]);
    expect((await upload(alice.token, server.demo!.roomId, PNG, 'after.png')).status).toBe(200);
  });

  it('non-participants can neither upload to a room nor fetch its files', async () => {
    const alice = await connectAs(server, 'client1');
    const dan = await server.login('cleaner2');
    const roomId = server.demo!.roomId;
    expect((await upload(dan.token, roomId, PNG, 'a.png')).status).toBe(403);
    const up = await upload(alice.token, roomId, PNG, 'b.png');
    await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: up.body.id });
    alice.socket.close();
    const res = await fetch(`${server.url}${up.body.url}`, { headers: { Authorization: `Bearer ${dan.token}` } });
    expect(res.status).toBe(403);
    expect((await fetch(`${server.url}${up.body.url}`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/attachments/999999`, { headers: { Authorization: `Bearer ${alice.token}` } })).status).toBe(404);
  });

  it('uploads never sent are kept up to the limit: the oldest goes, from the disk too', async () => {
    // Nothing else removes an upload no message carries: uploading without sending filled the disk.
    const carol = await server.login('client2');
    const { room } = (await (await fetch(`${server.url}/api/support`, { method: 'POST', headers: { Authorization: `Bearer ${carol.token}` } })).json()) as { room: { id: number } };
    const before = new Set(await readdir(uploadsDir()));
    const uploads: Attachment[] = [];
    for (let i = 0; i < 3; i++) uploads.push((await upload(carol.token, room.id, PNG, `draft-${i}.png`)).body);
    const fetchAs = (a: Attachment) => fetch(`${server.url}${a.url}`, { headers: { Authorization: `Bearer ${carol.token}` } }).then((r) => r.status);
    expect(await Promise.all(uploads.map(fetchAs))).toEqual([404, 200, 200]);
    await vi.waitFor(async () => expect((await readdir(uploadsDir())).filter((name) => !before.has(name))).toHaveLength(2));
    const socket = await connectAs(server, 'client2');
    expect(await socket.socket.expectError({ type: 'send', roomId: room.id, clientId: cid(), content: '', attachmentId: uploads[0]!.id })).toBe('BAD_REQUEST');
    await socket.socket.expect('ack', { type: 'send', roomId: room.id, clientId: cid(), content: '', attachmentId: uploads[1]!.id });
    socket.socket.close();
  });

  it('a form field besides the file over 1 KiB is refused (400): fields are held in memory', async () => {
    // At busboy's default (1 MiB a field) every upload left open mid-field held a megabyte of the server.
    const alice = await server.login('client1');
    const send = async (note: string) => {
      const form = new FormData();
      form.append('note', note);
      form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'with-note.png');
      const res = await fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}` }, body: form });
      return res.status;
    };
    expect(await send('x'.repeat(1025))).toBe(400);
    expect(await send('x'.repeat(1024))).toBe(200);
  });

  it('an upload of more than one file is refused (400) and leaves none of them stored', async () => {
    // The contract takes one file; the second was dropped unsaid, so the user believed both were sent.
    const alice = await server.login('client1');
    const stored = () => readdir(uploadsDir()).catch(() => [] as string[]);
    const before = new Set(await stored());
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'first.png');
    form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'second.pdf');
    const res = await fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${alice.token}` }, body: form });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    await vi.waitFor(async () => expect((await stored()).filter((name) => !before.has(name))).toEqual([]));
  });

  it('an upload no message carries yet is its uploader\'s alone: anyone else gets 404, as for no file at all', async () => {
    // Files upload when picked: a photo picked by mistake (someone else's keys, a bank card) was
    // fetchable by the other participant through its id before it was ever sent.
    const alice = await connectAs(server, 'client1');
    const bob = await server.login('cleaner1');
    const dan = await server.login('cleaner2');
    const roomId = server.demo!.roomId;
    const as = (token: string, method = 'GET') => (a: Attachment) => fetch(`${server.url}${a.url}`, { method, headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
    const draft = (await upload(alice.token, roomId, PNG, 'not-yet.png')).body;
    expect(await as(alice.token)(draft)).toBe(200);
    expect(await as(bob.token)(draft)).toBe(404);
    expect(await as(bob.token, 'HEAD')(draft)).toBe(404);
    expect(await as(dan.token)(draft)).toBe(404);
    expect(await as(bob.token, 'DELETE')(draft)).toBe(404);
    expect(await as(dan.token, 'DELETE')(draft)).toBe(404);
    await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: draft.id });
    expect(await as(bob.token)(draft)).toBe(200);
    expect(await as(dan.token)(draft)).toBe(403);
    expect(await as(bob.token, 'DELETE')(draft)).toBe(403);
    alice.socket.close();
  });

  it('its uploader takes back a file not sent yet: gone for everyone and from the disk; a sent one stays', async () => {
    // Files upload when picked: one removed from the composer must not stay for the room to find.
    const alice = await connectAs(server, 'client1');
    const bob = await server.login('cleaner1');
    const dan = await server.login('cleaner2');
    const roomId = server.demo!.roomId;
    const as = (token: string, method = 'GET') => (a: Attachment) => fetch(`${server.url}${a.url}`, { method, headers: { Authorization: `Bearer ${token}` } }).then((r) => r.status);
    const before = new Set(await readdir(uploadsDir()));
    const wrong = (await upload(alice.token, roomId, PNG, 'wrong-photo.png')).body;
    const added = (await readdir(uploadsDir())).filter((name) => !before.has(name));
    expect(added).toHaveLength(1);
    expect(await as(bob.token, 'DELETE')(wrong)).toBe(404);
    expect(await as(dan.token, 'DELETE')(wrong)).toBe(404);
    expect(await as(alice.token)(wrong)).toBe(200);
    expect(await as(alice.token, 'DELETE')(wrong)).toBe(204);
    expect(await as(bob.token)(wrong)).toBe(404);
    expect(await as(alice.token)(wrong)).toBe(404);
    expect(await as(alice.token, 'DELETE')(wrong)).toBe(404);
    await vi.waitFor(async () => expect(await readdir(uploadsDir())).not.toContain(added[0]));
    expect(await alice.socket.expectError({ type: 'send', roomId, clientId: cid(), content: '', attachmentId: wrong.id })).toBe('BAD_REQUEST');
    const right = (await upload(alice.token, roomId, PNG, 'right-photo.png')).body;
    await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: right.id });
    expect(await as(alice.token, 'DELETE')(right)).toBe(409);
    expect(await as(bob.token)(right)).toBe(200);
    alice.socket.close();
  });

  it('deleting the message removes its file: the link answers 404 and nothing stays on disk', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await server.login('cleaner1');
    const roomId = server.demo!.roomId;
    const before = new Set(await readdir(uploadsDir()));
    const up = await upload(alice.token, roomId, PNG, 'door-code.png');
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: '', attachmentId: up.body.id });
    const stored = (await readdir(uploadsDir())).filter((name) => !before.has(name));
    expect(stored).toHaveLength(1);
    const deleted = await alice.socket.expect('message_updated', { type: 'delete', messageId: ack.message.id });
    expect(deleted.message.attachment).toBeNull();
    const res = await fetch(`${server.url}${up.body.url}`, { headers: { Authorization: `Bearer ${bob.token}` } });
    expect(res.status).toBe(404);
    await vi.waitFor(async () => expect(await readdir(uploadsDir())).not.toContain(stored[0]));
    alice.socket.close();
  });

  it('a tiny file written before the body ends is refused (415) and the server goes on', async () => {
    // The file part ends (and is typed) while the rest of the body is still on its way:
    // this refusal once rejected a promise nothing listened to yet, which ends a Node process.
    const alice = await server.login('client1');
    const boundary = 'tiny-file-boundary';
    const req = http.request(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
    });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
    });
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\nhello\r\n`);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n`);
    await new Promise((resolve) => setTimeout(resolve, 300));
    req.end(`x\r\n--${boundary}--\r\n`);
    const answer = await response;
    expect(answer.status).toBe(415);
    expect(JSON.parse(answer.body).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect((await upload(alice.token, server.demo!.roomId, PNG, 'after.png')).status).toBe(200);
  });

  it('an upload cut off mid-file leaves neither the file nor an open descriptor behind', async () => {
    // Each abandoned upload once kept its (unlinked) file open: its disk space stayed taken and
    // descriptors piled up until the server could accept no more connections.
    const alice = await server.login('client1');
    const before = new Set(await readdir(uploadsDir()));
    const boundary = 'cut-off-boundary';
    const req = http.request(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${alice.token}`, 'Content-Type': `multipart/form-data; boundary=${boundary}`, 'Content-Length': '4000' },
    });
    req.on('error', () => undefined);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\n`);
    req.write(Buffer.concat([PNG, Buffer.alloc(1000)]));
    await vi.waitFor(async () => expect((await readdir(uploadsDir())).filter((name) => !before.has(name))).toHaveLength(1));
    req.destroy();
    await vi.waitFor(async () => {
      expect((await readdir(uploadsDir())).filter((name) => !before.has(name))).toEqual([]);
      expect(await openUploads()).toEqual([]);
    });
    expect((await upload(alice.token, server.demo!.roomId, PNG, 'after.png')).status).toBe(200);
  });

  /** Files under the uploads directory this process holds open (Linux: /proc/self/fd). */
  async function openUploads(): Promise<string[]> {
    const fds = await readdir('/proc/self/fd');
    const targets = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
    return targets.filter((target) => target.startsWith(uploadsDir()));
  }
});
