/**
 * Every sign-in stores a session for SESSION_TTL_MS (30 days). One account signing in in a loop —
 * 3,000 times per 15 minutes from each address, within the throttle — grew the sessions table
 * without end; a user keeps their newest MAX_SESSIONS_PER_USER, an older one ends as at a logout.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, connectAs, serverForSuite } from './support/chat.ts';

describe.each(DIALECTS)('sessions per user (%s)', (dialect) => {
  const server = serverForSuite({ dialect, config: { limits: { maxSessionsPerUser: 2 } } });

  it('a sign-in past the limit ends the oldest session: its token stops working and its sockets close with 4401', async () => {
    const oldest = await connectAs(server, 'cleaner2');
    const second = await server.login('cleaner2');
    // Another user's sessions do not count.
    const other = await server.login('client2');
    expect((await api(server, oldest.token, 'GET', '/api/me')).status).toBe(200);
    const newest = await server.login('cleaner2');
    expect((await oldest.socket.closed).code).toBe(CloseCode.SESSION_ENDED);
    expect((await api(server, oldest.token, 'GET', '/api/me')).status).toBe(401);
    for (const kept of [second, newest, other]) expect((await api(server, kept.token, 'GET', '/api/me')).status).toBe(200);
  });
});
