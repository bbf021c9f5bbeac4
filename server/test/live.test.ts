/** Typing indicators (relay, expiry, close) and presence (first socket / last socket). */
import { describe, expect, it, vi } from 'vitest';
import { connectAs, openTab, serverForSuite } from './support/chat.ts';

describe('typing and presence', () => {
  const server = serverForSuite({ config: { limits: { typingExpiryMs: 300 } } });

  it('typing goes to the other participants only and a true expires as false', async () => {
    const alice = await connectAs(server, 'client1');
    const aliceTab = await openTab(server, alice);
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    alice.socket.send({ type: 'typing', roomId, isTyping: true });
    const on = await bob.socket.next('typing', (f) => f.roomId === roomId);
    expect(on).toEqual({ type: 'typing', roomId, userId: alice.user.id, username: 'client1', isTyping: true });
    const off = await bob.socket.next('typing', (f) => f.roomId === roomId);
    expect(off.isTyping).toBe(false);
    await alice.socket.sync();
    await aliceTab.socket.sync();
    expect(alice.socket.all('typing')).toEqual([]);
    expect(aliceTab.socket.all('typing')).toEqual([]);
    for (const s of [alice.socket, aliceTab.socket, bob.socket]) s.close();
  });

  it('an explicit false and closing the typing socket both stop the indicator', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    bob.socket.send({ type: 'typing', roomId, isTyping: true });
    expect((await alice.socket.next('typing', (f) => f.userId === bob.user.id)).isTyping).toBe(true);
    bob.socket.send({ type: 'typing', roomId, isTyping: false });
    expect((await alice.socket.next('typing', (f) => f.userId === bob.user.id)).isTyping).toBe(false);
    bob.socket.send({ type: 'typing', roomId, isTyping: true });
    expect((await alice.socket.next('typing', (f) => f.userId === bob.user.id)).isTyping).toBe(true);
    bob.socket.close();
    expect((await alice.socket.next('typing', (f) => f.userId === bob.user.id)).isTyping).toBe(false);
    alice.socket.close();
  });

  it('presence: online on the first socket, offline with lastSeen after the last one closes', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const online = await alice.socket.next('presence', (f) => f.userId === bob.user.id);
    expect(online.online).toBe(true);
    const bobTab = await openTab(server, bob);
    const room = bobTab.ready.rooms.find((r) => r.id === server.demo!.roomId)!;
    expect(room.participants.find((p) => p.id === alice.user.id)?.online).toBe(true);
    bob.socket.close();
    await bob.socket.closed;
    await alice.socket.sync();
    expect(alice.socket.all('presence').filter((p) => p.userId === bob.user.id && !p.online)).toEqual([]);
    bobTab.socket.close();
    const offline = await alice.socket.next('presence', (f) => f.userId === bob.user.id && !f.online);
    expect(Number.isNaN(Date.parse(offline.lastSeen ?? ''))).toBe(false);
    // The time announced is the time stored: a tab opened now shows the same.
    const aliceTab = await openTab(server, alice);
    const seenInList = aliceTab.ready.rooms.find((r) => r.id === server.demo!.roomId)?.participants.find((p) => p.id === bob.user.id);
    expect(seenInList).toMatchObject({ online: false, lastSeen: offline.lastSeen });
    aliceTab.socket.close();
    // A user sharing no room with Bob hears nothing about him.
    const dan = await connectAs(server, 'cleaner2');
    const bob2 = await openTab(server, bob);
    await alice.socket.next('presence', (f) => f.userId === bob.user.id && f.online);
    await dan.socket.sync();
    expect(dan.socket.all('presence').filter((p) => p.userId === bob.user.id)).toEqual([]);
    for (const s of [alice.socket, dan.socket, bob2.socket]) s.close();
  });

  it('a flood of typing starts and stops reaches the others as a few frames ending on the last state', async () => {
    // Each typing frame once went to every socket of the others at once: thousands a second froze their tabs.
    // (250: what may wait on one socket, the sync included, is 256.)
    const carol = await connectAs(server, 'client2');
    const opened = await fetch(`${server.url}/api/support`, { method: 'POST', headers: { Authorization: `Bearer ${carol.token}` } });
    const { room } = (await opened.json()) as { room: { id: number } };
    const agent = await connectAs(server, 'support1');
    for (let i = 0; i < 250; i++) carol.socket.send({ type: 'typing', roomId: room.id, isTyping: i % 2 === 0 });
    await carol.socket.sync();
    await agent.socket.sync();
    const fromCarol = () => agent.socket.all('typing').filter((f) => f.roomId === room.id);
    expect(fromCarol().length).toBeLessThan(40);
    await vi.waitFor(() => expect(fromCarol().at(-1)?.isTyping).toBe(false));
    carol.socket.close();
    agent.socket.close();
  });
});

