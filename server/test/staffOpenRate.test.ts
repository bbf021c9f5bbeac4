/**
 * Support staff opening rooms (`POST /api/support {userId}`, `POST /api/rooms/{id}/join`) are limited per
 * staff member: a stolen staff session must not open or join the room of every user in a loop.
 */
import { describe, expect, it } from 'vitest';
import { jobAcceptedNotice } from '@ecc/protocol';
import { hashPassword } from '../src/auth/passwords.ts';
import { DEMO_PASSWORD } from '../src/seed.ts';
import { api, serverForSuite } from './support/chat.ts';

const passwordHash = await hashPassword(DEMO_PASSWORD);
const WINDOW_MS = 60_000;

describe('support staff opening and joining rooms are limited per staff member', () => {
  const server = serverForSuite({ config: { limits: { staffRoomOpenLimit: 4, staffRoomOpenWindowMs: WINDOW_MS } } });
  let made = 0;

  async function newUser(role: 'client' | 'support', displayName: string) {
    made += 1;
    await server.store.createUser({ username: `pace${made}`, displayName, role, passwordHash });
    return server.login(`pace${made}`);
  }
  async function jobRoom(): Promise<number> {
    const alice = await server.store.findUserByUsername('client1');
    const bob = await server.store.findUserByUsername('cleaner1');
    const job = await server.store.createJob({ clientId: alice!.id, title: `Paced ${made}` });
    return (await server.store.assignJob(job.id, bob!.id, jobAcceptedNotice('Bob Cleaner')))!.roomId;
  }
  const openFor = (token: string, userId: number) => api(server, token, 'POST', '/api/support', { userId });
  const join = (token: string, roomId: number) => api(server, token, 'POST', `/api/rooms/${roomId}/join`);

  it('past the limit, opening and joining together, are 429 RATE_LIMITED with Retry-After, and nothing is opened or joined', async () => {
    const tess = await newUser('support', 'Tess Support');
    const answers = [
      await openFor(tess.token, (await newUser('client', 'Ann Client')).user.id),
      await join(tess.token, await jobRoom()),
      await openFor(tess.token, (await newUser('client', 'Bea Client')).user.id),
      await join(tess.token, await jobRoom()),
    ];
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);

    const cara = await newUser('client', 'Cara Client');
    const roomId = await jobRoom();
    for (const refused of [await openFor(tess.token, cara.user.id), await join(tess.token, roomId)]) {
      expect(refused.status).toBe(429);
      expect(refused.body.error?.code).toBe('RATE_LIMITED');
      const wait = Number(refused.headers.get('Retry-After'));
      expect(wait).toBeGreaterThanOrEqual(1);
      expect(wait).toBeLessThanOrEqual(WINDOW_MS / 1000);
      expect(refused.body.error?.message).toMatch(/try again in \d+ s/);
    }
    expect((await server.store.listRoomsFor(cara.user.id)).rooms).toEqual([]);
    expect((await server.store.getRoomAccess(roomId))?.participants.has(tess.user.id)).toBe(false);
  });

  it('another agent, and users opening their own support room, are not held back by one agent\'s limit', async () => {
    const uma = await newUser('support', 'Uma Support');
    for (let i = 0; i < 5; i += 1) await join(uma.token, await jobRoom());
    expect((await join(uma.token, await jobRoom())).status).toBe(429);

    const vic = await newUser('support', 'Vic Support');
    expect((await join(vic.token, await jobRoom())).status).toBe(200);
    expect((await openFor(vic.token, (await newUser('client', 'Dee Client')).user.id)).status).toBe(200);
    for (let i = 0; i < 6; i += 1) {
      const own = await newUser('client', `Own ${i}`);
      expect((await api(server, own.token, 'POST', '/api/support')).status).toBe(200);
    }
  });

  it('counts a request answered with an error after the count (404, a repeat), never one refused before it (403)', async () => {
    const wes = await newUser('support', 'Wes Support');
    const roomId = await jobRoom();
    // Counted: an unknown room, an unknown user, a join and its repeat.
    expect((await join(wes.token, 2_000_000_000)).status).toBe(404);
    expect((await openFor(wes.token, 2_000_000_000)).status).toBe(404);
    expect((await join(wes.token, roomId)).status).toBe(200);
    expect((await join(wes.token, roomId)).status).toBe(200);
    const refused = await join(wes.token, roomId);
    expect(refused.status).toBe(429);

    const xia = await newUser('support', 'Xia Support');
    // Not counted: support staff opening a room of their own (no userId) is 403 before the count.
    for (let i = 0; i < 6; i += 1) expect((await api(server, xia.token, 'POST', '/api/support')).status).toBe(403);
    for (let i = 0; i < 4; i += 1) expect((await join(xia.token, await jobRoom())).status).toBe(200);
    expect((await join(xia.token, roomId)).status).toBe(429);
  });
});
