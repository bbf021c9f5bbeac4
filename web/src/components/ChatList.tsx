/**
 * The list of the user's rooms, most recently active first. Virtualised (react-virtuoso): a
 * support agent holds thousands of rooms, and one DOM row per room made the list take seconds
 * to show and every new message cost a layout of all of them.
 *
 * Only the rows in view are rendered, so focus is asked for by room id and given when that
 * room's row is rendered: the arrow keys, Home and End move between rooms (Tab still goes
 * row by row), and the room just left is where the list opens, with focus on it.
 */
import { useCallback, useContext, useRef, type KeyboardEvent } from 'react';
import type { Role } from '@ecc/protocol';
import { Virtuoso, VirtuosoMockContext, type Components, type VirtuosoHandle } from 'react-virtuoso';
import { useChatSelector } from '../chat/ChatContext.tsx';
import { ChatListItem } from './ChatListItem.tsx';
import { focusLost } from './focusLost.ts';
import { targetIndex } from './listNavigation.ts';
import { useToday } from './useToday.ts';

interface Props {
  /** The room the user came back from: the list opens there and focuses it if focus was lost (its Back button is gone). */
  returnTo?: number | null;
}

interface WantedFocus {
  roomId: number;
  /** Only when nothing else has focus by the time the row is drawn (focus going back after leaving a room). */
  onlyIfLost: boolean;
}

export function ChatList({ returnTo = null }: Props) {
  const roomOrder = useChatSelector((s) => s.roomOrder);
  const everReady = useChatSelector((s) => s.everReady);
  const role = useChatSelector((s) => s.me?.role);
  // Read here, not per row: at midnight every row's time turns into a date.
  const today = useToday();
  const virtuoso = useRef<VirtuosoHandle>(null);
  const scroller = useRef<HTMLElement | null>(null);
  // Under a mocked viewport (jsdom tests) a list opened anywhere but at its start is never drawn.
  const mockedViewport = useContext(VirtuosoMockContext) !== undefined;
  const wanted = useRef<WantedFocus | null>(returnTo === null ? null : { roomId: returnTo, onlyIfLost: true });

  const onShown = useCallback((roomId: number, button: HTMLButtonElement) => {
    const want = wanted.current;
    if (want?.roomId !== roomId) return;
    // Kept until the focus lands: react-virtuoso draws a short list once hidden and then again,
    // replacing the row, and the row drawn again must take the focus the first one could not.
    const stillWanted = () => wanted.current === want && (!want.onlyIfLost || focusLost());
    focusOnceShown(button, stillWanted, () => {
      if (wanted.current === want) wanted.current = null;
    });
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    const from = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-room-id]') : null;
    if (!from || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const to = targetIndex(e.key, roomOrder.indexOf(Number(from.dataset.roomId)), roomOrder.length);
    const roomId = to === null ? undefined : roomOrder[to];
    if (to === null || roomId === undefined) return;
    e.preventDefault();
    const row = scroller.current?.querySelector<HTMLElement>(`[data-room-id="${roomId}"]`);
    if (row) {
      row.focus();
      return;
    }
    wanted.current = { roomId, onlyIfLost: false };
    virtuoso.current?.scrollToIndex({ index: to, align: e.key === 'ArrowUp' || e.key === 'Home' ? 'start' : 'end' });
  };

  const itemContent = useCallback(
    (_: number, roomId: number) => <ChatListItem roomId={roomId} today={today} onShown={onShown} />,
    [today, onShown],
  );

  if (roomOrder.length === 0) {
    return <p className="empty-state">{everReady ? emptyListHint(role) : 'Loading conversations…'}</p>;
  }
  const returnIndex = returnTo === null ? -1 : roomOrder.indexOf(returnTo);
  return (
    <Virtuoso
      ref={virtuoso}
      className="chat-list-scroller"
      data={roomOrder}
      computeItemKey={(_, roomId) => roomId}
      itemContent={itemContent}
      context={{ count: roomOrder.length }}
      components={LIST_COMPONENTS}
      initialTopMostItemIndex={returnIndex < 0 || mockedViewport ? 0 : { index: returnIndex, align: 'center' }}
      // The rows are the tab stops, not the scroller around them.
      tabIndex={-1}
      // Rows beyond the edges are drawn too (some six), so Tab and Shift+Tab find the next one even
      // when pressed again before the list has drawn more.
      increaseViewportBy={400}
      scrollerRef={(el) => {
        scroller.current = el instanceof HTMLElement ? el : null;
      }}
      onKeyDown={onKeyDown}
    />
  );
}

/** What starts a conversation for this user: support staff neither accept jobs nor contact support. */
function emptyListHint(role: Role | undefined): string {
  if (role === 'support') return 'No conversations yet. Users who contact support will appear here.';
  return 'No conversations yet. Accept a job or contact support to start one.';
}

/**
 * Focuses `el` as soon as it can take focus: react-virtuoso keeps a list hidden until its first
 * scroll (to the room just left) is done, and a hidden button refuses focus. `done` is called once
 * it has the focus, is no longer wanted there, or never took it; not when `el` left the DOM (the
 * row drawn in its place tries again).
 */
function focusOnceShown(el: HTMLElement, stillWanted: () => boolean, done: () => void, frames = 60): void {
  if (!el.isConnected) return;
  if (!stillWanted()) return done();
  el.focus();
  if (document.activeElement === el || frames === 0) return done();
  requestAnimationFrame(() => focusOnceShown(el, stillWanted, done, frames - 1));
}


interface ListContext {
  count: number;
}

// A list of listitems as before virtualising; a screen reader is told the full count and each row's place in it.
const LIST_COMPONENTS: Components<number, ListContext, HTMLUListElement> = {
  List: ({ context: _context, ...props }) => <ul {...props} className="chat-list" aria-label="Conversations" />,
  Item: ({ context, item: _item, ...props }) => <li {...props} aria-setsize={context.count} aria-posinset={props['data-index'] + 1} />,
};
