/** The open room back in view after messages arrived while the tab was hidden: what is shown and said (jsdom). */
import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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

/**
 * jsdom lays nothing out: the list's scroller is given a 500 px view, and the "New messages" line
 * the place `lineTop` says (its top against the view's), as the browser would measure them.
 */
describe('back at the newest with the "New messages" line loaded above the view', () => {
  let lineTop = 0;
  beforeEach(() => {
    const rect = (top: number, height: number) => ({ x: 0, y: top, top, bottom: top + height, left: 0, right: 400, width: 400, height, toJSON: () => ({}) });
    vi.spyOn(Element.prototype, 'getBoundingClientRect').mockImplementation(function (this: Element) {
      if (this.classList.contains('message-list')) return rect(0, 500);
      if (this.classList.contains('unread-separator')) return rect(lineTop, 20);
      return rect(0, 0);
    });
  });
  afterEach(() => vi.restoreAllMocks());

  const upButton = () => screen.queryByRole('button', { name: /unread message/ });
  /** The reader (or the list following the newest) scrolls, and a frame passes. */
  const scrolled = (top: number) =>
    act(async () => {
      lineTop = top;
      fireEvent.scroll(document.querySelector('.message-list') as Element);
      await new Promise((r) => setTimeout(r, 50));
    });
  /**
   * 80 messages from Bob come while the tab is hidden; the list follows them down (the line goes by
   * on screen, seen by no one), and the tab comes back in front.
   */
  const missEightyWhileHidden = async () => {
    const r = await openRead();
    act(() => r.env.setVisible(false));
    for (let seq = 11; seq <= 90; seq += 1) {
      act(() => r.transport.emit('message', { message: message(1, seq, bob, { content: `Away ${seq - 10}` }) }));
    }
    await scrolled(300);
    await scrolled(-3000);
    act(() => r.env.setVisible(true));
    await flush();
    return r;
  };

  it('offers a way up to it that says how many came, in the status line beside the list', async () => {
    await missEightyWhileHidden();
    const up = upButton();
    expect(up?.textContent).toBe('↑ 80 unread messages');
    expect(up?.closest('[role="status"]')).not.toBeNull();
  });

  it('keeps saying how many it stands for while more come, read as they come, at the newest in the tab in front', async () => {
    const r = await missEightyWhileHidden();
    const slot = upButton()?.closest('[role="status"]');
    expect(slot?.textContent).toBe('↑ 80 unread messages');
    // Every text the button's status region takes from now on: a screen reader would say each.
    const said: string[] = [];
    const watcher = new MutationObserver(() => said.push(slot?.textContent ?? ''));
    if (slot) watcher.observe(slot, { childList: true, characterData: true, subtree: true });

    for (let seq = 91; seq <= 95; seq += 1) {
      act(() => r.transport.emit('message', { message: message(1, seq, bob, { content: `Live ${seq - 90}` }) }));
      // The list follows them down: the line stays above the view.
      await scrolled(-3000 - 40 * (seq - 90));
    }
    watcher.disconnect();
    // ChatRoom's arrival line says them; the button, in the tab in front all along, still says what is above.
    expect(said.filter((text) => text !== '↑ 80 unread messages')).toEqual([]);
    expect(upButton()?.textContent).toBe('↑ 80 unread messages');
    // Read as they came: these were never the unread ones above.
    expect(r.transport.reads).toContainEqual({ roomId: 1, seq: 95 });
  });

  it('does not offer it once the line has been on screen in the tab in front', async () => {
    const r = await openRead();
    act(() => r.env.setVisible(false));
    for (let seq = 11; seq <= 13; seq += 1) {
      act(() => r.transport.emit('message', { message: message(1, seq, bob, { content: `Away ${seq - 10}` }) }));
    }
    lineTop = 300;
    act(() => r.env.setVisible(true));
    await flush();
    expect(rowWithLine()).toContain('Away 1');
    // Read on down past it.
    await scrolled(-200);
    expect(upButton()).toBeNull();
  });
});
