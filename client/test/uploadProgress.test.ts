// @vitest-environment jsdom
/**
 * The browser's upload: `uploadAttachment` with `onProgress` goes through XMLHttpRequest (jsdom's
 * here, against the real server on the page's own origin), the one way a page can watch a body go
 * up; it must report progress, stop on its signal, and fail with the same errors as `fetch` would.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '@ecc/server/testing';
import { ApiClient, HttpChatError } from '../src/index.ts';

declare const jsdom: { reconfigure(settings: { url: string }): void; window: { _origin: string } };

// The smallest file the server types as a PDF (by its first bytes), padded to a few chunks.
const pdf = (bytes: number) => new Blob([`%PDF-1.4\n${' '.repeat(bytes)}\n%%EOF\n`], { type: 'application/pdf' });

let server: TestServer;
let roomId = 0;
const signedIn = async (username = 'client1') => {
  const api = new ApiClient({ baseUrl: server.url });
  await api.login(username, 'demo');
  return api;
};

beforeAll(async () => {
  // 200 KB per file and 300 KB per window: a 413 and a 429 without large bodies.
  server = await startTestServer({ config: { limits: { maxAttachmentBytes: 200_000, uploadQuotaBytes: 300_000 } } });
  roomId = server.demo?.roomId ?? 0;
  // The page's origin is the server's: the app is served by it (no CORS in the way).
  jsdom.reconfigure({ url: `${server.url}/` });
  // jsdom's XMLHttpRequest takes its origin from the window, which reconfigure leaves as it was.
  jsdom.window._origin = server.url;
});
afterAll(() => server.close());

it('reports the bytes sent as the file goes up, ending with all of them', async () => {
  const api = await signedIn();
  const seen: [number, number][] = [];
  const attachment = await api.uploadAttachment(roomId, pdf(150_000), 'plan.pdf', { onProgress: (sent, total) => seen.push([sent, total]) });
  expect(attachment).toMatchObject({ name: 'plan.pdf', mime: 'application/pdf' });
  expect(seen.length).toBeGreaterThan(0);
  const [sent, total] = seen.at(-1) ?? [0, 0];
  expect(total).toBeGreaterThan(150_000);
  expect(sent).toBe(total);
});

it('fails as fetch does: 413 TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, 401 UNAUTHORIZED, 429 RATE_LIMITED with Retry-After', async () => {
  const api = await signedIn();
  const progress = { onProgress: () => undefined };
  const failure = (p: Promise<unknown>) => p.then(() => null, (err: unknown) => err);

  const tooLarge = await failure(api.uploadAttachment(roomId, pdf(250_000), 'big.pdf', progress));
  expect(tooLarge).toBeInstanceOf(HttpChatError);
  expect(tooLarge).toMatchObject({ code: 'TOO_LARGE', status: 413 });

  const script = new Blob(['<script>alert(1)</script>'], { type: 'image/png' });
  expect(await failure(api.uploadAttachment(roomId, script, 'x.png', progress))).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', status: 415 });

  const stranger = new ApiClient({ baseUrl: server.url, token: 'not-a-session' });
  expect(await failure(stranger.uploadAttachment(roomId, pdf(10), 'a.pdf', progress))).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });

  // Bob's 140 KB twice nearly fill his 300 KB window; a third is refused until the window moves on.
  const bob = await signedIn('cleaner1');
  await bob.uploadAttachment(roomId, pdf(140_000), 'one.pdf', progress);
  await bob.uploadAttachment(roomId, pdf(140_000), 'two.pdf', progress);
  const limited = await failure(bob.uploadAttachment(roomId, pdf(140_000), 'three.pdf', progress));
  expect(limited).toMatchObject({ code: 'RATE_LIMITED', status: 429 });
  expect((limited as HttpChatError).retryAfterSeconds).toBeGreaterThan(0);
});

it('stops when its signal is aborted, rejecting with the abort', async () => {
  const api = await signedIn();
  const controller = new AbortController();
  const upload = api.uploadAttachment(roomId, pdf(100_000), 'gone.pdf', { onProgress: () => controller.abort(), signal: controller.signal });
  await expect(upload).rejects.toMatchObject({ name: 'AbortError' });
});

it('reaches a server that is down as UNAVAILABLE', async () => {
  const api = new ApiClient({ baseUrl: 'http://127.0.0.1:1' });
  await expect(api.uploadAttachment(roomId, pdf(10), 'a.pdf', { onProgress: () => undefined })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
});
