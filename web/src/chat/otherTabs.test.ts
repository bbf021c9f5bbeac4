/**
 * otherTabs.ts over the runtime's real BroadcastChannel: what it takes from the channel, whose channel
 * it is, and that a discard is remembered before it is told. Each test uses its own user ids: a channel
 * left open elsewhere in this file would hear it otherwise.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DiscardedSends } from './discardedSends.ts';
import { channelName, otherTabs } from './otherTabs.ts';
import { MemoryStorage } from '../test/tabPage.ts';

const closing: (() => void)[] = [];
afterEach(() => {
  for (const close of closing.splice(0)) close();
});

function listen(userId: number, local: MemoryStorage) {
  const tabs = otherTabs(userId, local);
  const heard: [number, string][] = [];
  closing.push(tabs.onDiscarded((roomId, clientId) => heard.push([roomId, clientId])));
  return { tabs, heard };
}

function rawChannel(userId: number): BroadcastChannel {
  const channel = new BroadcastChannel(channelName(userId));
  closing.push(() => channel.close());
  return channel;
}

describe('the other tabs of a user, over a real BroadcastChannel', () => {
  it('hears a discard made in another tab of the same user, and neither its own nor another user\'s', async () => {
    const local = new MemoryStorage();
    const mine = listen(101, local);
    const twin = listen(101, local);
    const someoneElse = listen(102, local);
    mine.tabs.discarded(1, 'cid-1');
    await vi.waitFor(() => expect(twin.heard).toEqual([[1, 'cid-1']]));
    expect(mine.heard).toEqual([]);
    expect(someoneElse.heard).toEqual([]);
    expect(someoneElse.tabs.wasDiscarded(1, 'cid-1')).toBe(false);
  });

  it('ignores what is not a discard it knows on its channel (another version, a bad id, a string)', async () => {
    const tab = listen(103, new MemoryStorage());
    const raw = rawChannel(103);
    const unknown = [
      'discarded',
      { type: 'discarded', roomId: 0, clientId: 'cid-1' },
      { type: 'discarded', roomId: '1', clientId: 'cid-1' },
      { type: 'discarded', roomId: 1, clientId: '' },
      { type: 'discarded', roomId: 1, clientId: 'x'.repeat(1000) },
      { type: 'discard', roomId: 1, clientId: 'cid-1' },
    ];
    for (const data of unknown) raw.postMessage(data);
    raw.postMessage({ type: 'discarded', roomId: 2, clientId: 'cid-2' });
    await vi.waitFor(() => expect(tab.heard).toEqual([[2, 'cid-2']]));
  });

  it('remembers the discard before it is told: a tab starting when the message arrives finds it', async () => {
    const local = new MemoryStorage();
    const tab = otherTabs(104, local);
    const raw = rawChannel(104);
    const found: boolean[] = [];
    raw.onmessage = () => found.push(new DiscardedSends(local, 104).has(3, 'cid-7'));
    tab.discarded(3, 'cid-7');
    await vi.waitFor(() => expect(found).toEqual([true]));
    expect(otherTabs(104, local).wasDiscarded(3, 'cid-7')).toBe(true);
  });

  it('knows another tab of the user is open once it says hello, or answers this one\'s', async () => {
    const local = new MemoryStorage();
    const first = listen(105, local);
    // Asked of a message put back from storage (not made here): held elsewhere as soon as any tab is.
    expect(first.tabs.mayHoldCopy('put-back')).toBe(false);
    listen(106, local);
    const second = listen(105, local);
    await vi.waitFor(() => expect(second.tabs.mayHoldCopy('put-back')).toBe(true));
    expect(first.tabs.mayHoldCopy('put-back')).toBe(true);
    // A hello discards nothing.
    expect(first.heard).toEqual([]);
  });

  it('takes a message made here to be held elsewhere only once a tab started after it was made; one put back from storage, once any was heard', async () => {
    const local = new MemoryStorage();
    const mine = listen(107, local);
    mine.tabs.madeHere('before');
    listen(107, local);
    await vi.waitFor(() => expect(mine.tabs.mayHoldCopy('before')).toBe(true));
    mine.tabs.madeHere('after');
    expect(mine.tabs.mayHoldCopy('after')).toBe(false);
    expect(mine.tabs.mayHoldCopy('restored')).toBe(true);
    // Where tabs cannot be heard, any may.
    const deaf = otherTabs(107, local, null);
    deaf.madeHere('x');
    expect(deaf.mayHoldCopy('x')).toBe(true);
  });
});
