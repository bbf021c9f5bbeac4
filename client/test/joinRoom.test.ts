/**
 * ApiClient.joinRoom against a real server: support staff step into a job room (the people in it hear
 * it live) or into the support room another agent handles, whose refusal names the room to join.
 */
import { afterEach, expect, it } from 'vitest';
import { HttpChatError } from '../src/index.ts';
import { until } from './support/recorder.ts';
import { startHarness, type Harness } from './support/realServer.ts';

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

it('support staff join a job room: they are in it, and its client hears the notice live', async () => {
  h = await startHarness();
  const alice = await h.connectAs('client1');
  const sam = await h.connectAs('support1');
  const roomId = h.server.demo!.roomId;
  const room = await sam.api.joinRoom(roomId);
  expect(room.participants.map((p) => p.displayName)).toContain('Sam Support');
  expect(room.lastMessage?.content).toBe('Sam Support from support joined the conversation');
  await until(() => alice.events.message.some((e) => e.message.content === 'Sam Support from support joined the conversation'), 5000, 'the notice to reach Alice');
});

it('a client is refused with FORBIDDEN; the agent told another handles a user is told which room to join', async () => {
  h = await startHarness();
  const alice = await h.connectAs('client1');
  const roomId = h.server.demo!.roomId;
  await expect(alice.api.joinRoom(roomId)).rejects.toMatchObject({ code: 'FORBIDDEN', status: 403 });

  await h.server.store.createUser({ username: 'tess', displayName: 'Tess Support', role: 'support', passwordHash: (await h.server.store.findUserByUsername('client1'))!.passwordHash });
  // (the demo accounts' password)
  const tess = await h.connectAs('tess');
  const sam = await h.connectAs('support1');
  const started = await tess.api.openSupportFor(alice.user.id);
  const refused: unknown = await sam.api.openSupportFor(alice.user.id).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(HttpChatError);
  expect(refused).toMatchObject({ code: 'CONFLICT', roomId: started.id });
  const joined = await sam.api.joinRoom((refused as HttpChatError).roomId!);
  expect(joined.participants.map((p) => p.displayName).sort()).toEqual(['Alice Client', 'Sam Support', 'Tess Support']);
});
