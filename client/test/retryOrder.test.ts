/**
 * Sends the server refuses with a transient error are retried in the order
 * they were written, per room: the retry goes out alone and the room's later
 * sends follow once it is stored, so a retry refused again cannot be
 * overtaken, on the same socket or after a reconnect.
 */
import { describe, expect, it } from 'vitest';
import type { ChatClient, ChatClientOptions } from '../src/index.ts';
import { message, scriptedServerPerTest, startScripted, until } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

/** The same pause before every retry and reconnect, so a test can tell which comes first. */
const start = (pauseMs: number, extra: Partial<ChatClientOptions> = {}) =>
  startScripted(scripted, { backoff: { initialMs: pauseMs, maxMs: pauseMs, jitter: 0 }, ...extra });

/**
 * The server stores each send as it arrives (seqs in arrival order) unless
 * `refuses(content, attempt)` says to answer that attempt with INTERNAL;
 * history it answers at once, empty.
 */
function serveSends(refuses: (content: string, attempt: number) => boolean): void {
  let seq = 0;
  const attempts = new Map<string, number>();
  scripted.server.onFrame = (peer, frame) => {
    if (frame.type === 'history') peer.send({ type: 'history', ref: frame.ref, roomId: frame.roomId, messages: [], hasMore: false });
    if (frame.type !== 'send') return;
    const content = String(frame.content);
    const attempt = (attempts.get(content) ?? 0) + 1;
    attempts.set(content, attempt);
    if (refuses(content, attempt)) {
      peer.send({ type: 'error', ref: frame.ref, code: 'INTERNAL', message: 'database busy' });
      return;
    }
    const stored = message(Number(frame.roomId), ++seq, { clientId: String(frame.clientId), content });
    peer.send({ type: 'ack', ref: frame.ref, clientId: frame.clientId, message: stored });
  };
}

/** Resolves once the client has read every frame the server sent before: a history answer comes after them. */
async function heardEverything(c: ChatClient): Promise<void> {
  await c.history({ roomId: 1 });
}

const sentContents = () =>
  scripted.server.peers.flatMap((peer) => peer.frames.filter((f) => f.type === 'send').map((f) => f.content));

describe('sends retried after a transient error', () => {
  it("re-sends a room's refused sends in the order written, later sends waiting behind them", async () => {
    serveSends((content, attempt) => content !== 'C' && attempt === 1);
    const { c, seqs } = start(200);
    c.connect();
    await until(() => c.state === 'open');
    const sent = [c.send({ roomId: 1, content: 'A' }), c.send({ roomId: 1, content: 'B' })];
    await until(() => sentContents().length === 2);
    await heardEverything(c);
    sent.push(c.send({ roomId: 1, content: 'C' }));
    expect((await Promise.all(sent)).map((m) => [m.content, m.seq])).toEqual([['A', 1], ['B', 2], ['C', 3]]);
    expect(sentContents()).toEqual(['A', 'B', 'A', 'B', 'C']);
    expect(seqs()).toEqual([1, 2, 3]);
  });

  it('a send refused twice is still stored before the send written after it', async () => {
    serveSends((content, attempt) => content === 'A' && attempt <= 2);
    const { c, seqs } = start(100);
    c.connect();
    await until(() => c.state === 'open');
    const a = c.send({ roomId: 1, content: 'A' });
    await until(() => sentContents().length === 1);
    await heardEverything(c);
    const b = c.send({ roomId: 1, content: 'B' }); // waits behind A's retry
    expect([(await a).seq, (await b).seq]).toEqual([1, 2]);
    expect(sentContents()).toEqual(['A', 'A', 'A', 'B']);
    expect(seqs()).toEqual([1, 2]);
  });

  it('after a reconnect, a send that was waiting to retry goes first and alone', async () => {
    serveSends((content, attempt) => content === 'A' && attempt <= 2);
    const { c, seqs, server } = start(300);
    c.connect();
    await until(() => c.state === 'open');
    const a = c.send({ roomId: 1, content: 'A' });
    await until(() => sentContents().length === 1);
    await heardEverything(c);
    const b = c.send({ roomId: 1, content: 'B' });
    // The socket dies while A waits for its retry and B waits behind it.
    server.peers[0]!.socket.terminate();
    expect([(await a).seq, (await b).seq]).toEqual([1, 2]);
    expect(server.peers).toHaveLength(2);
    expect(server.peers[1]!.frames.filter((f) => f.type === 'send').map((f) => f.content)).toEqual(['A', 'A', 'B']);
    expect(seqs()).toEqual([1, 2]);
  });

  it('a send waiting behind a retry, never written, can be withdrawn: it never goes out, and the line goes on', async () => {
    serveSends((content, attempt) => content === 'A' && attempt === 1);
    const { c } = start(100);
    c.connect();
    await until(() => c.state === 'open');
    const a = c.send({ roomId: 1, content: 'A' });
    await until(() => sentContents().length === 1);
    await heardEverything(c);
    const b = c.send({ roomId: 1, content: 'B', clientId: 'b' }).catch((err: unknown) => (err as Error).message);
    expect(c.withdraw('b')).toBe(true);
    expect(await b).toBe('Withdrawn before it was sent');
    const later = c.send({ roomId: 1, content: 'C' });
    expect([(await a).seq, (await later).seq]).toEqual([1, 2]);
    expect(sentContents()).toEqual(['A', 'A', 'C']);
  });
});
