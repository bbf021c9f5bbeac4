/**
 * A node that a peer swept as dead while it was only paused (silent longer
 * than its presence heartbeat lifetime): the peer told everyone its users went
 * offline, so when its presence tracker reports them back online, the people
 * who share a room with them are told they are online again.
 */
import { describe, expect, it } from 'vitest';
import { MemoryPresence } from '../src/fanout/memory.ts';
import { connectAs, serverForSuite } from './support/chat.ts';

/** In-process presence that can report users back online, as RedisPresence does after its node was swept. */
class ResumedNodePresence extends MemoryPresence {
  private readonly onlineHandlers: ((userIds: number[]) => void)[] = [];

  override onOnline(handler: (userIds: number[]) => void): void {
    this.onlineHandlers.push(handler);
  }

  reportBackOnline(userIds: number[]): void {
    for (const handler of this.onlineHandlers) handler(userIds);
  }
}

describe('users back online after their node was swept', () => {
  const presence = new ResumedNodePresence();
  const server = serverForSuite({ presence });

  it('announces them online to everyone sharing a room with them, and to no one else', async () => {
    const alice = await connectAs(server, 'client1');
    const dan = await connectAs(server, 'cleaner2');
    const bob = await connectAs(server, 'cleaner1');
    await alice.socket.next('presence', (f) => f.userId === bob.user.id && f.online);

    presence.reportBackOnline([bob.user.id]);
    const back = await alice.socket.next('presence', (f) => f.userId === bob.user.id);
    expect(back).toEqual({ type: 'presence', userId: bob.user.id, online: true, lastSeen: null });
    await dan.socket.sync();
    expect(dan.socket.all('presence').filter((p) => p.userId === bob.user.id)).toEqual([]);
    for (const s of [alice.socket, dan.socket, bob.socket]) s.close();
  });
});
