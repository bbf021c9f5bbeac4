/**
 * The virtualised message list of one room (react-virtuoso). Older pages are
 * prepended with the `firstItemIndex` technique so the view does not jump;
 * new messages follow the bottom only when the user is already there.
 */
import { useCallback, useContext, useEffect, useId, useMemo, useRef, useState } from 'react';
import { Virtuoso, VirtuosoMockContext, type ListRange, type VirtuosoHandle } from 'react-virtuoso';
import type { Message } from '@ecc/protocol';
import { useChat, useChatSelector } from '../chat/ChatContext.tsx';
import { messageItems, NO_RECEIPTS, receiptOf, receiptSeqs, type MessageItem } from '../chat/selectors.ts';
import { roomMessagesOf } from '../chat/store.ts';
import { formatDay } from '../format.ts';
import { StoredMessage } from './MessageBubble.tsx';
import { PendingBubble } from './PendingBubble.tsx';
import type { FetchStatus } from '../chat/fetchStatus.ts';
import { nextFirstItemIndex, FIRST_ITEM_INDEX_START } from '../chat/firstItemIndex.ts';
import { firstNewSeq, loadingToFirstNew, unreadFromLine } from '../chat/unreadMarker.ts';
import { continuesRun, dayStarts } from '../chat/messageRuns.ts';
import { useJumpToMessage } from './useJumpToMessage.ts';
import { useToday } from './useToday.ts';
import { useEndKeptInView, useEndShownFor } from './useEndKeptInView.ts';
import { useUnreadLineAbove } from './useUnreadLineAbove.ts';
import { OpeningRows, useListShown } from './OpeningRows.tsx';
import { useAtNewest } from './useAtNewest.ts';
import { useMessageKeys } from './useMessageKeys.ts';
import { RowFocusContext, type RowFocus } from './rowFocus.ts';

interface Props {
  roomId: number;
  onReply: (m: Message) => void;
}

export function MessageList({ roomId, onReply }: Props) {
  const chat = useChat();
  const rm = useChatSelector((s) => roomMessagesOf(s, roomId));
  const room = useChatSelector((s) => s.rooms[roomId]);
  const me = useChatSelector((s) => s.me);
  const items = messageItems(rm);
  const at = room ? receiptSeqs(rm.messages, room, me?.id) : NO_RECEIPTS;
  // Kept while the two seqs are the same: a new object on every change of the room (presence, unread) would redraw every row.
  const receipts = useMemo(() => ({ seen: at.seen, sent: at.sent }), [at.seen, at.sent]);
  const marker = useChatSelector((s) => s.unreadMarker);
  const newFrom = useMemo(() => firstNewSeq(rm.messages, marker, roomId, me?.id), [rm.messages, marker, roomId, me?.id]);
  // The line is too far back to have opened there: the room opened at the newest, with a way up to it.
  const farUnread = marker?.roomId === roomId && marker.far && newFrom === null ? marker.unread : 0;
  // Loaded but above the view, never seen (a tab hidden a while, back at the newest): a way up to it too.
  const lineAbove = useUnreadLineAbove(roomId, newFrom, rm.messages.at(-1)?.seq ?? null);
  const canModerate = me?.role === 'support';
  const foundOldest = rm.fetch.foundOldest;
  // The day separators say "Today" and "Yesterday": they are drawn again when the day changes.
  const today = useToday();
  const newDay = useMemo(() => dayStarts(items), [items]);
  const active = room?.isActive ?? true;
  // Under a mocked viewport (jsdom tests) nothing can scroll, and Virtuoso would
  // wait forever for the initial scroll to the bottom to settle.
  const mockedViewport = useContext(VirtuosoMockContext) !== undefined;

  // Absolute index of the first item: lowered by exactly the number of prepended messages.
  const indexRef = useRef({ index: FIRST_ITEM_INDEX_START, firstSeq: rm.messages[0]?.seq });
  const firstSeq = rm.messages[0]?.seq;
  if (indexRef.current.firstSeq !== firstSeq) {
    indexRef.current = { index: nextFirstItemIndex(indexRef.current.index, indexRef.current.firstSeq, firstSeq), firstSeq };
  }
  const firstItemIndex = indexRef.current.index;

  const virtuoso = useRef<VirtuosoHandle>(null);
  const scroller = useRef<HTMLElement | null>(null);
  // The composer growing under the list (more lines, a reply's quote) must not hide the newest message.
  const keepEnd = useEndKeptInView(AT_END_PX);
  const watchLine = lineAbove.watch;
  // At the newest, or following a message just added down to it: the controller reads what comes then.
  const newest = useAtNewest(useCallback((at: boolean) => chat.setAtLatest(at), [chat]));
  const { reported, follows, watch: watchFollow } = newest;
  const atBottom = newest.atNewest;
  // Where the list opens as it is mounted (initialPosition): at the newest, unless at a "New messages" line.
  const opensAtNewest = useRef(true);
  opensAtNewest.current = !mockedViewport && initialPosition(items, newFrom).index === 'LAST';
  // One function for the list's life: react-virtuoso hands the scroller again (its scroll listener
  // and our end keeper taken down and set up, the layout read twice) whenever this prop changes.
  const scrollerRef = useCallback(
    (el: HTMLElement | Window | null) => {
      scroller.current = el instanceof HTMLElement ? el : null;
      keepEnd(scroller.current);
      watchLine(scroller.current);
      watchFollow(scroller.current, opensAtNewest.current);
    },
    [keepEnd, watchLine, watchFollow],
  );
  const onAtBottom = useCallback(
    (said: boolean) => {
      // Virtuoso can say "at the end" once while it is still moving to a "New messages" line
      // further up: believe it only when the scroll position agrees (the newest are then read).
      const el = scroller.current;
      const bottom = said && (mockedViewport || !el || el.scrollTop + el.clientHeight >= el.scrollHeight - AT_END_PX);
      reported(bottom);
    },
    [reported, mockedViewport],
  );
  const unread = room?.unread ?? 0;

  // What I just sent is shown even when I was reading further up (the room may have opened at a
  // "New messages" line): Virtuoso follows new items only for a list already at its end. Sent from
  // this tab, so on its way: my message sent from another tab or my phone arrives stored, and must
  // not pull the reader of older messages away (nor must the ack of one sent here, read further up).
  const last = items[items.length - 1];
  const lastIsSending = last?.kind === 'pending';
  const lastKey = useRef(last?.key);
  useEffect(() => {
    if (last?.key === lastKey.current) return;
    lastKey.current = last?.key;
    if (lastIsSending) virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end' });
  }, [last?.key, lastIsSending]);
  // My newest message refused ("Not sent: …", Retry, Discard) grows by a line or two that Virtuoso,
  // following new items only, left below the view: the writer saw half of why it failed.
  const lastFailed = lastIsSending && last.pending.status === 'failed';
  useEndShownFor(lastFailed && atBottom ? last.key : null, scroller);

  const loadOlder = useCallback(() => void chat.loadMessages(roomId, 'older'), [chat, roomId]);
  const jump = useJumpToMessage(roomId, items, virtuoso, scroller);
  const keysHintId = useId();
  const keys = useMessageKeys({ items, virtuoso, scroller, foundOldest, loadOlder, hintId: keysHintId });
  const { stop, rowsChanged, focusList } = keys;
  // One object each: a row's message, kept (memo), is drawn again only when its place in the Tab order changes.
  const rowFocus = useMemo(
    (): Record<'none' | 'stop' | 'entered', RowFocus> => ({
      none: { stop: false, controls: false },
      stop: { stop: true, controls: false, hint: keysHintId },
      entered: { stop: true, controls: true, hint: keysHintId },
    }),
    [keysHintId],
  );
  const stopJump = jump.stop;
  // Whether the newest rows are well below the view (after a reply's jump thousands back, say): a
  // way back down is offered then, as scrolling through them is not one.
  const [farFromNewest, setFarFromNewest] = useState(false);
  const lastIndex = useRef(0);
  lastIndex.current = firstItemIndex + items.length - 1;
  const shownItems = useRef(items);
  shownItems.current = items;
  const onRangeChanged = useCallback(
    ({ startIndex, endIndex }: ListRange) => {
      setFarFromNewest(lastIndex.current - endIndex > FAR_FROM_NEWEST_ROWS);
      // The controller reads rows loaded before a reconnect again as they are shown.
      const first = lastIndex.current - shownItems.current.length + 1;
      const seqs = shownItems.current.slice(startIndex - first, endIndex - first + 1).flatMap((item) => (item.kind === 'stored' ? [item.message.seq] : []));
      const from = seqs[0];
      const to = seqs.at(-1);
      if (from !== undefined && to !== undefined) chat.showing(roomId, from, to);
      rowsChanged();
    },
    [chat, roomId, rowsChanged],
  );
  const toNewest = useCallback(() => {
    stopJump();
    // The button goes once the newest are shown: the keyboard goes on with the list, not to <body>.
    if (document.activeElement?.closest('.new-messages-slot')) focusList();
    // Smoothly across a few rows; at once across thousands, most never measured (a smooth scroll
    // over them ends short of the end as they are measured on the way).
    virtuoso.current?.scrollToIndex({ index: 'LAST', align: 'end', behavior: farFromNewest ? 'auto' : 'smooth' });
  }, [farFromNewest, stopJump, focusList]);
  const highlighted = jump.highlighted;
  const showOriginal = jump.jumpTo;
  const toFirstNew = jump.jumpToFirstNew;
  // Not while the list is on its way up to the line (loaded, and not in view yet). Counted up to
  // the newest as it was first offered in the tab in front: not a new number with each live arrival.
  const aboveUnread = lineAbove.offer && !jump.going && newFrom !== null ? unreadFromLine(rm.messages, newFrom, me?.id, lineAbove.upTo) : 0;
  const upToLine = farUnread || aboveUnread;

  const itemContent = useCallback(
    (index: number, item: MessageItem) => {
      const prev = items[index - firstItemIndex - 1];
      const at = createdAtOf(item);
      const separator = newDay[index - firstItemIndex] ?? false;
      const day = separator ? formatDay(at, new Date(today)) : null;
      const seq = item.kind === 'stored' ? item.message.seq : undefined;
      const unreadLine = item.kind === 'stored' && item.message.seq === newFrom;
      const continued = !day && !unreadLine && continuesRun(prev, item, me?.id);
      // Right above the first message, not at the list's top: in a short room, aligned to the bottom, that is far above it.
      const start = index === firstItemIndex && foundOldest;
      return (
        <div className={seq !== undefined && seq === highlighted ? 'message-row jump-highlight' : 'message-row'} data-seq={seq} data-key={item.key}>
          {start && <p className="conversation-start">This is the start of the conversation</p>}
          {day && (
            <div className="date-separator" role="separator" aria-label={day}>
              <span>{day}</span>
            </div>
          )}
          {unreadLine && (
            <div className="unread-separator" role="separator" aria-label="New messages">
              <span>New messages</span>
            </div>
          )}
          <RowFocusContext.Provider value={item.key !== stop.key ? rowFocus.none : stop.entered ? rowFocus.entered : rowFocus.stop}>
            {item.kind === 'stored' ? (
              <StoredMessage
                message={item.message}
                continued={continued}
                mine={item.message.sender !== null && item.message.sender.id === me?.id}
                receipt={receiptOf(item.message.seq, receipts)}
                canDelete={canModerate}
                active={active}
                onReply={onReply}
                onShowOriginal={showOriginal}
              />
            ) : (
              <PendingBubble pending={item.pending} continued={continued} active={active} onShowOriginal={showOriginal} />
            )}
          </RowFocusContext.Provider>
        </div>
      );
    },
    [items, newDay, firstItemIndex, foundOldest, today, me?.id, receipts, newFrom, canModerate, active, onReply, highlighted, showOriginal, stop, rowFocus],
  );

  const loading = (!rm.fetch.initialLoaded && items.length === 0) || loadingToFirstNew(rm, marker, roomId);
  // Until react-virtuoso shows its rows (it hides them while it opens at the line), the same rows stand in.
  // (Not for a room without messages: the list has no row to show, and nothing is hidden.)
  const standsIn = !loading && !mockedViewport && items.length > 0;
  const listShown = useListShown(scroller, standsIn);
  const opening = standsIn && !listShown;

  if (!rm.fetch.initialLoaded && items.length === 0) {
    if (rm.fetch.initialFailed && !rm.fetch.loadingInitial) {
      // Not "No messages yet": the conversation may well have some.
      return (
        <div className="empty-state load-failed" role="alert">
          Could not load the messages.{' '}
          <button type="button" onClick={() => void chat.loadMessages(roomId, 'initial')}>
            Try again
          </button>
        </div>
      );
    }
    return <p className="empty-state">{rm.fetch.loadingInitial ? 'Loading messages…' : 'No messages yet. Say hello!'}</p>;
  }
  // The list opens once, where it is mounted: at the "New messages" line when that is loaded, so
  // it waits for the older pages up to it rather than show the newest and then jump away.
  if (loadingToFirstNew(rm, marker, roomId)) return <p className="empty-state">Loading messages…</p>;

  return (
    <div className="message-list-frame">
      <Virtuoso
        ref={virtuoso}
        className="message-list"
        role="log"
        // Rows are added by scrolling and by older pages too: ChatRoom's status line says what arrived.
        aria-live="off"
        aria-label="Conversation"
        data={items}
        firstItemIndex={firstItemIndex}
        initialTopMostItemIndex={mockedViewport ? 0 : initialPosition(items, newFrom)}
        computeItemKey={(_, item) => item.key}
        itemContent={itemContent}
        startReached={loadOlder}
        alignToBottom
        followOutput={(atBottom) => {
          const last = items[items.length - 1];
          // Taken as a follow either way: a list at its newest is heading there until it gets there.
          const following = follows(atBottom);
          if (last?.kind === 'pending') return 'auto';
          return following ? 'smooth' : false;
        }}
        increaseViewportBy={{ top: 400, bottom: 200 }}
        context={rm.fetch}
        components={LIST_COMPONENTS}
        // A receipt line or a re-measured row can leave the view a few pixels short of the end: still "at the newest".
        atBottomThreshold={AT_END_PX}
        scrollerRef={scrollerRef}
        atBottomStateChange={onAtBottom}
        rangeChanged={onRangeChanged}
        // One Tab stop, the arrow keys from message to message (useMessageKeys).
        tabIndex={keys.scrollerTabIndex}
        onKeyDown={keys.onKeyDown}
        onFocus={keys.onFocus}
        onBlur={keys.onBlur}
      />
      {/* Describes the message that is the conversation's Tab stop, said as the keyboard comes in: its buttons are no longer Tab stops of their own. */}
      <p id={keysHintId} className="visually-hidden">
        The arrow keys move between messages. Enter goes to a message's buttons, Escape back to the message.
      </p>
      {opening && <OpeningRows items={items} newFrom={newFrom} firstItemIndex={firstItemIndex} row={itemContent} header={<LIST_COMPONENTS.Header context={rm.fetch} />} />}
      <div role="status" className="jump-status-slot">
        {jump.status ? (
          <p className="jump-status">{jump.status}</p>
        ) : (
          upToLine > 0 && (
            <button type="button" className="first-new-jump" onClick={toFirstNew}>
              ↑ {upToLine === 1 ? '1 unread message' : `${upToLine} unread messages`}
            </button>
          )
        )}
      </div>
      {/* Messages that arrive while older ones are read would pass unnoticed without it. Not a live
          region: ChatRoom's status line already says each arrival, and "2 new messages ↓", "3 new…"
          said after it would be every message twice. */}
      <div className="new-messages-slot">
        {/* Not before the list shows where it opened: hidden meanwhile at its top, it is far from the newest. */}
        {!opening && !atBottom && unread > 0 && (
          <button type="button" className="new-messages" onClick={toNewest}>
            {unread === 1 ? '1 new message' : `${unread} new messages`} ↓
          </button>
        )}
        {!opening && !atBottom && unread === 0 && farFromNewest && (
          <button type="button" className="new-messages" onClick={toNewest}>
            Newest messages ↓
          </button>
        )}
      </div>
    </div>
  );
}

/** Within this many pixels of its end the list counts as showing the newest messages. */
const AT_END_PX = 40;
/** More rows than this below the view: the reader is offered a way back down to the newest. */
const FAR_FROM_NEWEST_ROWS = 20;

/** Opens at the "New messages" line when there is one (else at the newest): the first new message is seen, not skipped. */
function initialPosition(items: readonly MessageItem[], newFrom: number | null) {
  const first = newFrom === null ? -1 : items.findIndex((item) => item.kind === 'stored' && item.message.seq === newFrom);
  return first < 0 ? ({ index: 'LAST', align: 'end' } as const) : ({ index: first, align: 'start' } as const);
}

// "This is the start of the conversation" is the first row's (itemContent): the header stays at the
// list's top, which in a short room (the rows aligned to the bottom) is far above the first message.
const LIST_COMPONENTS = {
  Header: ({ context }: { context: FetchStatus }) => <div className="list-header">{context.loadingOlder ? 'Loading older messages…' : ''}</div>,
};

function createdAtOf(item: MessageItem): string {
  return item.kind === 'stored' ? item.message.createdAt : item.pending.createdAt;
}
