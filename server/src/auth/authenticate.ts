/**
 * Who is asking: a session found by the Bearer token or the session cookie.
 * Used by every authenticated HTTP route and by the WebSocket upgrade.
 */
import type { IncomingMessage } from 'node:http';
import { SESSION_COOKIE } from '@ecc/protocol';
import type { Session, Store } from '../storage/store.ts';
import { parseCookies } from '../http/cookies.ts';
import { hashToken } from './tokens.ts';

export interface Authenticated extends Session {
  /** How the token arrived: cookies need an Origin check on state changes, Bearer tokens do not. */
  via: 'bearer' | 'cookie';
  tokenHash: string;
}

/** The token of a request (Bearer wins over the cookie), or null. */
export function requestToken(req: IncomingMessage): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = req.headers.authorization;
  if (header) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (match?.[1]) return { token: match[1], via: 'bearer' };
  }
  const cookie = parseCookies(req.headers.cookie).get(SESSION_COOKIE);
  if (cookie) return { token: cookie, via: 'cookie' };
  return null;
}

/** The live session of the request, or null when there is no valid token. */
export async function authenticate(req: IncomingMessage, store: Store): Promise<Authenticated | null> {
  const found = requestToken(req);
  if (!found || found.token.length > 512) return null;
  const tokenHash = hashToken(found.token);
  const session = await store.findSession(tokenHash);
  if (!session) return null;
  return { ...session, via: found.via, tokenHash };
}
