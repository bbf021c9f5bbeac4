/** The list of a room with more new messages than the first page (jsdom: what is shown and said; where it scrolls is tested in e2e/openAtFirstNew.test.ts). */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
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
  // The pages asked for before the room shows its line: those its opening needed. (jsdom has no layout:
  // react-virtuoso may find the list's top in view afterwards and ask for older pages, as a reader scrolling up would.)
  const beforeShown: (number | undefined)[] = [];
  r.transport.history = (q) => {
    r.transport.historyCalls.push(q);
    if (!line()) beforeShown.push(q.beforeSeq);
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
  return { ...r, release, beforeShown };
}

function text(content: string) {
  return screen.queryByText(content, { selector: '.message-text' });
}

function line() {
  return screen.queryByRole('separator', { name: 'New messages' });
}

// The failure status stays 4 s before the button is back: more than the default test timeout on a busy machine.
describe('a room with more new messages than the first page', { timeout: 20_000 }, () => {
  it('says it is loading, without showing the newest, until the older pages up to the first new one are there; then shows it under the line', async () => {
    const { release, beforeShown } = openRoom(200, 80, true);
    await release();
    expect(screen.getByText('Loading messages…')).toBeTruthy();
    expect(text('message 200')).toBeNull();
    await release();
    expect(screen.getByText('Loading messages…')).toBeTruthy();
    await release();
    await waitFor(() => expect(line()?.closest('.message-row')?.textContent).toContain('message 81'));
    expect(screen.queryByText('Loading messages…')).toBeNull();
    expect(beforeShown).toEqual([undefined, 151, 101]);
  });

  it('with the first new one more than 500 back, opens at the newest and offers a button up to it, which loads the pages up to it', async () => {
    const { chat } = openRoom(700, 100);
    await waitFor(() => expect(text('message 700')).toBeTruthy());
    expect(line()).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: '↑ 600 unread messages' }));
    expect(screen.getByText('Loading the unread messages…')).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Loading the unread messages…')).toBeNull(), { timeout: 15_000 });
    // Loaded up to it (where the list then scrolls is for a real browser: e2e/openAtFirstNew.test.ts), and the button is done.
    expect(chat.state.roomMessages[1]?.messages[0]?.seq).toBeLessThanOrEqual(101);
    expect(screen.queryByRole('button', { name: /unread messages/ })).toBeNull();
  });

  it('says so when the pages up to it fail, and offers the button again', async () => {
    const { transport } = openRoom(700, 100);
    await screen.findByRole('button', { name: '↑ 600 unread messages' });
    transport.history = () => Promise.reject(new Error('offline'));
    fireEvent.click(screen.getByRole('button', { name: '↑ 600 unread messages' }));
    await screen.findByText('Could not load the unread messages.');
    await waitFor(() => expect(screen.getByRole('button', { name: '↑ 600 unread messages' })).toBeTruthy(), { timeout: 15_000 });
  });

  it('a room whose new messages fit in the first page opens as before: no more pages, no button', async () => {
    const { beforeShown } = openRoom(200, 170);
    await waitFor(() => expect(line()?.closest('.message-row')?.textContent).toContain('message 171'));
    expect(screen.queryByText('Loading messages…')).toBeNull();
    expect(beforeShown).toEqual([undefined]);
    expect(screen.queryByRole('button', { name: /unread messages/ })).toBeNull();
  });
});

describe('the support room I just opened (Contact support)', () => {
  it('opens at its greeting with no "New messages" line above it, and reads it', async () => {
    const sam = { id: 3, username: 'support1', displayName: 'Sam Support', role: 'support' } as const;
    const r = renderChat(<ChatRoom roomId={7} />);
    const greeting = message(7, 1, null, { content: 'Sam Support from support will help you here' });
    r.transport.historyAnswer = () => ({ messages: [greeting], hasMore: false });
    act(() => r.transport.emit('ready', { user: alice, rooms: [], totalUnread: 0 }));
    // What NavBar does with the answer of POST /api/support: the new room counts its greeting as unread.
    const support = room(7, { type: 'support', job: null, participants: [participant(alice), participant(sam)], lastSeq: 1, unread: 1, lastMessage: greeting });
    act(() => {
      r.chat.addRoom(support);
      r.chat.openRoom(7);
    });
    await wait(0);
    expect(screen.getByText('Sam Support from support will help you here')).toBeTruthy();
    expect(line()).toBeNull();
    expect(r.transport.reads).toEqual([{ roomId: 7, seq: 1 }]);
  });
});
