/** A reply's quote leads to the original (jsdom: what is shown and said; the scrolling itself is tested in e2e/replyJump.test.ts). */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';

const wait = (ms: number) => act(() => new Promise((r) => setTimeout(r, ms)));

// jsdom has no scrollBy; react-virtuoso calls it to keep the view in place when older pages are prepended.
Element.prototype.scrollBy ??= () => {};

function replyTo(seq: number, original: Message | undefined, extra: Partial<Message> = {}): Message {
  const excerpt = original?.deletedAt ? '' : (original?.content ?? `message ${seq}`);
  return message(1, 0, alice, { content: 'About that', replyTo: { id: 100_000 + seq, seq, sender: bob, excerpt }, ...extra });
}

/** A room of `total` messages from Bob, 50 a page, the last of them Alice's reply to `seq`. */
async function openRoomWithReply(total: number, seq: number, edit: (m: Message) => Message | null = (m) => m) {
  const r = renderChat(<ChatRoom roomId={1} />);
  const all = Array.from({ length: total - 1 }, (_, i) => edit(message(1, i + 1, bob))).filter((m) => m !== null);
  all.push({ ...replyTo(seq, all.find((m) => m.seq === seq)), seq: total, id: 100_000 + total });
  r.transport.historyAnswer = (q) => {
    const below = all.filter((m) => q.beforeSeq === undefined || m.seq < q.beforeSeq);
    return { messages: below.slice(-50), hasMore: below.length > 50 };
  };
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: total })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  // The room's first page is an answer away: under load it is not drawn by the next tick.
  await screen.findByRole('article', { name: 'From You' });
  return r;
}

function quote() {
  return within(screen.getByRole('article', { name: 'From You' })).getByRole('button', { name: /^Show the original message from Bob Cleaner/ });
}

function row(text: string) {
  return screen.getByText(text, { selector: '.message-text' }).closest('.message-row');
}

// Under a loaded machine (CI runs the server suites beside these) a 1 s wait and a 5 s test ran out.
describe('a reply quote', { timeout: 20_000 }, () => {
  it('highlights the original when pressed and moves focus to it, then the highlight passes', async () => {
    await openRoomWithReply(20, 12);
    fireEvent.click(quote());
    await waitFor(() => expect(row('message 12')?.classList.contains('jump-highlight')).toBe(true));
    // On the original's article, not left on the quote.
    expect(document.activeElement?.getAttribute('role')).toBe('article');
    expect(document.activeElement?.querySelector('.message-text')?.textContent).toBe('message 12');
    await waitFor(() => expect(row('message 12')?.classList.contains('jump-highlight')).toBe(false), { timeout: 6000 });
  });

  it('loads the older pages the original is on first', async () => {
    const { transport } = await openRoomWithReply(200, 3);
    expect(screen.queryByText('message 3', { selector: '.message-text' })).toBeNull();
    fireEvent.click(quote());
    expect(screen.getByText('Finding the original message…')).toBeTruthy();
    await waitFor(() => expect(row('message 3')?.classList.contains('jump-highlight')).toBe(true));
    expect(transport.historyCalls.map((q) => q.beforeSeq)).toEqual([undefined, 151, 101, 51]);
    expect(screen.queryByText('Finding the original message…')).toBeNull();
  });

  it('says so when the original was deleted, and highlights nothing', async () => {
    await openRoomWithReply(20, 12, (m) => (m.seq === 12 ? { ...m, deletedAt: m.createdAt } : m));
    fireEvent.click(quote());
    await screen.findByText('The original message was deleted.');
    await wait(300);
    expect(document.querySelector('.jump-highlight')).toBeNull();
  });

  it('says so when the original cannot be found, after loading up to the start of the room, once', async () => {
    const { transport } = await openRoomWithReply(120, 10, (m) => (m.seq === 10 ? null : m));
    fireEvent.click(quote());
    await screen.findByText('The original message could not be found.');
    expect(transport.historyCalls).toHaveLength(3);
    // It passes by itself.
    await waitFor(() => expect(screen.queryByText('The original message could not be found.')).toBeNull(), { timeout: 8000 });
  });

  it('says so when an older page fails to load', async () => {
    const { transport } = await openRoomWithReply(200, 3);
    transport.history = () => Promise.reject(new Error('offline'));
    fireEvent.click(quote());
    await screen.findByText('Could not load the original message.');
    expect(screen.queryByText('Finding the original message…')).toBeNull();
  });
});
