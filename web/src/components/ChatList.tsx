/**
 * The list of the user's rooms, most recently active first. Virtualised (react-virtuoso): a
 * support agent holds thousands of rooms, and one DOM row per room made the list take seconds
 * to show and every new message cost a layout of all of them.
 *
 * Only the rows in view are rendered, so focus is asked for by room id and given when that
 * room's row is rendered: the arrow keys, Home and End move between rooms (Tab still goes
 * row by row), and the room just left is where the list opens, with focus on it.
 *
 * Above it, from SEARCH_FROM rooms, a search box narrows it to the rooms matching what is typed
 * (roomSearch.ts), in the same order and as live.
 */
import { useCallback, useContext, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { Role } from '@ecc/protocol';
import { Virtuoso, VirtuosoMockContext, type Components, type VirtuosoHandle } from 'react-virtuoso';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { createRoomFilter } from '../chat/roomSearch.ts';
import { ChatListItem } from './ChatListItem.tsx';
import { ChatListSearch, NoMatches } from './ChatListSearch.tsx';
import { focusLost } from './focusLost.ts';
import { targetIndex } from './listNavigation.ts';
import { useToday } from './useToday.ts';

interface Props {
  /** The room the user came back from: the list opens there and focuses it if focus was lost (its Back button is gone). */
  returnTo?: number | null;
}

/**
 * The search box is offered from this many rooms: a client with a couple of job rooms sees them all
 * at a glance and needs no box taking the list's room; a support agent with hundreds does.
 */
const SEARCH_FROM = 8;

interface WantedFocus {
  roomId: number;
  /** Only when nothing else has focus by the time the row is drawn (focus going back after leaving a room). */
  onlyIfLost: boolean;
}

export function ChatList({ returnTo = null }: Props) {
  const chat = useChat();
  const roomOrder = useChatSelector((s) => s.roomOrder);
  const query = useChatSelector((s) => s.listQuery);
  // The rooms shown: all of them, or those matching the search (an array kept while the matches are the same).
  const matching = useMemo(createRoomFilter, []);
  const shown = useChatSelector(matching);
  const everReady = useChatSelector((s) => s.everReady);
  const role = useChatSelector((s) => s.me?.role);
  // Read here, not per row: at midnight every row's time turns into a date.
  const today = useToday();
  const virtuoso = useRef<VirtuosoHandle>(null);
  const scroller = useRef<HTMLElement | null>(null);
  const searchBox = useRef<HTMLInputElement>(null);
  // Under a mocked viewport (jsdom tests) a list opened anywhere but at its start is never drawn.
  const mockedViewport = useContext(VirtuosoMockContext) !== undefined;
  const wanted = useRef<WantedFocus | null>(returnTo === null ? null : { roomId: returnTo, onlyIfLost: true });

  // A new search shows its best (most recent) matches, wherever the list was scrolled to.
  const searched = useRef(query);
  useEffect(() => {
    if (searched.current === query) return;
    searched.current = query;
    virtuoso.current?.scrollTo({ top: 0 });
  }, [query]);

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

  /** Focuses the row at `index` of the rooms shown, scrolling it into view first when it is not drawn. */
  const focusRow = (index: number, align: 'start' | 'end') => {
    const roomId = shown[index];
    if (roomId === undefined) return;
    const row = scroller.current?.querySelector<HTMLElement>(`[data-room-id="${roomId}"]`);
    if (row) {
      row.focus();
      return;
    }
    wanted.current = { roomId, onlyIfLost: false };
    virtuoso.current?.scrollToIndex({ index, align });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const from = e.target instanceof HTMLElement ? e.target.closest<HTMLElement>('[data-room-id]') : null;
    if (!from || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const index = shown.indexOf(Number(from.dataset.roomId));
    // Up from the first row goes back to the search box, as Down from the box came here.
    if (e.key === 'ArrowUp' && index === 0 && searchBox.current) {
      e.preventDefault();
      searchBox.current.focus();
      return;
    }
    const to = targetIndex(e.key, index, shown.length);
    if (to === null) return;
    e.preventDefault();
    focusRow(to, e.key === 'ArrowUp' || e.key === 'Home' ? 'start' : 'end');
  };

  // One function for the list's life: react-virtuoso hands the scroller again (its scroll listener
  // taken down and set up, the layout read) whenever this prop changes, which was every message.
  const scrollerRef = useCallback((el: HTMLElement | Window | null) => {
    scroller.current = el instanceof HTMLElement ? el : null;
  }, []);

  const itemContent = useCallback(
    (_: number, roomId: number) => <ChatListItem roomId={roomId} today={today} onShown={onShown} />,
    [today, onShown],
  );

  if (roomOrder.length === 0) {
    return <p className="empty-state">{everReady ? emptyListHint(role) : 'Loading conversations…'}</p>;
  }
  const clearSearch = () => {
    chat.searchRooms('');
    searchBox.current?.focus();
  };
  const returnIndex = returnTo === null ? -1 : shown.indexOf(returnTo);
  return (
    <>
      {(roomOrder.length >= SEARCH_FROM || query !== '') && (
        <ChatListSearch
          box={searchBox}
          matches={shown.length}
          onFirstMatch={() => focusRow(0, 'start')}
          onOpenFirstMatch={() => shown[0] !== undefined && chat.openRoom(shown[0])}
        />
      )}
      {shown.length === 0 ? (
        <NoMatches query={query} onClear={clearSearch} />
      ) : (
        <Virtuoso
          ref={virtuoso}
          className="chat-list-scroller"
          data={shown}
          computeItemKey={(_, roomId) => roomId}
          itemContent={itemContent}
          context={{ count: shown.length }}
          components={LIST_COMPONENTS}
          initialTopMostItemIndex={returnIndex < 0 || mockedViewport ? 0 : { index: returnIndex, align: 'center' }}
          // The rows are the tab stops, not the scroller around them.
          tabIndex={-1}
          // Rows beyond the edges are drawn too (some six), so Tab and Shift+Tab find the next one even
          // when pressed again before the list has drawn more.
          increaseViewportBy={400}
          scrollerRef={scrollerRef}
          onKeyDown={onKeyDown}
        />
      )}
    </>
  );
}

/**
 * What starts a conversation for this user, in the words of the page's own buttons: a client's chat
 * comes with a job a cleaner accepts, a cleaner's with a job they accept; support staff neither
 * post nor accept jobs, nor contact support.
 */
function emptyListHint(role: Role | undefined): string {
  if (role === 'support') return 'No conversations yet. Users who contact support will appear here.';
  const start =
    role === 'client'
      ? 'Post a job: once a cleaner accepts it, you can chat with them here.'
      : 'Accept an open job to chat with its client here.';
  return `No conversations yet. ${start} For anything else, use Contact support.`;
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
