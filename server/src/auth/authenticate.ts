/**
 * Who is asking: a session found by the Bearer token or the session cookie.
 * Used by every authenticated HTTP route and by the WebSocket upgrade.
 */
import type { IncomingMessage } from 'node:http';
import type { Session, Store } from '../storage/store.ts';
import { sessionTokenFromCookies } from '../http/cookies.ts';
import { isSecureConnection } from '../http/security.ts';
import { hashToken } from './tokens.ts';

export interface Authenticated extends Session {
  /** How the token arrived: cookies need an Origin check on state changes, Bearer tokens do not. */
  via: 'bearer' | 'cookie';
  tokenHash: string;
}

/** The token of a request (Bearer wins over the cookie; over TLS only the `__Host-` cookie), or null. */
export function requestToken(req: IncomingMessage, trustProxy: boolean): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1]) return { token: match[1], via: 'bearer' };
  }
  const cookie = sessionTokenFromCookies(req.headers.cookie, isSecureConnection(req, trustProxy));
  if (cookie) return { token: cookie, via: 'cookie' };
  return null;
}

/** The live session of the request, or null when there is no valid token. */
export async function authenticate(req: IncomingMessage, store: Store, trustProxy: boolean): Promise<Authenticated | null> {
  const found = requestToken(req, trustProxy);
  if (!found || found.token.length > 512) return null;
  const tokenHash = hashToken(found.token);
  const session = await store.findSession(tokenHash);
  if (!session) return null;
  return { ...session, via: found.via, tokenHash };
}
