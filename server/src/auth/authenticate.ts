/**
 * Who is asking: a session found by the Bearer token or the session cookie.
 * Used by every authenticated HTTP route and by the WebSocket upgrade.
 */
import type { IncomingMessage } from 'node:http';
import type { Session, Store } from '../storage/store.ts';
import { sessionTokenFromCookies, sessionTokensToEnd } from '../http/cookies.ts';
import { isSecureConnection } from '../http/security.ts';
import { hashToken } from './tokens.ts';

export interface Authenticated extends Session {
  /** How the token arrived: cookies need an Origin check on state changes, Bearer tokens do not. */
  via: 'bearer' | 'cookie';
  tokenHash: string;
}

/** The token of a request (Bearer wins over the cookie; over TLS only the `__Host-` cookie), or null. */
export function requestToken(req: IncomingMessage, trustProxy: boolean): { token: string; via: 'bearer' | 'cookie' } | null {
  const bearer = bearerToken(req);
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookie = sessionTokenFromCookies(req.headers.cookie, isSecureConnection(req, trustProxy));
  if (cookie) return { token: cookie, via: 'cookie' };
  return null;
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization;
  if (!header) return undefined;
  return /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
}

/** The live session of the request, or null when there is no valid token. */
export async function authenticate(req: IncomingMessage, store: Store, trustProxy: boolean): Promise<Authenticated | null> {
  const found = requestToken(req, trustProxy);
  return found ? findSession(store, found.token, found.via) : null;
}

/**
 * The live sessions a logout ends: the Bearer token's (it wins, as everywhere), else those of the
 * session cookie under either name — over TLS the plain-named one too (cookies.ts `sessionTokensToEnd`).
 */
export async function sessionsToEnd(req: IncomingMessage, store: Store): Promise<Authenticated[]> {
  const bearer = bearerToken(req);
  const found = bearer
    ? [findSession(store, bearer, 'bearer')]
    : sessionTokensToEnd(req.headers.cookie).map((token) => findSession(store, token, 'cookie'));
  const sessions = await Promise.all(found);
  return sessions.filter((s): s is Authenticated => s !== null);
}

async function findSession(store: Store, token: string, via: Authenticated['via']): Promise<Authenticated | null> {
  if (token.length > 512) return null;
  const tokenHash = hashToken(token);
  const session = await store.findSession(tokenHash);
  if (!session) return null;
  return { ...session, via, tokenHash };
}
