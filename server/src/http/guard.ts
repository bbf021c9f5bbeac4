/** Authentication and CSRF rules for HTTP routes. */
import { ChatError } from '@ecc/protocol';
import type { Authenticated } from '../auth/authenticate.ts';
import { authenticate } from '../auth/authenticate.ts';
import type { Services } from '../services.ts';
import type { RequestContext } from './router.ts';
import { isOriginAllowed } from './security.ts';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The caller's session, or UNAUTHORIZED. State-changing requests
 * authenticated by cookie must come from an allowed Origin (CSRF).
 */
export async function requireSession(ctx: RequestContext, services: Services): Promise<Authenticated> {
  const session = await authenticate(ctx.req, services.store, services.config.trustProxy);
  if (!session) throw new ChatError('UNAUTHORIZED', 'Sign in first');
  requireAllowedOrigin(ctx, services, session);
  return session;
}

/** FORBIDDEN for a state-changing request authenticated by cookie from an Origin not allowed (CSRF). */
export function requireAllowedOrigin(ctx: RequestContext, services: Services, session: Authenticated): void {
  const method = ctx.req.method ?? 'GET';
  if (session.via === 'cookie' && !SAFE_METHODS.has(method) && !isOriginAllowed(ctx.req, services.config.allowedOrigins, services.config.trustProxy)) {
    throw new ChatError('FORBIDDEN', 'Origin not allowed');
  }
}
