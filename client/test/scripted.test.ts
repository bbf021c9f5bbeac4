/**
 * ChatClient against a scripted peer (a real `ws` server whose frames the test
 * writes by hand), for the moments a real server cannot be made to hit on cue:
 * a drop between send and ack, invalid frames, missing pongs, transient errors.
 */
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ChatError, type Message } from '@ecc/protocol';
import type { ChatClientOptions } from '../src/index.ts';
import { nodeWebSocket } from '../src/node.ts';
import { message, room, scriptedServerPerTest, startScripted, until, type Peer } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

const start = (extra: Partial<ChatClientOptions> = {}) => startScripted(scripted, extra);

function ackFor(frame: Record<string, unknown>, seq: number): Record<string, unknown> {
  return {
    type: 'ack',
    ref: frame.ref,
    clientId: frame.clientId,
    message: message(Number(frame.roomId), seq, { clientId: String(frame.clientId), content: String(frame.content) }),
  };
}

const isType = (type: string) => (f: { type: string }) => f.type === type;

describe('ChatClient against a scripted peer', () => {
  it('connects with the Bearer token on /ws/user/{id}/ and reaches open after ready', async () => {
    const { c, events, server } = start();
    c.connect();
    c.connect(); // idempotent
    const peer = await server.nextPeer();
    expect(peer.request.url).toBe('/ws/user/1/');
    expect(peer.request.headers.authorization).toBe('Bearer t0ken');
    await until(() => c.state === 'open');
    expect(events.state.map((s) => s.state)).toEqual(['connecting', 'open']);
    expect(events.ready).toHaveLength(1);
    expect(server.peers).toHaveLength(1);
  });

  it('nodeWebSocket(token) carries the token without the token option', async () => {
    const { c, server } = start({ token: undefined, WebSocket: nodeWebSocket('abc') });
    c.connect();
    const peer = await server.nextPeer();
    expect(peer.request.headers.authorization).toBe('Bearer abc');
  });

  it('queues sends made offline and sends them after ready; the ack resolves and emits the message once', async () => {
    const { c, events, seqs, server } = start();
    const sent = c.send({ roomId: 1, content: 'hello', clientId: 'cid-1' });
    c.connect();
    const peer = await server.nextPeer();
    const frame = await peer.next(isType('send'));
    expect(frame).toMatchObject({ roomId: 1, content: 'hello', clientId: 'cid-1' });
    peer.send(ackFor(frame, 1));
    // The server may also send the sending socket a `message` copy: still once for the app.
    peer.send({ type: 'message', message: message(1, 1, { clientId: 'cid-1', content: 'hello' }) });
    const stored = await sent;
    expect(stored.seq).toBe(1);
    await until(() => events.message.length >= 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(seqs()).toEqual([1]);
    expect(c.lastSeq(1)).toBe(1);
  });

  it('re-sends an in-flight send with the same clientId after the socket drops, resolving once', async () => {
    const { c, events, seqs, server } = start();
    c.connect();
    const first = await server.nextPeer();
    await until(() => c.state === 'open');
    const sent = c.send({ roomId: 1, content: 'are you there?' });
    const original = await first.next(isType('send'));
    const second = server.nextPeer();
    first.socket.terminate(); // dropped before the ack
    const peer = await second;
    const replay = await peer.next(isType('send'));
    expect(replay.clientId).toBe(original.clientId);
    peer.send(ackFor(replay, 1));
    expect((await sent).content).toBe('are you there?');
    expect(seqs()).toEqual([1]);
    expect(events.send_failed).toEqual([]);
    expect(events.state.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
  });

  it('delivers live messages in order, dropping duplicates and filling a gap from history', async () => {
    const { server } = scripted;
    server.rooms = [room(1, 2)];
    const { c, seqs } = start();
    c.connect();
    const peer = await server.nextPeer();
    await until(() => c.state === 'open');
    peer.send({ type: 'message', message: message(1, 3) });
    peer.send({ type: 'message', message: message(1, 3) });
    peer.send({ type: 'message', message: message(1, 6) }); // 4 and 5 missed
    const fetch = await peer.next(isType('history'));
    expect(fetch).toMatchObject({ roomId: 1, afterSeq: 3, limit: 100 });
    peer.send({ type: 'message', message: message(1, 7) }); // arrives while the gap is being filled
    peer.send({ type: 'history', ref: fetch.ref, roomId: 1, messages: [4, 5, 6].map((s) => message(1, s)), hasMore: false });
    await until(() => seqs().length === 5);
    expect(seqs()).toEqual([3, 4, 5, 6, 7]);
  });

  it('after reconnect fetches what it missed page by page before live messages of that room', async () => {
    const { server } = scripted;
    server.rooms = [room(1, 0), room(2, 0)];
    const { c, seqs } = start();
    c.connect();
    const first = await server.nextPeer();
    await until(() => c.state === 'open');
    first.send({ type: 'message', message: message(1, 1) });
    await until(() => seqs().length === 1);
    server.rooms = [room(1, 150), room(2, 0)];
    const next = server.nextPeer();
    first.socket.terminate();
    const peer = await next;
    const page1 = await peer.next(isType('history'));
    expect(page1).toMatchObject({ roomId: 1, afterSeq: 1, limit: 100 });
    peer.send({ type: 'message', message: message(1, 151) });
    const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => message(1, a + i));
    peer.send({ type: 'history', ref: page1.ref, roomId: 1, messages: range(2, 101), hasMore: true });
    const page2 = await peer.next((f) => f.type === 'history' && f.afterSeq === 101);
    peer.send({ type: 'history', ref: page2.ref, roomId: 1, messages: range(102, 151), hasMore: false });
    await until(() => seqs().length === 151);
    expect(seqs()).toEqual(range(1, 151).map((m) => m.seq));
    // Room 2 had nothing missing: no fetch for it.
    expect(peer.frames.filter((f) => f.type === 'history' && f.roomId === 2)).toEqual([]);
  });

  it('rejects a send with the error code of its ref and emits send_failed', async () => {
    const { c, events, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    const sent = c.send({ roomId: 1, content: 'hi', clientId: 'x1' });
    const frame = await peer.next(isType('send'));
    peer.send({ type: 'error', ref: frame.ref, code: 'ROOM_CLOSED', message: 'closed' });
    const err = await sent.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ChatError);
    expect((err as ChatError).code).toBe('ROOM_CLOSED');
    expect(events.send_failed).toEqual([{ clientId: 'x1', roomId: 1, error: err, refused: true, answered: true }]);
  });

  it('retries a send after a transient INTERNAL error with the same clientId', async () => {
    const { c, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    const sent = c.send({ roomId: 1, content: 'hi' });
    const frame = await peer.next(isType('send'));
    peer.send({ type: 'error', ref: frame.ref, code: 'INTERNAL', message: 'db down' });
    await until(() => peer.frames.filter(isType('send')).length === 2);
    const retry = peer.frames.filter(isType('send'))[1]!;
    expect(retry.clientId).toBe(frame.clientId);
    peer.send(ackFor(retry, 1));
    expect((await sent).seq).toBe(1);
  });

  it('stops reconnecting after close code 4401 and fails what is pending', async () => {
    const { c, events, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    await until(() => c.state === 'open');
    const sent = c.send({ roomId: 1, content: 'bye' });
    await peer.next(isType('send'));
    peer.socket.close(4401, 'session ended');
    const err = await sent.catch((e: unknown) => e);
    expect((err as ChatError).code).toBe('UNAUTHORIZED');
    expect(c.state).toBe('closed');
    expect(events.state.at(-1)).toMatchObject({ state: 'closed', closeCode: 4401 });
    expect(events.send_failed).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 300)); // several backoff periods
    expect(server.peers).toHaveLength(1);
    await expect(c.send({ roomId: 1, content: 'again' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });

  it('reports an invalid frame as an error event and rejects the request it answers', async () => {
    const { c, events, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    await until(() => c.state === 'open');
    peer.socket.send('not json');
    peer.send({ type: 'message', message: { id: 1 } });
    const page = c.history({ roomId: 1 });
    const frame = await peer.next(isType('history'));
    peer.send({ type: 'history', ref: frame.ref, roomId: 1, messages: 'nope', hasMore: false });
    await expect(page).rejects.toMatchObject({ code: 'INTERNAL' });
    await until(() => events.error.length === 2);
    expect(events.error.map((e) => e.code)).toEqual(['INTERNAL', 'INTERNAL']);
    expect(events.message).toEqual([]);
    expect(c.state).toBe('open');
  });

  it('ignores frame types it does not know (a newer server’s additions): no error, no request settled by them', async () => {
    scripted.server.rooms = [room(1, 1)];
    const { c, events, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    await until(() => c.state === 'open');
    const page = c.history({ roomId: 1 });
    const frame = await peer.next(isType('history'));
    peer.send({ type: 'reaction', roomId: 1, messageId: 7, emoji: '👍' });
    // Even one carrying the pending request's ref: it is not that request's answer.
    peer.send({ type: 'history_progress', ref: frame.ref, loaded: 10 });
    peer.send({ type: 'history', ref: frame.ref, roomId: 1, messages: [message(1, 1)], hasMore: false });
    peer.send({ type: 'message', message: message(1, 2) });
    expect((await page).messages.map((m) => m.seq)).toEqual([1]);
    await until(() => events.message.length === 1);
    expect(events.error).toEqual([]);
    expect(c.state).toBe('open');
  });

  it('reconnects when pongs stop coming', async () => {
    const { server } = scripted;
    server.answerPings = false;
    const { c, events } = start({ keepAlive: { pingMs: 30, pongTimeoutMs: 60 } });
    c.connect();
    await server.nextPeer();
    await server.nextPeer();
    expect(events.state.map((s) => s.state)).toContain('reconnecting');
  });

  it('queues the latest read per room while offline and drops typing', async () => {
    const { c, server } = start();
    c.read(1, 3);
    c.read(1, 5);
    c.read(1, 4);
    c.typing(1, true);
    c.connect();
    const peer = await server.nextPeer();
    await peer.next(isType('read'));
    c.typing(1, false);
    await peer.next(isType('typing'));
    expect(peer.frames.filter(isType('read'))).toEqual([{ type: 'read', ref: expect.any(String), roomId: 1, seq: 5 }]);
    expect(peer.frames.filter(isType('typing'))).toEqual([{ type: 'typing', roomId: 1, isTyping: false }]);
  });

  it('a read stays unanswered until its own unread: not settled by another count of the room once the server answers by ref', async () => {
    const { c, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    await until(() => c.state === 'open');
    c.read(1, 3);
    const first = await peer.next((f) => f.type === 'read' && f.seq === 3);
    peer.send({ type: 'unread', ref: first.ref, roomId: 1, unread: 2, totalUnread: 2 });
    c.read(1, 5);
    await peer.next((f) => f.type === 'read' && f.seq === 5);
    // Another tab's read or a new message: a count without ref, then the first read's answer again
    // (a duplicate); neither answers the read of 5.
    peer.send({ type: 'unread', roomId: 1, unread: 1, totalUnread: 1 });
    peer.send({ type: 'unread', ref: first.ref, roomId: 1, unread: 2, totalUnread: 2 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    // The socket dies before the answer: the unanswered read is sent again after the reconnect.
    peer.socket.terminate();
    const again = await server.nextPeer();
    const resent = await again.next((f) => f.type === 'read', 2000);
    expect(resent).toMatchObject({ roomId: 1, seq: 5 });
  });

  it('edit resolves on message_updated and rejects on an error with its ref', async () => {
    const { c, events, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    const edited = c.edit(10_001, 'new text');
    const frame = await peer.next(isType('edit'));
    expect(frame).toMatchObject({ messageId: 10_001, content: 'new text' });
    peer.send({ type: 'message_updated', message: message(1, 1, { content: 'new text', editedAt: new Date().toISOString() }) });
    await edited;
    expect(events.message_updated).toHaveLength(1);
    const deleted = c.delete(10_002);
    const del = await peer.next(isType('delete'));
    peer.send({ type: 'error', ref: del.ref, code: 'FORBIDDEN', message: 'not yours' });
    await expect(deleted).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses a frame over the size limit locally instead of getting the socket closed', async () => {
    const { c, events } = start();
    c.connect();
    await until(() => c.state === 'open');
    await expect(c.send({ roomId: 1, content: 'x'.repeat(70_000) })).rejects.toMatchObject({ code: 'TOO_LARGE' });
    expect(events.send_failed).toHaveLength(1);
    expect(c.state).toBe('open');
  });

  it('close() rejects pending requests and stays closed', async () => {
    const { server } = scripted;
    server.autoReady = false;
    const { c } = start();
    c.connect();
    const peer: Peer = await server.nextPeer();
    const pending: Promise<Message> = c.send({ roomId: 1, content: 'x' });
    c.close();
    await expect(pending).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(c.state).toBe('closed');
    await until(() => peer.socket.readyState === WebSocket.CLOSED);
  });

  it('in a browser, going offline drops the socket and queues sends; coming online reconnects at once', async () => {
    const network = new EventTarget();
    const g = globalThis as { addEventListener?: unknown; removeEventListener?: unknown };
    g.addEventListener = network.addEventListener.bind(network);
    g.removeEventListener = network.removeEventListener.bind(network);
    try {
      const { c, server } = start({ backoff: { initialMs: 60_000, maxMs: 60_000 } });
      c.connect();
      const first = await server.nextPeer();
      await until(() => c.state === 'open');
      network.dispatchEvent(new Event('offline'));
      expect(c.state).toBe('reconnecting');
      const sent = c.send({ roomId: 1, content: 'typed offline' });
      const second = server.nextPeer(5_000);
      network.dispatchEvent(new Event('online'));
      const peer = await second;
      const frame = await peer.next(isType('send'));
      peer.send(ackFor(frame, 1));
      expect((await sent).content).toBe('typed offline');
      expect(first.frames.filter(isType('send'))).toEqual([]);
    } finally {
      delete g.addEventListener;
      delete g.removeEventListener;
    }
  });

  it('retries a gap fetch after a transient error, then delivers in order', async () => {
    const { c, seqs, events, server } = start();
    c.connect();
    const peer = await server.nextPeer();
    await until(() => c.state === 'open');
    peer.send({ type: 'message', message: message(1, 2) });
    const fetch = await peer.next(isType('history'));
    peer.send({ type: 'error', ref: fetch.ref, code: 'UNAVAILABLE', message: 'db busy' });
    const retry = await peer.next((f) => f.type === 'history' && f.ref !== fetch.ref);
    expect(retry).toMatchObject({ roomId: 1, afterSeq: 0 });
    peer.send({ type: 'history', ref: retry.ref, roomId: 1, messages: [message(1, 1), message(1, 2)], hasMore: false });
    await until(() => seqs().length === 2);
    expect(seqs()).toEqual([1, 2]);
    expect(events.error).toEqual([]);
  });

  it('with resync off, hands over live messages across a gap', async () => {
    const { c, seqs, server } = start({ resync: false });
    c.connect();
    const peer = await server.nextPeer();
    await until(() => c.state === 'open');
    peer.send({ type: 'message', message: message(1, 3) });
    peer.send({ type: 'message', message: message(1, 4) });
    await until(() => seqs().length === 2);
    expect(seqs()).toEqual([3, 4]);
    expect(peer.frames.filter(isType('history'))).toEqual([]);
  });
});
