/** What the tab's saved outbox (savedChat.ts) holds of messages discarded unsent and of deletions not answered yet. */
import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { isDeleting } from './messageDeletions.ts';
import { roomMessagesOf } from './store.ts';
import { holdUnsent } from '../session.ts';
import { MemoryStorage, TabHub, page } from '../test/tabPage.ts';
import { alice } from '../test/fixtures.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('a message discarded before it went', () => {
  it('is gone from the saved outbox: a reload neither shows it nor sends it', () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.chat.sendMessage(1, 'The door code is 4512');
    before.chat.sendMessage(1, 'See you at 9');
    before.chat.discard(1, 'cid-1');

    const after = page(storage, undefined, 'other');
    expect(roomMessagesOf(after.chat.state, 1).pending.map((p) => p.content)).toEqual(['See you at 9']);
    expect(after.transport.sent.map((s) => s.input.content)).toEqual(['See you at 9']);
  });

  it('cannot be one that went on the socket before the reload while it is on its way again: it may be stored, so it is sent again', () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.ready();
    before.chat.sendMessage(1, 'On my way');
    before.transport.written(1, 'cid-1');

    const after = page(storage, undefined, 'other');
    after.chat.discard(1, 'cid-1');
    expect(roomMessagesOf(after.chat.state, 1).pending.map((p) => p.content)).toEqual(['On my way']);
    expect(after.transport.withdrawn).toEqual([]);
  });

  it('can be one that went on the socket before a reload made offline, as it may be stored: gone from the saved outbox, not sent after the next', () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.ready();
    before.chat.sendMessage(1, 'The door code is 4512');
    before.transport.written(1, 'cid-1');

    const after = page(storage, undefined, 'other');
    after.transport.emit('state', { state: 'connecting', attempt: 0 });
    after.chat.discard(1, 'cid-1');
    expect(roomMessagesOf(after.chat.state, 1).pending).toEqual([]);
    expect(after.transport.withdrawn).toEqual(['cid-1']);
    expect(page(storage, undefined, 'later').transport.sent).toEqual([]);
  });
});

describe('a message the server kept failing (it may be stored)', () => {
  it('can still be discarded after a reload, and once discarded is neither shown nor sent by the next', async () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.ready();
    before.chat.sendMessage(1, 'The keys are under the mat');
    before.transport.sent[0]?.reject(new ChatError('INTERNAL', 'Could not store the message'));
    await flush();

    const after = page(storage, undefined, 'other');
    after.ready();
    after.chat.discard(1, 'cid-1');
    expect(roomMessagesOf(after.chat.state, 1).pending).toEqual([]);
    expect(after.chat.state.notice).toBeNull();

    const later = page(storage, undefined, 'later');
    later.ready();
    expect(roomMessagesOf(later.chat.state, 1).pending).toEqual([]);
    expect(later.transport.sent).toEqual([]);
  });
});

describe('a deletion confirmed and not answered yet', () => {
  it('is kept over a reload: the message still says so, and the deletion goes out again, once', async () => {
    const storage = new MemoryStorage();
    const before = page(storage);
    before.transport.holdDeletes = true;
    void before.chat.deleteMessage(5);

    const after = page(storage, undefined, 'other');
    expect(isDeleting(after.chat.state, 5)).toBe(true);
    expect(after.chat.isSending()).toBe(true);
    expect(after.transport.deletes).toEqual([5]);
    await flush();
    // Done: gone from the saved outbox, so a further reload sends nothing.
    expect(isDeleting(after.chat.state, 5)).toBe(false);
    expect(page(storage).transport.deletes).toEqual([]);
  });

  it('is dropped once the server refuses it, with why', async () => {
    const storage = new MemoryStorage();
    const tab = page(storage);
    tab.transport.holdDeletes = true;
    void tab.chat.deleteMessage(5);
    tab.transport.heldDeletes[0]?.reject(new ChatError('FORBIDDEN', 'You can only delete your own messages'));
    await flush();
    expect(tab.chat.state.notice).toBe('Could not delete the message: You can only delete your own messages');
    expect(page(storage).transport.deletes).toEqual([]);
  });

  it('waits, when the session ends, in memory for the same user signing in again, as unsent messages do', async () => {
    sessionStorage.clear();
    const tab = page(sessionStorage);
    tab.transport.holdDeletes = true;
    void tab.chat.deleteMessage(5);
    // The library stops for good: the server refused the socket (signed out elsewhere).
    tab.transport.heldDeletes[0]?.reject(new ChatError('UNAUTHORIZED', 'The server refused the socket'));
    await flush();
    expect(tab.chat.state.notice).toBeNull();
    expect(isDeleting(tab.chat.state, 5)).toBe(true);

    const held = holdUnsent(alice.id);
    expect(held.data.deleting).toEqual([5]);
    // Out of the tab's storage: whoever signs in next does not find it there.
    expect(sessionStorage.length).toBe(0);
  });
});

describe('a message discarded in a tab that was duplicated before (the copy holds it too)', () => {
  it('is discarded in the copy as well: taken back from its library, not shown, and gone from its saved outbox', async () => {
    const hub = new TabHub();
    const storage = new MemoryStorage();
    const first = page(storage, undefined, 'cid', hub.tab());
    first.transport.emit('state', { state: 'reconnecting', attempt: 1 });
    first.chat.sendMessage(1, 'The door code is 4512');
    first.chat.sendMessage(1, 'See you at 9');

    // "Duplicate tab", offline too: the copy sends what it found as its own, with the same clientIds.
    const copied = storage.duplicate();
    const copy = page(copied, undefined, 'copy', hub.tab());
    copy.transport.emit('state', { state: 'connecting', attempt: 0 });
    expect(roomMessagesOf(copy.chat.state, 1).pending.map((p) => p.content)).toEqual(['The door code is 4512', 'See you at 9']);

    first.chat.discard(1, 'cid-1');
    await flush();
    expect(roomMessagesOf(copy.chat.state, 1).pending.map((p) => p.content)).toEqual(['See you at 9']);
    expect(copy.transport.withdrawn).toEqual(['cid-1']);
    // Gone from the copy's saved outbox too: a reload of it sends the other only.
    expect(page(copied, undefined, 'later').transport.sent.map((s) => s.input.clientId)).toEqual(['cid-2']);
  });

  it('leaves the copy alone when it is on its way there (on its socket): it goes', async () => {
    const hub = new TabHub();
    const storage = new MemoryStorage();
    const first = page(storage, undefined, 'cid', hub.tab());
    first.transport.emit('state', { state: 'reconnecting', attempt: 1 });
    first.chat.sendMessage(1, 'The door code is 4512');
    const copy = page(storage.duplicate(), undefined, 'copy', hub.tab());
    copy.ready();

    first.chat.discard(1, 'cid-1');
    await flush();
    expect(roomMessagesOf(first.chat.state, 1).pending).toEqual([]);
    expect(roomMessagesOf(copy.chat.state, 1).pending.map((p) => p.content)).toEqual(['The door code is 4512']);
    expect(copy.transport.withdrawn).toEqual([]);
  });
});
