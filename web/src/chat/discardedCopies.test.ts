/**
 * A message discarded in one tab while a tab duplicated from it ("Duplicate tab" copies sessionStorage)
 * holds a copy but is not listening: still loading, its server out of reach, on the sign-in page with the
 * copy in memory, closed and reopened. The copy finds the discard when it puts its saved messages back.
 */
import { describe, expect, it } from 'vitest';
import { roomMessagesOf } from './store.ts';
import { SavedChat } from './savedChat.ts';
import { holdUnsent } from '../session.ts';
import { otherTabs } from './otherTabs.ts';
import { MemoryStorage, TabHub, page } from '../test/tabPage.ts';
import { alice, bob } from '../test/fixtures.ts';

const flush = () => new Promise((r) => setTimeout(r, 0));
const photo = { id: 7, name: 'keys.png', mime: 'image/png', size: 10, url: '/api/attachments/7' };
const holds = (storage: MemoryStorage, text: string) => [...storage.items.values()].some((v) => v.includes(text));

/** Alice's first tab, offline, with a message typed; and a copy of its sessionStorage taken then. */
function offlineWithCopy(hub: TabHub) {
  const storage = new MemoryStorage();
  const first = page(storage, undefined, 'cid', hub.tab());
  first.transport.emit('state', { state: 'reconnecting', attempt: 1 });
  first.chat.sendMessage(1, 'The door code is 4512');
  first.chat.sendMessage(1, 'See you at 9');
  return { first, copied: storage.duplicate() };
}

describe('a copy not listening when the message was discarded', () => {
  it('does not send it once its page starts (the server back within its reach), and drops it from its saved outbox', async () => {
    const hub = new TabHub();
    const { first, copied } = offlineWithCopy(hub);
    first.chat.discard(1, 'cid-1');
    await flush();

    const copy = page(copied, undefined, 'copy', hub.tab());
    copy.ready();
    expect(copy.transport.sent.map((s) => s.input.content)).toEqual(['See you at 9']);
    expect(roomMessagesOf(copy.chat.state, 1).pending.map((p) => p.content)).toEqual(['See you at 9']);
    expect(holds(copied, 'The door code is 4512')).toBe(false);
  });

  it('does not send it when its user signs in again, the copy held in memory meanwhile (its session had ended)', async () => {
    const hub = new TabHub();
    const { first, copied } = offlineWithCopy(hub);
    sessionStorage.clear();
    for (const [key, value] of copied.items) sessionStorage.setItem(key, value);
    const copy = page(sessionStorage, undefined, 'copy', hub.tab());
    // The copy's session ends (signed out elsewhere): its messages wait in memory, the sign-in page shows.
    const held = holdUnsent(alice.id);
    copy.chat.disconnect();
    first.chat.discard(1, 'cid-1');
    await flush();

    // Signing in again puts back what was held (session.ts) before the chat starts.
    const again = new MemoryStorage();
    new SavedChat(again, alice.id).write(held.data);
    const signedIn = page(again, undefined, 'again', hub.tab());
    signedIn.ready();
    expect(signedIn.transport.sent.map((s) => s.input.content)).toEqual(['See you at 9']);
  });

  it('drops it at its next connection when its page held it in memory and missed the discard told live (frozen in the background)', async () => {
    const hub = new TabHub();
    const { first, copied } = offlineWithCopy(hub);
    // A page frozen in the background (or in the back-forward cache) hears nothing on the channel.
    const frozen = otherTabs(alice.id, hub.local, () => ({ postMessage: () => undefined, close: () => undefined, onmessage: null }));
    const copy = page(copied, undefined, 'copy', frozen);
    copy.transport.emit('state', { state: 'reconnecting', attempt: 1 });
    first.chat.discard(1, 'cid-1');
    await flush();
    expect(roomMessagesOf(copy.chat.state, 1).pending.map((p) => p.content)).toEqual(['The door code is 4512', 'See you at 9']);

    // Thawed, it connects again: the discarded one is taken back before the library sends what it queued.
    copy.ready();
    expect(copy.transport.withdrawn).toEqual(['cid-1']);
    expect(roomMessagesOf(copy.chat.state, 1).pending.map((p) => p.content)).toEqual(['See you at 9']);
    expect(holds(copied, 'The door code is 4512')).toBe(false);
  });

  it('is a discard of this user only: a tab of another user signed in here sends its own message under that clientId', async () => {
    const hub = new TabHub();
    const { first } = offlineWithCopy(hub);
    const bobs = new MemoryStorage();
    const before = page(bobs, bob, 'cid');
    before.chat.sendMessage(1, 'Running late');
    first.chat.discard(1, 'cid-1');
    await flush();

    const bobTab = page(bobs, bob, 'later', hub.tab(bob));
    bobTab.ready();
    expect(bobTab.transport.sent.map((s) => s.input.content)).toEqual(['Running late']);
  });
});

describe('discarding while another tab of mine is open (it may hold a copy, and may have sent it)', () => {
  it('knows which messages another tab may hold: made here before a tab started (a duplicate), or put back from storage while another is open', async () => {
    const hub = new TabHub();
    const storage = new MemoryStorage();
    const first = page(storage, undefined, 'cid', hub.tab());
    first.transport.emit('state', { state: 'reconnecting', attempt: 1 });
    first.chat.sendMessage(1, 'Before the copy');
    await flush();
    expect(first.chat.copyMayBeElsewhere('cid-1')).toBe(false);
    const copy = page(storage.duplicate(), undefined, 'copy', hub.tab());
    await flush();
    await flush();
    expect(first.chat.copyMayBeElsewhere('cid-1')).toBe(true);
    // Made after the copy was taken: no tab holds it but this one.
    first.chat.sendMessage(1, 'After the copy');
    expect(first.chat.copyMayBeElsewhere('cid-2')).toBe(false);
    // The copy put its messages back from storage, another tab open: it may itself be the duplicate.
    expect(copy.chat.copyMayBeElsewhere('cid-1')).toBe(true);
    copy.chat.sendMessage(1, 'Typed in the copy');
    expect(copy.chat.copyMayBeElsewhere('copy-1')).toBe(false);
    // A tab of another user is not one of mine.
    const other = new TabHub();
    page(new MemoryStorage(), undefined, 'a', other.tab(alice));
    const bobsStorage = new MemoryStorage();
    page(bobsStorage, bob, 'b', null).chat.sendMessage(1, 'Running late');
    const bobs = page(bobsStorage, bob, 'b', other.tab(bob));
    await flush();
    expect(bobs.chat.copyMayBeElsewhere('b-1')).toBe(false);
  });

  it('keeps the attached file on the server: the copy may send it (the server caps unsent uploads); alone, it is deleted', async () => {
    const hub = new TabHub();
    const storage = new MemoryStorage();
    const first = page(storage, undefined, 'cid', hub.tab());
    first.transport.emit('state', { state: 'reconnecting', attempt: 1 });
    first.chat.sendMessage(1, 'The keys', undefined, photo);
    first.chat.sendMessage(1, 'The other keys', undefined, { ...photo, id: 8 });
    await flush();
    first.chat.discard(1, 'cid-1');
    expect(first.uploader.discarded).toEqual([7]);

    page(storage.duplicate(), undefined, 'copy', hub.tab());
    await flush();
    await flush();
    first.chat.discard(1, 'cid-2');
    expect(roomMessagesOf(first.chat.state, 1).pending).toEqual([]);
    expect(first.uploader.discarded).toEqual([7]);
  });
});
