/** Edits and deletes are rate limited per user: each one writes and reaches every socket of the room. */
import { describe, expect, it } from 'vitest';
import { cid, connectAs, serverForSuite } from './support/chat.ts';

describe('edit and delete rate limit', () => {
  const server = serverForSuite({ config: { limits: { editRateLimit: 3, sendRateWindowMs: 60_000 } } });

  it('past the limit an edit or delete is refused with RATE_LIMITED and the others see nothing of it', async () => {
    const alice = await connectAs(server, 'client1');
    const bob = await connectAs(server, 'cleaner1');
    const roomId = server.demo!.roomId;
    const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'typo' });
    const id = ack.message.id;
    // Refused for what they are, frames do not use the limit up.
    expect(await alice.socket.expectError({ type: 'edit', messageId: id, content: '   ' })).toBe('BAD_REQUEST');
    expect(await bob.socket.expectError({ type: 'delete', messageId: id })).toBe('FORBIDDEN');
    for (const content of ['one', 'two', 'three']) await alice.socket.expect('message_updated', { type: 'edit', messageId: id, content });
    expect(await alice.socket.expectError({ type: 'edit', messageId: id, content: 'four' })).toBe('RATE_LIMITED');
    expect(await alice.socket.expectError({ type: 'delete', messageId: id })).toBe('RATE_LIMITED');
    await alice.socket.sync();
    await bob.socket.sync();
    expect(bob.socket.all('message_updated').map((f) => f.message.content)).toEqual(['one', 'two', 'three']);
    // Another user's budget is their own.
    const reply = await bob.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'mine' });
    await bob.socket.expect('message_updated', { type: 'delete', messageId: reply.message.id });
    alice.socket.close();
    bob.socket.close();
  });
});
