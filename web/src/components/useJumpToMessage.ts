/**
 * Going to a message in the list: a reply's "show the original", and the
 * shown room's first new message. Finds the message (loading older pages when
 * it is not loaded yet), scrolls the list to it, moves focus to it and
 * highlights it briefly; says so, in a passing status line, when it was
 * deleted or cannot be found.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import type { VirtuosoHandle } from 'react-virtuoso';
import { useChat } from '../chat/ChatContext.tsx';
import { findFirstNew, findMessage, locate, type Found } from '../chat/findMessage.ts';
import type { MessageItem } from '../chat/selectors.ts';
import { roomMessagesOf } from '../chat/store.ts';
import { firstNewSeq } from '../chat/unreadMarker.ts';

/** What a search ends in: a message to show, or why there is none. */
type Sought = { kind: 'held'; seq: number } | Exclude<Found, { kind: 'held' }>;

interface Wording {
  /** While older pages load. */
  finding: string;
  outcome: Record<Exclude<Sought['kind'], 'held' | 'aborted'>, string>;
  /** Loaded, but the list did not bring it into view. */
  notShown: string;
  /** Where the message goes in the view: the first new one at the top, read on down from there. */
  align: 'center' | 'start';
}

const ORIGINAL: Wording = {
  finding: 'Finding the original message…',
  outcome: {
    deleted: 'The original message was deleted.',
    missing: 'The original message could not be found.',
    failed: 'Could not load the original message.',
  },
  notShown: 'Could not show the original message.',
  align: 'center',
};

const FIRST_NEW: Wording = {
  finding: 'Loading the unread messages…',
  // findFirstNew never ends in 'deleted': a deleted message after the mark is still where the line goes.
  outcome: {
    deleted: 'The first unread message could not be found.',
    missing: 'The first unread message could not be found.',
    failed: 'Could not load the unread messages.',
  },
  notShown: 'Could not show the first unread message.',
  align: 'start',
};

/** How long the found message stays highlighted (the CSS animation's length). */
const HIGHLIGHT_MS = 2000;
const STATUS_MS = 4000;
/** In view this many frames in a row: react-virtuoso re-measures rows it had never shown and may move the list once more. */
const SETTLED_FRAMES = 8;
/** Scrolls again every this many frames while the message is not in view (a correction undid the last one). */
const RETRY_FRAMES = 12;
/** Not in view after this long: the list is not going to show it. */
const SEEK_MS = 3000;
/** How long after it is shown a message is kept in view unless the reader scrolls (the highlight's length). */
const HOLD_MS = HIGHLIGHT_MS;
/** What the reader does to scroll the list themselves. */
const READER_INPUT = ['wheel', 'touchstart', 'keydown', 'pointerdown'] as const;

interface Jump {
  /** Call with the original's seq. Stable. */
  jumpTo: (seq: number) => void;
  /** Goes to the shown room's "New messages" line (its first new message). Stable. */
  jumpToFirstNew: () => void;
  /** Ends the jump under way (its search, or holding its message in view): the reader goes elsewhere. Stable. */
  stop: () => void;
  /** The seq of the message being highlighted, or null. */
  highlighted: number | null;
  /** What the user is told (searching, or why it cannot be shown), or null. */
  status: string | null;
  /** A jump is under way (its message looked for, or being brought into view). */
  going: boolean;
}

export function useJumpToMessage(
  roomId: number,
  items: readonly MessageItem[],
  virtuoso: RefObject<VirtuosoHandle | null>,
  scroller: RefObject<HTMLElement | null>,
): Jump {
  const chat = useChat();
  /** Found and loaded, waiting to be scrolled into view. */
  const [target, setTarget] = useState<number | null>(null);
  const [highlighted, setHighlighted] = useState<number | null>(null);
  /** What the user is told, and whether it stays until the search ends (while pages load). */
  const [status, setStatus] = useState<{ text: string; lasting: boolean } | null>(null);
  const search = useRef<AbortController | null>(null);
  /** The jump under way: when its message was shown, whether the reader scrolled since, whether focus is still to move (once), its wording (what to say if it is never shown, where it goes in the view). */
  const run = useRef<{ shownAt: number | null; readerMoved: boolean; focus: boolean; focused: HTMLElement | null; wording: Wording }>({
    shownAt: null,
    readerMoved: false,
    focus: false,
    focused: null,
    wording: ORIGINAL,
  });

  useEffect(() => () => search.current?.abort(), []);

  const seek = useCallback((find: (signal: AbortSignal) => Promise<Sought>, wording: Wording, loads: boolean) => {
    search.current?.abort();
    const ctl = new AbortController();
    search.current = ctl;
    setTarget(null);
    run.current = { shownAt: null, readerMoved: false, focus: true, focused: null, wording };
    // Off first, so jumping to the same message again replays the highlight.
    setHighlighted(null);
    setStatus(loads ? { text: wording.finding, lasting: true } : null);
    void find(ctl.signal).then((found) => {
      if (ctl.signal.aborted || found.kind === 'aborted') return;
      if (found.kind === 'held') {
        setStatus(null);
        setTarget(found.seq);
      } else {
        setStatus({ text: wording.outcome[found.kind], lasting: false });
      }
    });
  }, []);

  const jumpTo = useCallback(
    (seq: number) => {
      const find = (signal: AbortSignal) =>
        findMessage(chat, roomId, seq, signal).then((found): Sought => (found.kind === 'held' ? { kind: 'held', seq } : found));
      seek(find, ORIGINAL, locate(roomMessagesOf(chat.state, roomId), seq).kind === 'older');
    },
    [chat, roomId, seek],
  );

  const jumpToFirstNew = useCallback(() => {
    const marker = chat.state.unreadMarker;
    if (marker?.roomId !== roomId) return;
    // Said to be loading only when it is: the line above the view is held.
    const held = firstNewSeq(roomMessagesOf(chat.state, roomId).messages, marker, roomId, chat.state.me?.id) !== null;
    seek((signal) => findFirstNew(chat, marker, signal), FIRST_NEW, !held);
  }, [chat, roomId, seek]);

  const stop = useCallback(() => {
    search.current?.abort();
    run.current.readerMoved = true;
    setTarget(null);
    setStatus((shown) => (shown?.lasting ? null : shown));
  }, []);

  const index = target === null ? -1 : items.findIndex((item) => item.kind === 'stored' && item.message.seq === target);
  useEffect(() => {
    const view = scroller.current;
    if (target === null || index < 0 || !view) return;
    // Restarted when older pages shift the index: what the jump did so far lives in `run`.
    const r = run.current;
    const startedAt = performance.now();
    let frame = 0;
    let inViewFor = 0;
    let handle = 0;
    const onReaderInput = () => {
      r.readerMoved = true;
    };
    for (const type of READER_INPUT) view.addEventListener(type, onReaderInput, { passive: true });
    const step = () => {
      const now = performance.now();
      // The reader scrolls: the list is theirs again.
      if (r.readerMoved) return setTarget(null);
      const row = view.querySelector<HTMLElement>(`[data-seq="${target}"]`);
      if (row && shows(view, row)) {
        inViewFor++;
      } else {
        inViewFor = 0;
        // The index counts from the first loaded item: react-virtuoso 4 does not apply firstItemIndex to scrollToIndex.
        if (frame % RETRY_FRAMES === 0) virtuoso.current?.scrollToIndex({ index, align: r.wording.align });
      }
      frame++;
      if (r.shownAt === null && row && inViewFor >= SETTLED_FRAMES) {
        r.shownAt = now;
        setHighlighted(target);
      }
      // Keyboard users continue from the original; the quote they pressed may scroll out of the DOM.
      // Tried each frame until the row holds its message, and again if the list drew the row anew
      // (its old element, focused, left the document and took the focus with it).
      const lost = r.focused !== null && !r.focused.isConnected && (document.activeElement === null || document.activeElement === document.body);
      if (r.shownAt !== null && row && (r.focus || lost)) {
        const article = row.querySelector<HTMLElement>('[role="article"]');
        if (article) {
          article.focus({ preventScroll: true });
          r.focused = article;
          r.focus = false;
        }
      }
      // Shown, it is held in view a while: a late re-measurement must not carry it off.
      const over = r.shownAt !== null ? now - r.shownAt > HOLD_MS : now - startedAt > SEEK_MS;
      if (!over) {
        handle = requestAnimationFrame(step);
        return;
      }
      setTarget(null);
      if (r.shownAt === null) setStatus({ text: r.wording.notShown, lasting: false });
    };
    // Older pages just prepended reach react-virtuoso (items and a lower firstItemIndex) in its own
    // render after ours: a scroll asked for before that lands on the old positions.
    handle = requestAnimationFrame(() => {
      handle = requestAnimationFrame(step);
    });
    return () => {
      cancelAnimationFrame(handle);
      for (const type of READER_INPUT) view.removeEventListener(type, onReaderInput);
    };
  }, [target, index, virtuoso, scroller]);

  useEffect(() => {
    if (highlighted === null) return;
    const timer = setTimeout(() => setHighlighted(null), HIGHLIGHT_MS);
    return () => clearTimeout(timer);
  }, [highlighted]);

  useEffect(() => {
    if (status === null || status.lasting) return;
    const timer = setTimeout(() => setStatus(null), STATUS_MS);
    return () => clearTimeout(timer);
  }, [status]);

  return { jumpTo, jumpToFirstNew, stop, highlighted, status: status?.text ?? null, going: target !== null || status?.lasting === true };
}

/** The row is in the scrolled view: all of it, or as much as fits for one taller than the view. */
function shows(view: HTMLElement, row: HTMLElement): boolean {
  const v = view.getBoundingClientRect();
  const r = row.getBoundingClientRect();
  const visible = Math.min(r.bottom, v.bottom) - Math.max(r.top, v.top);
  return visible >= Math.min(r.height, v.height) - 2;
}
