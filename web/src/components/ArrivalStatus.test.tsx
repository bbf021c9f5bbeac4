import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatRoom } from './ChatRoom.tsx';
import { ANNOUNCE_GAP_MS } from './ArrivalStatus.tsx';
import { renderChat, flush } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';
import type { FakeTransport } from '../test/fakeTransport.ts';

// jsdom has no scrollBy; react-virtuoso calls it to keep the view in place when older pages are prepended.
Element.prototype.scrollBy ??= () => {};


/** Alice's room with Bob, its newest page (seq 11–12) loaded and an older one (1–10) still on the server. */
async function openRoom() {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = (q) =>
    q.beforeSeq === undefined
      ? { messages: [message(1, 11, bob, { content: 'Hello Alice' }), message(1, 12, alice, { content: 'Hi Bob' })], hasMore: true }
      : { messages: Array.from({ length: 10 }, (_, i) => message(1, i + 1, bob, { content: `Old news ${i + 1}` })), hasMore: false };
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 12 })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  return r;
}

/** The visually hidden status line beside the list. */
function statusLine(): HTMLElement {
  const line = screen.getAllByRole('status').find((el) => el.classList.contains('arrival-status'));
  if (!line) throw new Error('no arrival status line');
  return line;
}

describe('announcing arrivals in the open room', () => {
  it('the list itself does not announce: the log keeps its role and name, with aria-live="off"', async () => {
    await openRoom();
    expect(screen.getByRole('log', { name: 'Conversation' }).getAttribute('aria-live')).toBe('off');
  });

  it('a message from the other person arriving live is said in the status line, its text cut', async () => {
    const r = await openRoom();
    expect(statusLine().textContent).toBe('');
    act(() => r.transport.emit('message', { message: message(1, 13, bob, { content: 'On my way, be there in ten minutes' }) }));
    expect(statusLine().textContent).toBe('New message from Bob Cleaner: On my way, be there in ten minutes');
    expect(statusLine().classList.contains('visually-hidden')).toBe(true);
  });

  it('a long message is cut in the announcement', async () => {
    const r = await openRoom();
    act(() => r.transport.emit('message', { message: message(1, 13, bob, { content: 'x'.repeat(500) }) }));
    const text = statusLine().textContent ?? '';
    expect(text.startsWith('New message from Bob Cleaner: xxx')).toBe(true);
    expect(text.length).toBeLessThan(140);
  });

  it('says nothing for an older page, my own message or an edit; then still says what Bob sends', async () => {
    const r = await openRoom();
    await act(() => r.chat.loadMessages(1, 'older'));
    await flush();
    expect(r.chat.store.getState().roomMessages[1]?.messages).toHaveLength(12);
    expect(statusLine().textContent).toBe('');

    const box = screen.getByLabelText('Message');
    fireEvent.change(box, { target: { value: 'See you soon' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    act(() => r.transport.sent[0]?.resolve(message(1, 13, alice, { clientId: 'cid-1', content: 'See you soon' })));
    await flush();
    expect(screen.getByText('See you soon')).toBeTruthy();
    expect(statusLine().textContent).toBe('');

    act(() => r.transport.emit('message_updated', { message: message(1, 11, bob, { content: 'Hello Alice!', editedAt: '2026-11-25T10:05:00.000Z' }) }));
    expect(statusLine().textContent).toBe('');

    act(() => r.transport.emit('message', { message: message(1, 14, bob, { content: 'Great' }) }));
    expect(statusLine().textContent).toBe('New message from Bob Cleaner: Great');
  });

  it('several arriving together are said once, as a count', async () => {
    const r = await openRoom();
    act(() => {
      r.transport.emit('message', { message: message(1, 13, bob, { content: 'One' }) });
      r.transport.emit('message', { message: message(1, 14, bob, { content: 'Two' }) });
      r.transport.emit('message', { message: message(1, 15, bob, { content: 'Three' }) });
    });
    expect(statusLine().textContent).toBe('3 new messages from Bob Cleaner');
  });

  it('messages following one another closely are said one time after the first, as a count', async () => {
    const r = await openRoom();
    act(() => r.transport.emit('message', { message: message(1, 13, bob, { content: 'One' }) }));
    expect(statusLine().textContent).toBe('New message from Bob Cleaner: One');
    act(() => r.transport.emit('message', { message: message(1, 14, bob, { content: 'Two' }) }));
    act(() => r.transport.emit('message', { message: message(1, 15, bob, { content: 'Three' }) }));
    expect(statusLine().textContent).toBe('New message from Bob Cleaner: One');
    await waitFor(() => expect(statusLine().textContent).toBe('2 new messages from Bob Cleaner'), { timeout: ANNOUNCE_GAP_MS + 1000 });
  });

  it('messages missed while the connection was down are said as their count once fetched, not as the last one alone', async () => {
    const r = await openRoom();
    reconnectMissingThree(r.transport);
    await flush();
    expect(statusLine().textContent).toBe('3 new messages from Bob Cleaner');
  });

  it('messages missed while the connection was down, in a room shown before its first page came, are said as their count once fetched', async () => {
    const r = renderChat(<ChatRoom roomId={1} />);
    r.transport.history = () => new Promise(() => {});
    act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 12 })], totalUnread: 0 }));
    act(() => r.chat.openRoom(1));
    await flush();
    reconnectMissingThree(r.transport);
    await flush();
    expect(statusLine().textContent).toBe('3 new messages from Bob Cleaner');
  });
});

/** A reconnect whose ready names seq 15 as the newest, then the three from Bob it missed (13–15), as the library fetches them. */
function reconnectMissingThree(transport: FakeTransport): void {
  const missed = [message(1, 13, bob, { content: 'Running late' }), message(1, 14, bob, { content: 'Traffic' }), message(1, 15, bob, { content: 'Parking now' })];
  // The reconnect's ready names the room's newest before the client library fetches the gap.
  act(() => transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 15, lastMessage: missed[2] })], totalUnread: 0 }));
  act(() => {
    for (const m of missed) transport.emit('message', { message: m });
  });
}
