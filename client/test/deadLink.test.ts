/**
 * A link that dies without a close (a laptop put to sleep, a NAT entry
 * dropped): the scripted peer simply stops answering. Whatever the app asked
 * for on it must not be lost: the client drops the socket once a request goes
 * unanswered, and replays the request on the next connection. A server that
 * is only slow must not be taken for a dead link: that would reconnect forever.
 */
import { once } from 'node:events';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatClientOptions } from '../src/index.ts';
import { message, room, scriptedServerPerTest, startScripted, until } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

const start = (extra: Partial<ChatClientOptions> = {}) => startScripted(scripted, { requestTimeoutMs: 200, ...extra });

const isType = (type: string) => (f: { type: string }) => f.type === type;

describe('requests on a link that died silently', () => {
  it('re-sends an unanswered send on the next connection with the same clientId and resolves once', async () => {
    const { c, events, server } = start();
    c.connect();
    const dead = await server.nextPeer();
    await until(() => c.state === 'open');
    const sent = c.send({ roomId: 1, content: 'I am outside', clientId: 'cid-1' });
    await dead.next(isType('send'));
    // No ack, no close: only the request timeout can tell.
    const peer = await server.nextPeer();
    const replay = await peer.next(isType('send'));
    expect(replay).toMatchObject({ clientId: 'cid-1', content: 'I am outside' });
    peer.send({ type: 'ack', ref: replay.ref, clientId: 'cid-1', message: message(1, 1, { clientId: 'cid-1', content: 'I am outside' }) });
    expect((await sent).seq).toBe(1);
    expect(events.send_failed).toEqual([]);
    expect(events.message.map((e) => e.message.seq)).toEqual([1]);
    expect(events.state.map((s) => s.closeCode)).toContain(4000);
  });

  it('re-sends an unanswered edit and delete after the reconnect', async () => {
    const { c, server } = start();
    c.connect();
    const dead = await server.nextPeer();
    await until(() => c.state === 'open');
    const edited = c.edit(10_001, 'see you at 10');
    const deleted = c.delete(10_002);
    await dead.next(isType('delete'));
    const peer = await server.nextPeer();
    await peer.next(isType('delete'));
    expect(peer.frames.filter((f) => f.type === 'edit' || f.type === 'delete')).toMatchObject([
      { type: 'edit', messageId: 10_001, content: 'see you at 10' },
      { type: 'delete', messageId: 10_002 },
    ]);
    peer.send({ type: 'message_updated', message: message(1, 1, { content: 'see you at 10', editedAt: new Date().toISOString() }) });
    peer.send({ type: 'message_updated', message: message(1, 2, { content: '', deletedAt: new Date().toISOString() }) });
    await expect(edited).resolves.toBeUndefined();
    await expect(deleted).resolves.toBeUndefined();
  });

  it('keeps a read mark until its unread answers it, and sends it again after the reconnect', async () => {
    const { c, events, server } = start();
    c.connect();
    const first = await server.nextPeer();
    await until(() => c.state === 'open');
    c.read(1, 3);
    const answered = await first.next(isType('read'));
    first.send({ type: 'unread', roomId: 1, unread: 0, totalUnread: 0 });
    // Heard before room 2's read goes out: the link dies after it (a frame heard later proves it alive).
    await until(() => events.unread.length === 1);
    c.read(2, 7);
    await first.next((f) => f.type === 'read' && f.roomId === 2);
    expect(answered).toMatchObject({ roomId: 1, seq: 3 });
    // Room 2's read got no unread: the link is taken for dead.
    const peer = await server.nextPeer();
    await peer.next(isType('read'));
    expect(peer.frames.filter(isType('read'))).toMatchObject([{ roomId: 2, seq: 7 }]);
  });

  it('fails a request left unanswered again on the connection after the drop', async () => {
    const { c, events, server } = start();
    c.connect();
    await until(() => c.state === 'open');
    const sent = c.send({ roomId: 1, content: 'anyone?', clientId: 'cid-2' });
    await expect(sent).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(server.peers.length).toBeGreaterThanOrEqual(2);
    expect(server.peers.slice(0, 2).map((p) => p.frames.filter(isType('send')).length)).toEqual([1, 1]);
    // No answer came: nothing says how the server fares with it.
    expect(events.send_failed.map((e) => [e.error.code, e.refused, e.answered])).toEqual([['UNAVAILABLE', false, false]]);
  });
});

describe('a connection attempt the server never answers', () => {
  const opened: { close(): void }[] = [];
  afterEach(() => {
    for (const o of opened.splice(0)) o.close();
  });

  /** A relay in front of the scripted server whose first connection is accepted and then left silent (a half-dead proxy, a wedged load balancer). */
  async function silentFirstRelay(target: string): Promise<string> {
    const port = Number(new URL(target).port);
    const sockets = new Set<Socket>();
    let accepted = 0;
    const relay = createServer((socket) => {
      sockets.add(socket);
      if (accepted++ === 0) return; // swallowed: the upgrade request is never answered
      const upstream = connect(port, '127.0.0.1');
      sockets.add(upstream);
      socket.pipe(upstream).pipe(socket);
      const end = () => {
        socket.destroy();
        upstream.destroy();
      };
      socket.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    relay.listen(0, '127.0.0.1');
    await once(relay, 'listening');
    opened.push({
      close: () => {
        for (const s of sockets) s.destroy();
        relay.close();
      },
    });
    return `http://127.0.0.1:${(relay.address() as AddressInfo).port}`;
  }

  it('gives up on an upgrade left unanswered and connects on the next try, delivering what was queued', async () => {
    const url = await silentFirstRelay(scripted.server.url);
    const { c, server } = start({ url });
    c.connect();
    const sent = c.send({ roomId: 1, content: 'sent while the first try hung', clientId: 'cid-h' });
    const peer = await server.nextPeer();
    const frame = await peer.next(isType('send'));
    peer.send({ type: 'ack', ref: frame.ref, clientId: 'cid-h', message: message(1, 1, { clientId: 'cid-h', content: 'sent while the first try hung' }) });
    expect((await sent).seq).toBe(1);
    expect(c.state).toBe('open');
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('requests a slow server answers late', () => {
  /** The server answers every history request, but only after `delayMs` (past the request timeout). */
  function answerHistoryAfter(delayMs: number): void {
    scripted.server.onFrame = (peer, frame) => {
      if (frame.type !== 'history') return;
      const page = { type: 'history', ref: frame.ref, roomId: frame.roomId, messages: [message(1, 1), message(1, 2)], hasMore: false };
      setTimeout(() => peer.socket.readyState === peer.socket.OPEN && peer.send(page), delayMs);
    };
  }

  it('a gap fetch answered too late drops the socket once, then fails with an error event instead of reconnecting forever', async () => {
    const { c, events, server } = start();
    answerHistoryAfter(400);
    c.connect();
    const first = await server.nextPeer();
    await until(() => c.state === 'open');
    server.rooms = [room(1, 3)];
    first.send({ type: 'message', message: message(1, 3) });
    // Each connection's ready starts the gap fetch anew: only a bound across connections ends it.
    await until(() => events.error.length > 0, 4000, 'the resync to give up');
    await sleep(1000);
    expect(server.peers).toHaveLength(2);
    expect(events.state.filter((s) => s.closeCode === 4000)).toHaveLength(1);
    expect(events.error).toMatchObject([{ code: 'UNAVAILABLE', message: expect.stringContaining('missed messages of room 1') }]);
    expect(events.message).toEqual([]);
  });

  it('a read asked again on every ready (as the web app does) fails as an error event after one reconnect', async () => {
    const { c, events, server } = start();
    c.on('ready', () => c.read(1, 3));
    c.connect();
    await until(() => events.error.length > 0, 4000, 'the read to fail');
    await sleep(1000);
    expect(server.peers).toHaveLength(2);
    expect(events.error).toMatchObject([{ code: 'UNAVAILABLE' }]);
  });

  it('a request unanswered while the server keeps sending frames fails without dropping the socket', async () => {
    const { c, events, server } = start({ keepAlive: { pingMs: 50 } });
    answerHistoryAfter(400);
    c.connect();
    await until(() => c.state === 'open');
    // Pongs come back while the history answer is late: the link is alive.
    await expect(c.history({ roomId: 1 })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await sleep(300);
    expect(server.peers).toHaveLength(1);
    expect(events.state.filter((s) => s.closeCode === 4000)).toEqual([]);
  });
});
