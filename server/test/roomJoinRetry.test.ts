/**
 * A join whose announcement failed after it was stored (POST /api/rooms/{id}/join answered 500): the
 * staff member's retry finds them in the room already, and must still tell everyone, or nobody ever is.
 */
import { describe, expect, it } from 'vitest';
import { jobAcceptedNotice, type Room } from '@ecc/protocol';
import type { Store } from '../src/storage/store.ts';
import { DIALECTS } from './support/databases.ts';
import { api, cid, connectAs, serverForSuite } from './support/chat.ts';

/** Set: the next room access read fails, as a database hiccup would, once. */
let failNextAccessRead = false;

function failingOnce(store: Store): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'getRoomAccess') {
        return (roomId: number) => {
          if (failNextAccessRead) {
            failNextAccessRead = false;
            return Promise.reject(new Error('database is down'));
          }
          return target.getRoomAccess(roomId);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

for (const dialect of DIALECTS) {
  describe(`a join retried after its announcement failed (${dialect})`, () => {
    const server = serverForSuite({ dialect, wrapStore: failingOnce });

    it('the retry tells the client and the joiner\'s open socket of the three people in the room', async () => {
      const { store } = server;
      const job = await store.createJob({ clientId: (await store.findUserByUsername('client1'))!.id, title: 'Announced late' });
      const roomId = (await store.assignJob(job.id, (await store.findUserByUsername('cleaner1'))!.id, jobAcceptedNotice('Bob Cleaner')))!.roomId;
      const alice = await connectAs(server, 'client1');
      const sam = await connectAs(server, 'support1');

      failNextAccessRead = true;
      expect((await api(server, sam.token, 'POST', `/api/rooms/${roomId}/join`)).status).toBe(500);
      const retried = await api(server, sam.token, 'POST', `/api/rooms/${roomId}/join`);
      expect(retried.status).toBe(200);
      expect((retried.body.room as Room).participants).toHaveLength(3);

      for (const { socket } of [alice, sam]) {
        const { room } = await socket.next('room', (f) => f.room.id === roomId);
        expect(room.participants.map((p) => p.displayName).sort()).toEqual(['Alice Client', 'Bob Cleaner', 'Sam Support']);
      }
      // And the agent's socket is in the room from then on.
      await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Are you there?' });
      await sam.socket.next('message', (f) => f.message.roomId === roomId && f.message.content === 'Are you there?');
      for (const { socket } of [alice, sam]) socket.close();
    });

    it('joins repeated by someone in the room already are told once, not each time (a click held down is no fan-out)', async () => {
      const { store } = server;
      const job = await store.createJob({ clientId: (await store.findUserByUsername('client1'))!.id, title: 'Clicked again' });
      const roomId = (await store.assignJob(job.id, (await store.findUserByUsername('cleaner1'))!.id, jobAcceptedNotice('Bob Cleaner')))!.roomId;
      const alice = await connectAs(server, 'client1');
      const sam = await server.login('support1');
      expect((await api(server, sam.token, 'POST', `/api/rooms/${roomId}/join`)).status).toBe(200);
      await alice.socket.next('message', (f) => f.message.roomId === roomId && f.message.type === 'system' && f.message.content.includes('joined'));
      for (let i = 0; i < 5; i++) expect((await api(server, sam.token, 'POST', `/api/rooms/${roomId}/join`)).status).toBe(200);
      // Whatever was sent for the joins has come once this, sent after them, is acked.
      await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'Still there?' });
      const roomFrames = alice.socket.all('room').filter((f) => f.room.id === roomId && f.room.participants.length === 3);
      // The join's, and one told again for the first retry: none for the four after it.
      expect(roomFrames).toHaveLength(2);
      alice.socket.close();
    });
  });
}
