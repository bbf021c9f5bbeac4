/** What the tab's saved outbox (savedChat.ts) holds of messages discarded unsent and of deletions not answered yet. */
import { describe, expect, it } from 'vitest';
import { roomMessagesOf } from './store.ts';
import { MemoryStorage, page } from '../test/tabPage.ts';

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

  it('cannot be one that went on the socket before the reload: it may be stored, so it is sent again', () => {
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
});
