/**
 * What `send_failed` says of a send's fate: `refused` only when the server's answer proves it holds
 * nothing under the clientId; `answered` whenever the server answered it with an error (the app may
 * then let the user give up on a send its retries cannot settle), not when no answer came. A transient error (INTERNAL, UNAVAILABLE) proves nothing: the replay of
 * a send stored on a socket that dropped before its ack can meet a database hiccup, and the app would
 * then offer to discard a message the partner already has.
 */
import { describe, expect, it } from 'vitest';
import { scriptedServerPerTest, startScripted } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

const isSend = (f: { type: string }) => f.type === 'send';

describe('send_failed after a replay', () => {
  it('is not a refusal when the replay of a send written before a drop is answered INTERNAL until the retries run out', async () => {
    const { c, events, server } = startScripted(scripted, { maxTransientRetries: 2 });
    c.connect();
    const first = await server.nextPeer();
    const sent = c.send({ roomId: 1, content: 'the keys are under the mat', clientId: 'stored-on-a' }).catch((e: unknown) => e);
    // The server has it (stored on socket A), and A drops before the ack.
    await first.next(isSend);
    const second = server.nextPeer();
    first.socket.terminate();
    const peer = await second;
    // Every attempt on socket B meets a database hiccup.
    server.onFrame = (p, frame) => {
      if (frame.type === 'send') p.send({ type: 'error', ref: frame.ref, code: 'INTERNAL', message: 'database busy' });
    };
    for (const frame of peer.frames.filter(isSend)) peer.send({ type: 'error', ref: frame.ref, code: 'INTERNAL', message: 'database busy' });

    await sent;
    expect(peer.frames.filter(isSend).map((f) => f.clientId)).toEqual(['stored-on-a', 'stored-on-a', 'stored-on-a']);
    expect(events.send_failed.map((e) => [e.clientId, e.error.code, e.refused, e.answered])).toEqual([['stored-on-a', 'INTERNAL', false, true]]);
  });

  it('is a refusal when the replay is answered with a code that stores nothing under any clientId (ROOM_CLOSED)', async () => {
    const { c, events, server } = startScripted(scripted);
    c.connect();
    const first = await server.nextPeer();
    const sent = c.send({ roomId: 1, content: 'see you at 9', clientId: 'never-stored' }).catch((e: unknown) => e);
    await first.next(isSend);
    const second = server.nextPeer();
    first.socket.terminate();
    const peer = await second;
    // A stored clientId would be answered with its ack even in a closed room: this one was not stored.
    const replay = await peer.next(isSend);
    peer.send({ type: 'error', ref: replay.ref, code: 'ROOM_CLOSED', message: 'This chat is closed' });

    await sent;
    expect(events.send_failed.map((e) => [e.error.code, e.refused, e.answered])).toEqual([['ROOM_CLOSED', true, true]]);
  });
});
