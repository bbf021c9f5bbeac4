/**
 * Message.deletedBy (an addition): a deleted message names who deleted it — its sender, or the support
 * participant who removed it — in every copy the server sends: `message_updated` to every tab, history
 * after a reconnect, `ready`'s last message, the support room's answer and the `ack` of a repeated send.
 */
import { describe, expect, it } from 'vitest';
import type { Room } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs, openTab, serverForSuite } from './support/chat.ts';

for (const dialect of DIALECTS) {
  describe(`who deleted a message (${dialect})`, () => {
    const server = serverForSuite({ dialect, config: { limits: { sendRateLimit: 1000 } } });

    it('support removing a client’s message is named as the deleter to everyone, in every copy, after a reconnect too', async () => {
      const carol = await connectAs(server, 'client2');
      const carolTab = await openTab(server, carol);
      const roomId = ((await api(server, carol.token, 'POST', '/api/support')).body.room as Room).id;
      const agent = await connectAs(server, 'support1');
      const clientId = cid();
      const sent = await carol.socket.expect('ack', { type: 'send', roomId, clientId, content: 'My card number is 4111…' });
      // Not deleted: nobody deleted it.
      expect(sent.message.deletedBy).toBeNull();
      expect((await agent.socket.next('message', (f) => f.message.id === sent.message.id)).message.deletedBy).toBeNull();

      const removed = await agent.socket.expect('message_updated', { type: 'delete', messageId: sent.message.id });
      expect(removed.message).toMatchObject({ id: sent.message.id, content: '', sender: carol.user, deletedBy: agent.user });
      for (const tab of [carol.socket, carolTab.socket]) {
        expect((await tab.next('message_updated', (f) => f.message.id === sent.message.id)).message.deletedBy).toEqual(agent.user);
      }

      // A new tab (a reconnect): the room list's last message and the history page say so too.
      const later = await openTab(server, carol);
      expect(later.ready.rooms.find((r) => r.id === roomId)?.lastMessage).toEqual(removed.message);
      const page = await later.socket.expect('history', { type: 'history', roomId });
      expect(page.messages.find((m) => m.id === sent.message.id)?.deletedBy).toEqual(agent.user);
      expect(page.messages.filter((m) => m.id !== sent.message.id).every((m) => m.deletedBy === null)).toBe(true);
      // The support room as POST /api/support answers it.
      const again = (await api(server, carol.token, 'POST', '/api/support')).body.room as Room;
      expect(again.lastMessage?.deletedBy).toEqual(agent.user);
      // A retry of the send is answered with the message as it is now: removed by support.
      const retry = await later.socket.expect('ack', { type: 'send', roomId, clientId, content: 'My card number is 4111…' });
      expect(retry.message).toMatchObject({ id: sent.message.id, content: '', deletedBy: agent.user });
      // Deleting again (the sender, late) changes nothing: support still removed it.
      const repeated = await carol.socket.expect('message_updated', { type: 'delete', messageId: sent.message.id });
      expect(repeated.message).toEqual(removed.message);
      for (const s of [carol.socket, carolTab.socket, agent.socket, later.socket]) s.close();
    });

    it('a sender deleting their own message is named as the deleter, for the other participant and after a reconnect', async () => {
      const alice = await connectAs(server, 'client1');
      const roomId = ((await api(server, alice.token, 'POST', '/api/support')).body.room as Room).id;
      const agent = await connectAs(server, 'support1');
      const sent = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Wrong chat, sorry' });
      const deleted = await alice.socket.expect('message_updated', { type: 'delete', messageId: sent.message.id });
      expect(deleted.message.deletedBy).toEqual(alice.user);
      expect((await agent.socket.next('message_updated', (f) => f.message.id === sent.message.id)).message.deletedBy).toEqual(alice.user);
      const agentLater = await openTab(server, agent);
      const page = await agentLater.socket.expect('history', { type: 'history', roomId, afterSeq: sent.message.seq - 1 });
      expect(page.messages[0]).toMatchObject({ id: sent.message.id, deletedBy: alice.user });
      expect(agentLater.ready.rooms.find((r) => r.id === roomId)?.lastMessage?.deletedBy).toEqual(alice.user);
      for (const s of [alice.socket, agent.socket, agentLater.socket]) s.close();
    });
  });
}
