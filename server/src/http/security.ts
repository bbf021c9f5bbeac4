/** Security headers and the Origin check shared by HTTP (CSRF) and the WebSocket upgrade. */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** CSP of the web app: only our own scripts, styles inline for React style props, our own socket. */
export const APP_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** A year: browsers that saw our https answers keep to https that long (no subdomains: not ours to promise). */
const HSTS = 'max-age=31536000';

/** Headers every response carries (HSTS on those that came over TLS). */
export function setBaseSecurityHeaders(req: IncomingMessage, res: ServerResponse, trustProxy: boolean): void {
  if (isSecureConnection(req, trustProxy)) res.setHeader('Strict-Transport-Security', HSTS);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
}

/**
 * Whether the request's Origin may act with the user's cookie: same origin
 * (Origin's host equals Host, over https when the request came over TLS) or
 * listed in `allowedOrigins`. Browsers send Origin on every non-GET request
 * and every WebSocket handshake, so a request without one does not come from
 * a page in a browser (no CSRF risk) and is allowed; the opaque origin "null"
 * (sandboxed frames, some redirects) is not.
 */
export function isOriginAllowed(req: IncomingMessage, allowedOrigins: readonly string[], trustProxy: boolean): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (origin === 'null') return false;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (allowedOrigins.includes(parsed.origin)) return true;
  const host = req.headers.host;
  if (host === undefined || parsed.host.toLowerCase() !== host.toLowerCase()) return false;
  // A page on http:// of our own host is another origin: a network attacker can answer plain HTTP for
  // the host, and browsers that do not count the scheme in SameSite send it the cookie. Only a request
  // known to have come over TLS can tell; without that (TLS ended before a proxy that does not say so)
  // the browser's page may be either.
  return !isSecureConnection(req, trustProxy) || parsed.protocol === 'https:';
}

/** Whether the request reached us over TLS, directly or (TRUST_PROXY) as the proxy's X-Forwarded-Proto says. */
export function isSecureConnection(req: IncomingMessage, trustProxy: boolean): boolean {
  if ('encrypted' in req.socket && req.socket.encrypted === true) return true;
  return trustProxy && req.headers['x-forwarded-proto'] === 'https';
}

/** The client's address: the socket peer, or (behind one trusted proxy) the address that proxy saw. */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    // The LAST entry: the one our proxy appended (nginx's $proxy_add_x_forwarded_for). Earlier
    // entries came from the client, which could name any address to dodge the per-address throttle.
    const forwarded = req.headers['x-forwarded-for'];
    const last = (Array.isArray(forwarded) ? forwarded.join(',') : forwarded)?.split(',').at(-1)?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/**
 * CORS for the origins in ALLOWED_ORIGINS only (a web app served from
 * another origin, with credentials). Answers a preflight and returns true
 * when the request is fully handled.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, allowedOrigins: readonly string[]): boolean {
  const origin = req.headers.origin;
  if (!origin || !allowedOrigins.includes(origin)) return false;
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Access-Control-Allow-Credentials', 'true');
  res.setHeader('Vary', 'Origin');
  if (req.method !== 'OPTIONS' || !req.headers['access-control-request-method']) return false;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Authorization',
    'Access-Control-Max-Age': '600',
  });
  res.end();
  return true;
}
