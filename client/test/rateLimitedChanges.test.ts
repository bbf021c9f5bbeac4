/**
 * Edits and deletes the client held back (made offline) and the server refuses with RATE_LIMITED go out
 * again later, as sends do (offlineQueue.test.ts shows it against a real server); these are the cases
 * where they must not: made live by the user, or an edit overtaken by a later change of its message.
 */
import { describe, expect, it } from 'vitest';
import { message, scriptedServerPerTest, startScripted, until, type ClientFrameSeen } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

const refuse = (frame: ClientFrameSeen) => ({ type: 'error', ref: frame.ref, code: 'RATE_LIMITED', message: 'Too many edits and deletes' });
const codeOf = (p: Promise<void>) => p.then(() => 'made', (e: unknown) => (e as { code?: string }).code);

/** The server refuses the first `refusals` edits it gets with RATE_LIMITED and makes the others. */
function serveEdits(refusals: number): void {
  let refused = 0;
  scripted.server.onFrame = (peer, frame) => {
    if (frame.type !== 'edit') return;
    if (refused++ < refusals) return peer.send(refuse(frame));
    peer.send({ type: 'message_updated', ref: frame.ref, message: message(1, 1, { content: String(frame.content), editedAt: new Date().toISOString() }) });
  };
}

/** The text of every edit the server got, in order. */
const edits = () => scripted.server.peers.flatMap((p) => p.frames.filter((f) => f.type === 'edit').map((f) => f.content));

describe('edits and deletes refused RATE_LIMITED', () => {
  it('fails a delete the user made while connected at once: the burst was theirs', async () => {
    const { c, server } = startScripted(scripted, { rateLimitRetryMs: 20 });
    server.onFrame = (peer, frame) => {
      if (frame.type === 'delete') peer.send(refuse(frame));
    };
    c.connect();
    await until(() => c.state === 'open');
    expect(await codeOf(c.delete(10_001))).toBe('RATE_LIMITED');
    expect(server.peers[0]?.frames.filter((f) => f.type === 'delete')).toHaveLength(1);
  });

  it('does not try again an edit made offline once a later edit of its message was made: it would undo it', async () => {
    const { c } = startScripted(scripted, { rateLimitRetryMs: 20 });
    serveEdits(1);
    const first = codeOf(c.edit(10_001, 'at 9'));
    const second = codeOf(c.edit(10_001, 'at 10'));
    const other = codeOf(c.edit(10_002, 'see you'));
    c.connect();
    expect([await first, await second, await other]).toEqual(['RATE_LIMITED', 'made', 'made']);
    expect(edits()).toEqual(['at 9', 'at 10', 'see you']);
  });

  it('nor one whose message was changed again while it waited to go again', async () => {
    const { c, server } = startScripted(scripted, { rateLimitRetryMs: 300 });
    serveEdits(1);
    const first = codeOf(c.edit(10_001, 'at 9'));
    c.connect();
    await until(() => edits().length === 1);
    await new Promise((r) => setTimeout(r, 50)); // its refusal in (came it later, the edit below would still overtake it)
    expect(await codeOf(c.edit(10_001, 'at 10'))).toBe('made');
    expect(await first).toBe('RATE_LIMITED');
    expect(edits()).toEqual(['at 9', 'at 10']);
    expect(server.peers).toHaveLength(1);
  });

  it('nor one overtaken while it waited to go again when the socket drops: it is not replayed after the reconnect', async () => {
    // The pause outlasts the test: only the drop and the reconnect can send it again.
    const { c, events, server } = startScripted(scripted, { rateLimitRetryMs: 60_000 });
    serveEdits(1);
    const first = codeOf(c.edit(10_001, 'old'));
    c.connect();
    const peer = await server.nextPeer();
    await peer.next((f) => f.type === 'edit');
    // Frames are read in order: once this typing is seen, the refusal before it was taken in (the edit pauses).
    peer.send({ type: 'typing', roomId: 1, userId: 2, username: 'bob', isTyping: true });
    await until(() => events.typing.length === 1);
    expect(await codeOf(c.edit(10_001, 'new'))).toBe('made');
    peer.socket.terminate();
    expect(await first).toBe('RATE_LIMITED');
    expect(edits()).toEqual(['old', 'new']);
    expect(events.message_updated.map((e) => e.message.content)).toEqual(['new']);
  });

  it('tries again an edit made offline, refused while nothing later changed its message', async () => {
    const { c } = startScripted(scripted, { rateLimitRetryMs: 20 });
    serveEdits(2);
    const edit = codeOf(c.edit(10_001, 'at 9'));
    c.connect();
    expect(await edit).toBe('made');
    expect(edits()).toEqual(['at 9', 'at 9', 'at 9']);
  });

  it('is not settled, while it waits to go again, by a change of its message made elsewhere (no ref: not its answer)', async () => {
    const { c, server } = startScripted(scripted, { rateLimitRetryMs: 300 });
    let refused = false;
    server.onFrame = (peer, frame) => {
      if (frame.type !== 'delete') return;
      if (!refused) {
        refused = true;
        // Refused, and then the message is edited in another tab: this socket gets that change without a ref.
        peer.send(refuse(frame));
        peer.send({ type: 'message_updated', message: message(1, 1, { id: 10_001, content: 'edited elsewhere', editedAt: new Date().toISOString() }) });
        return;
      }
      peer.send({ type: 'message_updated', ref: frame.ref, message: message(1, 1, { id: 10_001, deletedAt: new Date().toISOString() }) });
    };
    const deleted = codeOf(c.delete(10_001));
    c.connect();
    expect(await deleted).toBe('made');
    expect(server.peers[0]?.frames.filter((f) => f.type === 'delete')).toHaveLength(2);
  });
});
