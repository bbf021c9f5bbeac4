/** POST /api/auth/login, POST /api/auth/logout, GET /api/me. */
import { ChatError, CloseCode, LoginRequest, type User } from '@ecc/protocol';
import { LoginThrottle } from '../../auth/loginThrottle.ts';
import { hashPassword, verifyPassword } from '../../auth/passwords.ts';
import { sessionsToEnd } from '../../auth/authenticate.ts';
import { hashToken, newToken } from '../../auth/tokens.ts';
import { userTopic } from '../../fanout/bus.ts';
import type { Services } from '../../services.ts';
import { readJson, drainBody } from '../body.ts';
import { clearedSessionCookies, sessionCookie } from '../cookies.ts';
import { requireAllowedOrigin, requireSession } from '../guard.ts';
import { RetryAfterError, sendJson } from '../respond.ts';
import type { Router } from '../router.ts';
import { clientAddress, isOriginAllowed, isSecureConnection } from '../security.ts';

function publicUser(user: User): User {
  return { id: user.id, username: user.username, displayName: user.displayName, role: user.role };
}

export function registerAuthRoutes(router: Router, services: Services): void {
  const { config, store } = services;
  const throttle = new LoginThrottle(
    {
      maxFailuresPerUserAndAddress: config.limits.loginMaxFailures,
      maxFailuresPerUser: config.limits.loginMaxFailuresPerUser,
      maxFailuresPerAddress: config.limits.loginMaxFailuresPerIp,
      maxAttemptsPerAddress: config.limits.loginMaxAttemptsPerIp,
      windowMs: config.limits.loginFailureWindowMs,
      knownAddressMs: config.sessionTtlMs,
    },
    services.loginAttempts,
  );
  // Unknown users are checked against this hash so both answers take as long.
  let dummyHash: Promise<string> | null = null;
  const dummy = () => (dummyHash ??= hashPassword(`no-such-user-${newToken()}`));

  router.add('POST', '/api/auth/login', async (ctx) => {
    // A browser login from a foreign page would sign the victim into another account.
    if (!isOriginAllowed(ctx.req, config.allowedOrigins, config.trustProxy)) {
      throw new ChatError('FORBIDDEN', 'Origin not allowed');
    }
    const body = await readJson(ctx.req, LoginRequest, config.limits.maxJsonBodyBytes);
    const address = clientAddress(ctx.req, config.trustProxy);
    const waitMs = await throttle.attempt(body.username, address);
    if (waitMs > 0) throw new RetryAfterError('Too many sign-in attempts; try again later', waitMs / 1000);
    // No user has an empty name or one with U+0000 (which PostgreSQL cannot even compare).
    const named = body.username !== '' && !body.username.includes('\u0000');
    const found = named ? await store.findUserByUsername(body.username) : null;
    const valid = await verifyPassword(body.password, found?.passwordHash ?? (await dummy()));
    // A failure stays counted.
    if (!found || !valid) throw new ChatError('INVALID_CREDENTIALS', 'Wrong username or password');
    await throttle.succeeded(body.username, address);
    const token = newToken();
    await store.createSession(found.id, hashToken(token), new Date(Date.now() + config.sessionTtlMs));
    // One account signing in in a loop would otherwise store a session (kept 30 days) per sign-in.
    for (const sessionId of await store.pruneSessions(found.id, config.limits.maxSessionsPerUser)) endSockets(found.id, sessionId, 'Signed in on too many devices');
    ctx.log.info({ userId: found.id }, 'signed in');
    sendJson(ctx.res, 200, { user: publicUser(found), token }, {
      'Set-Cookie': sessionCookie(token, config.sessionTtlMs, isSecureConnection(ctx.req, config.trustProxy)),
    });
  });

  router.add('POST', '/api/auth/logout', async (ctx) => {
    await drainBody(ctx.req, config.limits.maxJsonBodyBytes);
    // Every session the caller names, the one a plain-named cookie holds over TLS too (authenticate.ts).
    const sessions = await sessionsToEnd(ctx.req, store);
    for (const session of sessions) requireAllowedOrigin(ctx, services, session);
    for (const session of sessions) {
      const sessionId = await store.deleteSession(session.tokenHash);
      if (sessionId !== null) endSockets(session.user.id, sessionId, 'Signed out');
      ctx.log.info({ userId: session.user.id }, 'signed out');
    }
    sendJson(ctx.res, 200, { ok: true }, {
      'Set-Cookie': clearedSessionCookies(isSecureConnection(ctx.req, config.trustProxy)),
      // A shared computer: the user's photos (cached `private, no-cache`) must not stay on it for the next one.
      'Clear-Site-Data': '"cache"',
    });
  });

  /** Closes the sockets of an ended session with 4401, on every node. */
  function endSockets(userId: number, sessionId: number, reason: string): void {
    services.hub.emit(userTopic(userId), { kind: 'close_session', sessionId, code: CloseCode.SESSION_ENDED, reason });
  }

  router.add('GET', '/api/me', async (ctx) => {
    const session = await requireSession(ctx, services);
    sendJson(ctx.res, 200, { user: publicUser(session.user) });
  });
}
