/** Cookie parsing and the session cookie's attributes. */
import { SESSION_COOKIE } from '@ecc/protocol';

/** Parses a Cookie header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (!header) return cookies;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (cookies.has(name)) continue;
    let value = part.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      cookies.set(name, decodeURIComponent(value));
    } catch {
      cookies.set(name, value);
    }
  }
  return cookies;
}

/**
 * The session cookie's name over TLS. Browsers keep a `__Host-` cookie only when our exact
 * origin set it Secure, with Path=/ and no Domain, so a sibling subdomain or a plain-http
 * attacker cannot plant one (login fixation). Browsers refuse the prefix without Secure,
 * so plain http keeps SESSION_COOKIE.
 */
export const HOST_SESSION_COOKIE = `__Host-${SESSION_COOKIE}`;

function sessionCookieName(secure: boolean): string {
  return secure ? HOST_SESSION_COOKIE : SESSION_COOKIE;
}

/**
 * The session token in a Cookie header. Over TLS only the `__Host-` cookie counts: a plain
 * one there may have been planted from a sibling subdomain or over http, and accepting it
 * when the `__Host-` one is missing (a signed-out visitor) would keep the fixation open.
 * Sessions issued over TLS before the prefix sign in once more. Over plain http the
 * `__Host-` cookie (if the browser sends it) still wins, then the plain one.
 */
export function sessionTokenFromCookies(header: string | undefined, secure: boolean): string | undefined {
  const cookies = parseCookies(header);
  const pinned = cookies.get(HOST_SESSION_COOKIE);
  if (pinned || secure) return pinned || undefined;
  return cookies.get(SESSION_COOKIE) || undefined;
}

/**
 * The session tokens a logout ends: the cookie under either name. Over TLS the plain one signs
 * nobody in (it may have been planted), but it may hold the user's session from before the
 * prefix, and the logout clears it: its session must end with it. Ending a planted session
 * gives nobody access, so this is for logout only.
 */
export function sessionTokensToEnd(header: string | undefined): string[] {
  const cookies = parseCookies(header);
  const tokens = [cookies.get(HOST_SESSION_COOKIE), cookies.get(SESSION_COOKIE)].filter((t): t is string => !!t);
  return [...new Set(tokens)];
}

/** Set-Cookie value for a new session: HttpOnly, SameSite=Lax, Path=/ (Secure and `__Host-` over TLS). */
export function sessionCookie(token: string, maxAgeMs: number, secure: boolean): string {
  return sessionCookieValue(sessionCookieName(secure), encodeURIComponent(token), Math.floor(maxAgeMs / 1000), secure);
}

/** Set-Cookie values that remove the session cookie: over TLS both names (the plain one may predate the prefix). */
export function clearedSessionCookies(secure: boolean): string[] {
  const names = secure ? [HOST_SESSION_COOKIE, SESSION_COOKIE] : [SESSION_COOKIE];
  return names.map((name) => sessionCookieValue(name, '', 0, secure));
}

/** One Set-Cookie value with the session cookie's attributes (a cleared one must match them to replace it). */
function sessionCookieValue(name: string, value: string, maxAgeSeconds: number, secure: boolean): string {
  return [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax', `Max-Age=${maxAgeSeconds}`, ...(secure ? ['Secure'] : [])].join('; ');
}
