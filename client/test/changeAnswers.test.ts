/**
 * Which `message_updated` answers an edit or delete. Every socket of every participant gets one for each
 * change; our server puts the asking frame's ref on the asking socket's copy (an addition). Once a
 * connection has seen that, a copy without a ref is someone else's change (another tab, another device)
 * and must not tell the user their own change was made. A server that never sends refs is still matched
 * by message id.
 */
import { describe, expect, it } from 'vitest';
import { message, scriptedServerPerTest, startScripted, until, type Peer } from './support/scriptedServer.ts';

const scripted = scriptedServerPerTest();

const M = 10_001;
const edited = (content: string) => message(1, 1, { content, editedAt: new Date().toISOString() });
const deleted = () => message(1, 1, { content: '', deletedAt: new Date().toISOString() });

/** 'pending' until the change settles, then 'made' or the error's code. */
function outcome(p: Promise<void>): () => string {
  let state = 'pending';
  p.then(
    () => (state = 'made'),
    (e: unknown) => (state = (e as { code?: string }).code ?? 'failed'),
  );
  return () => state;
}

/** Connects, and makes one edit of M answered with its ref: the connection learns the server answers by ref. */
async function connectAndEditOnce(extra = {}) {
  const started = startScripted(scripted, extra);
  started.c.connect();
  const peer = await started.server.nextPeer();
  const edit = started.c.edit(M, 'at 9');
  const frame = await peer.next((f) => f.type === 'edit');
  peer.send({ type: 'message_updated', ref: frame.ref, message: edited('at 9') });
  await edit;
  return { ...started, peer };
}

/** Another tab of the same user edits M: this socket gets the change without a ref. */
async function editedInAnotherTab(peer: Peer, events: { message_updated: unknown[] }) {
  const seen = events.message_updated.length;
  peer.send({ type: 'message_updated', message: edited('edited in another tab') });
  await until(() => events.message_updated.length === seen + 1);
}

describe('answers to edits and deletes from a server that answers with refs', () => {
  it("does not report my delete made when another tab's edit of the message arrives; its own answer does", async () => {
    const { c, events, peer } = await connectAndEditOnce();
    const deleting = outcome(c.delete(M));
    const del = await peer.next((f) => f.type === 'delete');
    await editedInAnotherTab(peer, events);
    expect(deleting()).toBe('pending');
    peer.send({ type: 'message_updated', ref: del.ref, message: deleted() });
    await until(() => deleting() !== 'pending');
    expect(deleting()).toBe('made');
  });

  it("reports my delete refused when the server refuses it after another tab's edit of the message", async () => {
    const { c, events, peer } = await connectAndEditOnce();
    const deleting = outcome(c.delete(M));
    const del = await peer.next((f) => f.type === 'delete');
    await editedInAnotherTab(peer, events);
    peer.send({ type: 'error', ref: del.ref, code: 'FORBIDDEN', message: 'You can only delete your own messages' });
    await until(() => deleting() !== 'pending');
    expect(deleting()).toBe('FORBIDDEN');
    expect(events.error).toEqual([]);
  });

  it('does not take the late answer of an edit that timed out for the answer of my delete of the message', async () => {
    const { c, events, peer } = await connectAndEditOnce({ requestTimeoutMs: 200 });
    const editing = outcome(c.edit(M, 'at 10'));
    const slowEdit = await peer.next((f) => f.type === 'edit' && f.content === 'at 10');
    // The server is slow, not gone (a frame comes meanwhile): the edit fails unanswered.
    peer.send({ type: 'typing', roomId: 1, userId: 2, username: 'bob', isTyping: true });
    await until(() => editing() !== 'pending');
    expect(editing()).toBe('UNAVAILABLE');
    const deleting = outcome(c.delete(M));
    const del = await peer.next((f) => f.type === 'delete');
    peer.send({ type: 'message_updated', ref: slowEdit.ref, message: edited('at 10') });
    await until(() => events.message_updated.length === 2);
    expect(deleting()).toBe('pending');
    peer.send({ type: 'message_updated', ref: del.ref, message: deleted() });
    await until(() => deleting() !== 'pending');
    expect(deleting()).toBe('made');
  });
});

describe('answers to changes replayed after a reconnect, before the connection has seen a ref', () => {
  it("reports my delete made offline refused when another tab's edit of the message comes before its refusal", async () => {
    const { c, events, server } = startScripted(scripted);
    const deleting = outcome(c.delete(M));
    c.connect();
    const peer = await server.nextPeer();
    const del = await peer.next((f) => f.type === 'delete');
    await editedInAnotherTab(peer, events);
    expect(deleting()).toBe('pending');
    peer.send({ type: 'error', ref: del.ref, code: 'FORBIDDEN', message: 'You can only delete your own messages' });
    await until(() => deleting() !== 'pending');
    expect(deleting()).toBe('FORBIDDEN');
  });

  it("reports my edit made offline refused when another tab's edit of the message to other text comes before its refusal", async () => {
    const { c, events, server } = startScripted(scripted);
    const editing = outcome(c.edit(M, 'at 10'));
    c.connect();
    const peer = await server.nextPeer();
    const edit = await peer.next((f) => f.type === 'edit');
    await editedInAnotherTab(peer, events);
    expect(editing()).toBe('pending');
    peer.send({ type: 'error', ref: edit.ref, code: 'CONFLICT', message: 'This message was deleted' });
    await until(() => editing() !== 'pending');
    expect(editing()).toBe('CONFLICT');
  });
});

describe('answers to edits and deletes from a server that never sends refs', () => {
  it('settles each edit and delete by its message, oldest first', async () => {
    const { c, events, server } = startScripted(scripted);
    c.connect();
    const peer = await server.nextPeer();
    const editing = outcome(c.edit(M, 'at 9'));
    const deleting = outcome(c.delete(M));
    await peer.next((f) => f.type === 'delete');
    peer.send({ type: 'message_updated', message: edited('at 9') });
    await until(() => events.message_updated.length === 1);
    expect([editing(), deleting()]).toEqual(['made', 'pending']);
    peer.send({ type: 'message_updated', message: deleted() });
    await until(() => deleting() !== 'pending');
    expect(deleting()).toBe('made');
  });
});
