/**
 * Over TLS every answer tells the browser to keep to https (HSTS): without it
 * a typed or linked http:// address reaches the network in the clear, where an
 * attacker can answer for our host.
 */
import { describe, expect, it } from 'vitest';
import { serverForSuite } from './support/chat.ts';

describe('Strict-Transport-Security', () => {
  const server = serverForSuite({ config: { trustProxy: true } });

  it('is sent on every answer that came over TLS (the app, the API, errors), and never over plain http', async () => {
    const { token } = await server.login('client1');
    const overTls = { 'X-Forwarded-Proto': 'https' };
    for (const [path, headers] of [
      ['/', {}],
      ['/api/me', { Authorization: `Bearer ${token}` }],
      ['/api/me', {}],
      ['/api/nothing-here', {}],
    ] as const) {
      const secure = await fetch(`${server.url}${path}`, { headers: { ...headers, ...overTls } });
      expect(secure.headers.get('strict-transport-security')).toBe('max-age=31536000');
      // Over http the header means nothing to a browser, and would wrongly promise https where there is none.
      const plain = await fetch(`${server.url}${path}`, { headers });
      expect(plain.headers.get('strict-transport-security')).toBeNull();
    }
  });
});
