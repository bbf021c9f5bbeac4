/** The list of a room with more new messages than the first page (jsdom: what is shown and said; where it scrolls is tested in e2e/openAtFirstNew.test.ts). */
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

const wait = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));

// jsdom has no scrollBy; react-virtuoso calls it to keep the view in place when older pages are prepended.
Element.prototype.scrollBy ??= () => {};

/** Alice read a room of `total` messages from Bob up to `readUpTo`; the server pages it 50 at a time. `hold` keeps each page until released. */
function openRoom(total: number, readUpTo: number, hold = false) {
  const r = renderChat(<ChatRoom roomId={1} />);
  const all: Message[] = Array.from({ length: total }, (_, i) => message(1, i + 1, bob));
  const answer = (q: { beforeSeq?: number }) => {
    const below = all.filter((m) => q.beforeSeq === undefined || m.seq < q.beforeSeq);
    return { messages: below.slice(-50), hasMore: below.length > 50 };
  };
  const held: (() => void)[] = [];
  r.transport.history = (q) => {
    r.transport.historyCalls.push(q);
    if (!hold) return Promise.resolve(answer(q));
    return new Promise((resolve) => held.push(() => resolve(answer(q))));
  };
  const unread = total - readUpTo;
  const participants = [participant(alice, { lastReadSeq: readUpTo }), participant(bob)];
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: total, unread, participants })], totalUnread: unread }));
  act(() => r.chat.openRoom(1));
  const release = async () => {
    act(() => held.shift()?.());
    await wait(0);
  };
  return { ...r, release };
}

function text(content: string) {
  return screen.queryByText(content, { selector: '.message-text' });
}

function line() {
  return screen.queryByRole('separator', { name: 'New messages' });
}

describe('a room with more new messages than the first page', () => {
  it('says it is loading, without showing the newest, until the older pages up to the first new one are there; then shows it under the line', async () => {
    const { release, transport } = openRoom(200, 80, true);
    await release();
    expect(screen.getByText('Loading messages…')).toBeTruthy();
    expect(text('message 200')).toBeNull();
    await release();
    expect(screen.getByText('Loading messages…')).toBeTruthy();
    await release();
    expect(screen.queryByText('Loading messages…')).toBeNull();
    expect(line()?.closest('.message-row')?.textContent).toContain('message 81');
    expect(transport.historyCalls.map((q) => q.beforeSeq)).toEqual([undefined, 151, 101]);
  });

  it('a room whose new messages fit in the first page opens as before: no more pages, no button', async () => {
    const { transport } = openRoom(200, 170);
    await wait(0);
    expect(screen.queryByText('Loading messages…')).toBeNull();
    expect(line()?.closest('.message-row')?.textContent).toContain('message 171');
    expect(transport.historyCalls).toHaveLength(1);
    expect(screen.queryByRole('button', { name: /unread messages/ })).toBeNull();
  });
});
