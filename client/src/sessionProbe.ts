/**
 * Whether the server has stopped taking this browser's session, asked over
 * HTTP. A browser does not say why a WebSocket upgrade failed: a 401 (the
 * session expired or was ended while the user was offline) looks exactly like
 * a server that is down (close 1006), and the client would reconnect forever
 * while the user's queued messages show as sending. `GET /api/me` with the
 * same credentials as the socket (the cookie) tells the two apart.
 */

/** How long the question may take; a server too slow to answer is not a verdict. */
const PROBE_TIMEOUT_MS = 10_000;

/** True only when the server answers 401; anything else (down, slow, no fetch) is not proof. */
export async function sessionEnded(baseUrl: string): Promise<boolean> {
  if (typeof globalThis.fetch !== 'function') return false;
  const url = new URL('/api/me', baseUrl);
  if (url.protocol === 'ws:') url.protocol = 'http:';
  else if (url.protocol === 'wss:') url.protocol = 'https:';
  try {
    const response = await fetch(url, { credentials: 'include', signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return response.status === 401;
  } catch {
    return false;
  }
}
