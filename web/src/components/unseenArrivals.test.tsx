/** The open room back in view after messages arrived while the tab was hidden: what is shown and said (jsdom). */
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat, flush } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

// jsdom has no scrollBy; react-virtuoso calls it to keep the view in place when older pages are prepended.
Element.prototype.scrollBy ??= () => {};

/** Alice has read Bob's messages 1–10 in room 1, open in a visible tab. */
async function openRead() {
  const r = renderChat(<ChatRoom roomId={1} />);
  const seen = Array.from({ length: 10 }, (_, i) => message(1, i + 1, bob, { content: `Seen ${i + 1}` }));
  r.transport.historyAnswer = () => ({ messages: seen, hasMore: false });
  const participants = [participant(alice, { lastReadSeq: 10 }), participant(bob)];
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 10, lastMessage: seen[9], participants })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await flush();
  return r;
}

/** The visually hidden status line beside the list. */
function statusLine(): string {
  return screen.getAllByRole('status').find((el) => el.classList.contains('arrival-status'))?.textContent ?? '';
}

function rowWithLine(): string | null {
  return screen.queryByRole('separator', { name: 'New messages' })?.closest('.message-row')?.textContent ?? null;
}

describe('back in a tab that was hidden with the room open', () => {
  it('shows the "New messages" line above the first message that came meanwhile, and says how many came', async () => {
    const r = await openRead();
    act(() => r.env.setVisible(false));
    for (let seq = 11; seq <= 13; seq += 1) {
      act(() => r.transport.emit('message', { message: message(1, seq, bob, { content: `Away ${seq - 10}` }) }));
    }
    act(() => r.env.setVisible(true));
    await flush();
    expect(rowWithLine()).toContain('Away 1');
    // Said once, on return, for all three: a hidden tab's status line is heard by no one.
    expect(statusLine()).toBe('3 new messages from Bob Cleaner');
    expect(r.transport.reads).toContainEqual({ roomId: 1, seq: 13 });
  });

  it('says nothing while hidden', async () => {
    const r = await openRead();
    act(() => r.env.setVisible(false));
    act(() => r.transport.emit('message', { message: message(1, 11, bob, { content: 'Away 1' }) }));
    expect(statusLine()).toBe('');
    act(() => r.env.setVisible(true));
    expect(statusLine()).toBe('New message from Bob Cleaner: Away 1');
  });

  it('says nothing on return of what was read meanwhile on another device', async () => {
    const r = await openRead();
    act(() => r.env.setVisible(false));
    for (let seq = 11; seq <= 13; seq += 1) {
      act(() => r.transport.emit('message', { message: message(1, seq, bob, { content: `Away ${seq - 10}` }) }));
    }
    act(() => r.transport.emit('unread', { roomId: 1, unread: 0, totalUnread: 0 }));
    act(() => r.env.setVisible(true));
    await flush();
    expect(statusLine()).toBe('');
  });
});
