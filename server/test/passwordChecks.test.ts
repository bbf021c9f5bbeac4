/**
 * Password checks (scrypt) run on libuv's thread pool, as does every file the server opens. A burst of
 * sign-ins from one address — 50 wrong passwords, no account needed, all within the throttle — must not
 * hold every thread, or each download and upload of every user waits behind it.
 */
import { describe, expect, it } from 'vitest';
import type { Attachment } from '@ecc/protocol';
import { serverForSuite } from './support/chat.ts';
import { PNG } from './support/files.ts';

const BURST = 50;

describe('password checks beside file access', () => {
  const server = serverForSuite();

  async function uploadPng(token: string): Promise<Attachment> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)]), 'keys.png');
    const res = await fetch(`${server.url}/api/rooms/${server.demo!.roomId}/attachments`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: form });
    expect(res.status).toBe(200);
    return (await res.json()) as Attachment;
  }

  it('a download is served while a burst of wrong sign-ins is being checked', async () => {
    const alice = await server.login('client1');
    const photo = await uploadPng(alice.token);
    let answered = 0;
    const burst = Array.from({ length: BURST }, (_, i) =>
      fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: `guess-${i}`, password: 'wrong' }),
      }).then(async (res) => {
        await res.arrayBuffer();
        answered += 1;
        return res.status;
      }),
    );
    // Once one check has finished, the others have long arrived and wait for theirs.
    await Promise.race(burst);
    const download = await fetch(`${server.url}${photo.url}`, { headers: { Authorization: `Bearer ${alice.token}` } });
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);
    const answeredBeforeDownload = answered;
    expect(await Promise.all(burst)).toEqual(Array.from({ length: BURST }, () => 401));
    // Queued behind every check, the download came after nearly all of them (47 of 50 on a 2-core machine).
    expect(answeredBeforeDownload).toBeLessThan(BURST / 2);
  });
});
