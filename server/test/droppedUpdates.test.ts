/**
 * Edits, deletions and reads made on a node whose Redis link was cut while
 * the other node kept it: once the link is back, the other node's sockets
 * must get them without reconnecting (before, they saw them only after a
 * reconnect), and a late copy must never undo a newer edit those sockets
 * already have.
 *
 * Two nodes in this process sharing one database and the shared Redis
 * (random prefix); node A reaches Redis through a TCP proxy the test cuts.
 */
import { describe, expect, it } from 'vitest';
import { sharedRedisGate, waitUntil } from './cluster/support/redis.ts';
import { DIALECTS } from './support/databases.ts';
import { cid, connectAs, openTab } from './support/chat.ts';
import { twoNodes } from './support/twoNodes.ts';

const redisAvailable = await sharedRedisGate();

for (const dialect of DIALECTS) {
  describe.runIf(redisAvailable)(`edits, deletions and reads a node could not publish while its Redis link was cut (${dialect})`, () => {
    const nodes = twoNodes({ dialect, linkA: true });

    it('an edit and a deletion made meanwhile reach the sockets on the other node once the link is back', async () => {
      const { a, b } = nodes;
      const roomId = a.demo!.roomId;
      const alice = await connectAs(a, 'client1');
      const bob = await connectAs(b, 'cleaner1');
      const toEdit = (await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'to edit' })).message;
      const toDelete = (await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'to delete' })).message;
      await bob.socket.next('message', (f) => f.message.id === toDelete.id);

      await nodes.whileCut(async () => {
        await alice.socket.expect('message_updated', { type: 'edit', messageId: toEdit.id, content: 'edited while cut' });
        await alice.socket.expect('message_updated', { type: 'delete', messageId: toDelete.id });
      });

      const edit = await bob.socket.next('message_updated', (f) => f.message.id === toEdit.id);
      expect(edit.message.content).toBe('edited while cut');
      expect(edit.message.editedAt).not.toBeNull();
      const deletion = await bob.socket.next('message_updated', (f) => f.message.id === toDelete.id);
      expect(deletion.message.content).toBe('');
      expect(deletion.message.deletedAt).not.toBeNull();
      bob.socket.close();
      alice.socket.close();
    });

    it('an edit told late does not undo a newer one made on the other node meanwhile', async () => {
      const { a, b } = nodes;
      const roomId = a.demo!.roomId;
      const alice = await connectAs(a, 'client1');
      const aliceOnB = await openTab(b, alice);
      const bob = await connectAs(b, 'cleaner1');
      const twice = (await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'edited twice' })).message;
      const marker = (await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'edited once' })).message;
      await bob.socket.next('message', (f) => f.message.id === marker.id);

      await nodes.whileCut(async () => {
        await alice.socket.expect('message_updated', { type: 'edit', messageId: twice.id, content: 'older edit' });
        await aliceOnB.socket.expect('message_updated', { type: 'edit', messageId: twice.id, content: 'newer edit' });
        // Told after the older edit: once Bob has it, the older one was told too.
        await alice.socket.expect('message_updated', { type: 'edit', messageId: marker.id, content: 'marker edit' });
      });

      expect((await bob.socket.next('message_updated', (f) => f.message.id === marker.id)).message.content).toBe('marker edit');
      await bob.socket.sync();
      const seen = bob.socket.all('message_updated').filter((f) => f.message.id === twice.id);
      expect(seen.map((f) => f.message.content)).toEqual(['newer edit']);
      bob.socket.close();
      aliceOnB.socket.close();
      alice.socket.close();
    });

    it('a read meanwhile reaches the reader’s tabs and the other participants on the other node', async () => {
      const { a, b } = nodes;
      const roomId = a.demo!.roomId;
      const alice = await connectAs(a, 'client1');
      const aliceOnB = await openTab(b, alice);
      const bob = await connectAs(b, 'cleaner1');
      const unread = (await bob.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'read while cut' })).message;
      await alice.socket.next('message', (f) => f.message.id === unread.id);
      await aliceOnB.socket.next('unread', (f) => f.roomId === roomId && f.unread > 0);
      const counted = aliceOnB.socket.frames.length;

      await nodes.whileCut(async () => {
        expect((await alice.socket.expect('unread', { type: 'read', roomId, seq: unread.seq })).unread).toBe(0);
      });

      expect((await bob.socket.next('receipt', (f) => f.userId === alice.user.id && f.lastReadSeq === unread.seq)).roomId).toBe(roomId);
      await waitUntil('Alice’s tab on B counts the room read', () =>
        aliceOnB.socket.frames.slice(counted).some((f) => f.type === 'unread' && f.roomId === roomId && f.unread === 0),
      );
      bob.socket.close();
      aliceOnB.socket.close();
      alice.socket.close();
    });
  });
}
