/**
 * The conversation from the keyboard, as a feed (WAI-ARIA): with a message focused, ArrowUp and
 * ArrowDown (Page Up and Page Down too) move to the previous and next message, scrolled into view,
 * older history loading on the way up past the oldest loaded one; Home and End go to the first
 * loaded and the newest. A message taller than the view is scrolled through before the keys go on.
 * Enter goes into the message's buttons and links (to its open delete question first), Escape back.
 *
 * The conversation is one Tab stop (a roving tabindex, rowFocus.ts): the message last focused, or,
 * once its row is no longer drawn, the scroller, which hands the focus to the newest message in view.
 *
 * Keys typed in a control inside a message (its edit box, its delete question) are that control's.
 * The list is virtualised: a message not drawn yet is scrolled to and focused once it is drawn.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FocusEvent, type KeyboardEvent, type RefObject } from 'react';
import type { VirtuosoHandle } from 'react-virtuoso';
import type { MessageItem } from '../chat/selectors.ts';
import { focusLost } from './focusLost.ts';

/** Frames to wait for a row scrolled to to be drawn before giving up on focusing it. */
const DRAW_FRAMES = 60;
/** How far ArrowUp/ArrowDown scroll through a message taller than the view: about two lines. */
const LINE_PX = 40;
/** How much of the view Page Up/Down scroll through such a message: most of it, a little kept for context. */
const PAGE_SHARE = 0.85;
/** Frames the list must stay unmoved before a message takes the focus from it, and the most to wait. */
const STILL_FRAMES = 10;
const SETTLE_FRAMES = 300;
/** What Enter goes to in a message: its first button, link or box, whether a Tab stop yet or not. */
const CONTROLS = 'a[href], button:not([disabled]), textarea, input, select';

interface Options {
  items: readonly MessageItem[];
  virtuoso: RefObject<VirtuosoHandle | null>;
  scroller: RefObject<HTMLElement | null>;
  /** Whether the first loaded message is the conversation's first. */
  foundOldest: boolean;
  loadOlder: () => void;
  /** The id of the keyboard hint that describes the message holding the Tab stop (rowFocus.ts). */
  hintId: string;
}

interface Stop {
  /** The row whose message takes Tab, or null: the scroller does. */
  key: string | null;
  /** The keyboard is in that message: its controls take Tab. */
  entered: boolean;
}

/** The row key of the message that `el` is, or is inside of, in the conversation; null elsewhere. */
function rowOf(el: EventTarget | null): { key: string; article: HTMLElement } | null {
  if (!(el instanceof Element)) return null;
  const article = el.closest<HTMLElement>('[role="article"]');
  const key = article?.closest<HTMLElement>('[data-key]')?.dataset.key;
  return article && key !== undefined ? { key, article } : null;
}

function articleIn(scroller: HTMLElement | null, key: string): HTMLElement | null {
  // Among the rows drawn (a few dozen): a key is no selector to escape (jsdom has no CSS.escape).
  const row = [...(scroller?.querySelectorAll<HTMLElement>('[data-key]') ?? [])].find((el) => el.dataset.key === key);
  return row?.querySelector<HTMLElement>('[role="article"]') ?? null;
}

/** The newest message all inside the scroller's view, else the newest drawn at least partly inside it. */
function newestInView(scroller: HTMLElement): HTMLElement | null {
  const view = scroller.getBoundingClientRect();
  const boxes = [...scroller.querySelectorAll<HTMLElement>('[data-key] [role="article"]')]
    .reverse()
    .map((el) => ({ el, box: el.getBoundingClientRect() }))
    .filter(({ box }) => box.height > 0 && box.top < view.bottom && box.bottom > view.top);
  // (A row cut off at the view's foot was focused there, half out of sight.)
  const whole = boxes.find(({ box }) => box.top >= view.top - 1 && box.bottom <= view.bottom + 1);
  return (whole ?? boxes[0])?.el ?? null;
}

/**
 * The row that stands for row `key` now: itself while it is there; a message of mine waiting to be
 * sent ("p<clientId>") is, once stored, the row of the stored message with that clientId ("m<seq>").
 * Null when none does (discarded).
 */
function successorOf(items: readonly MessageItem[], key: string): string | null {
  if (items.some((item) => item.key === key)) return key;
  const stored = key.startsWith('p') ? items.find((item) => item.kind === 'stored' && item.message.clientId === key.slice(1)) : undefined;
  return stored?.key ?? null;
}

export function useMessageKeys({ items, virtuoso, scroller, foundOldest, loadOlder, hintId }: Options) {
  const [stop, setStop] = useState<Stop>({ key: null, entered: false });
  const stopRef = useRef(stop);
  stopRef.current = stop;
  // Read by handlers made once: the latest rows.
  const latest = useRef({ items, foundOldest, loadOlder });
  latest.current = { items, foundOldest, loadOlder };
  // The row to focus once drawn (a frame loop), and the first row above which to go once an older page is in.
  const wanted = useRef<{ key: string; frame: number } | null>(null);
  const aboveFirst = useRef<string | null>(null);

  /**
   * Scrolls the list so that the message `el` (row `key`) is in view, when it is not all there: its
   * top at the top when it is above, its end at the bottom when below (a message taller than the view,
   * its top). Through react-virtuoso, not the browser's scrollIntoView: a scroll to an index it is
   * still making (the one to the newest as the room opened) is done again each time rows are measured
   * within 150 ms, and arrow keys held down measure rows that often, so the list went back to the end.
   */
  const showWhole = useCallback(
    (el: HTMLElement, key: string, up = false) => {
      const list = scroller.current;
      const index = latest.current.items.findIndex((item) => item.key === key);
      if (!list || index < 0) return;
      const view = list.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      const above = box.top < view.top;
      if (!above && box.bottom <= view.bottom) return;
      // Taller than the view: its top, or its end when reached going up (the keys go on up through it).
      const tall = box.height > view.height;
      virtuoso.current?.scrollToIndex({ index, align: tall ? (up ? 'end' : 'start') : above ? 'start' : 'end' });
    },
    [scroller, virtuoso],
  );

  /**
   * Focuses the message of row `key` as soon as it is drawn (within DRAW_FRAMES frames), and shows it
   * whole where it can. `onlyIfLost`: only if the focus has fallen to <body> meanwhile. `up`: reached going up.
   */
  const focusWhenDrawn = useCallback(
    (key: string, onlyIfLost: boolean, up = false) => {
      if (wanted.current) cancelAnimationFrame(wanted.current.frame);
      let frames = DRAW_FRAMES;
      const attempt = () => {
        const el = articleIn(scroller.current, key);
        if (el && (!onlyIfLost || focusLost())) {
          wanted.current = null;
          el.focus({ preventScroll: true });
          showWhole(el, key, up);
          return;
        }
        if (--frames > 0 && wanted.current && !(onlyIfLost && !focusLost())) wanted.current.frame = requestAnimationFrame(attempt);
        else wanted.current = null;
      };
      wanted.current = { key, frame: 0 };
      attempt();
    },
    [scroller, showWhole],
  );

  const focusRow = useCallback(
    (index: number, align: 'start' | 'end') => {
      const key = latest.current.items[index]?.key;
      if (key === undefined) return;
      // Counted from the first loaded item: react-virtuoso 4 does not apply firstItemIndex to scrollToIndex.
      if (!articleIn(scroller.current, key)) virtuoso.current?.scrollToIndex({ index, align });
      focusWhenDrawn(key, false, align === 'start');
    },
    [scroller, virtuoso, focusWhenDrawn],
  );

  // An older page asked for by ArrowUp on the first loaded message is in: on to the one above it.
  useEffect(() => {
    const first = aboveFirst.current;
    if (first === null || items[0]?.key === first) return;
    aboveFirst.current = null;
    const at = items.findIndex((item) => item.key === first);
    // (Its row may be drawn anew as the page comes in, and the focus lost meanwhile.)
    const there = rowOf(document.activeElement)?.key === first || focusLost();
    const above = items[at - 1]?.key;
    // Drawn just above it as the list takes the page in: not scrolled to by index before then (an
    // index of the page not taken in yet is a row elsewhere, as far down as the newest).
    if (at > 0 && there && above !== undefined) focusWhenDrawn(above, false, true);
  }, [items, focusWhenDrawn]);

  /**
   * A message taller than the view (on a small screen), in view and going on past it in the key's
   * direction, is scrolled through, a line or most of a page a key, before the keys go on to the next
   * message: else only its top was ever seen. True when it scrolled.
   */
  const scrollThrough = useCallback(
    (article: HTMLElement, key: string) => {
      const list = scroller.current;
      const down = key === 'ArrowDown' || key === 'PageDown';
      if (!list || !(down || key === 'ArrowUp' || key === 'PageUp')) return false;
      const view = list.getBoundingClientRect();
      const box = article.getBoundingClientRect();
      // Only one taller than the view: another is shown whole as it is focused (its scroll there may be a frame away yet).
      if (box.height <= view.height || box.bottom <= view.top || box.top >= view.bottom) return false;
      const beyond = down ? box.bottom - view.bottom : view.top - box.top;
      if (beyond <= 1) return false;
      const step = key.startsWith('Arrow') ? LINE_PX : list.clientHeight * PAGE_SHARE;
      list.scrollBy({ top: (down ? 1 : -1) * Math.min(step, beyond) });
      return true;
    },
    [scroller],
  );

  const onKeyDown = useCallback(
    (e: KeyboardEvent<HTMLElement>) => {
      if (e.defaultPrevented || e.nativeEvent.isComposing) return;
      const row = rowOf(e.target);
      if (!row) return;
      if (e.target !== row.article) {
        // From a button or link of the message back to the message (a box or a question says what Escape does first).
        if (e.key !== 'Escape') return;
        e.preventDefault();
        row.article.focus();
        return;
      }
      if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
      if (e.key === 'Enter') {
        // A delete or discard question left open (Tab went on past it): Enter goes back to its answer.
        const control = row.article.querySelector<HTMLElement>(`.confirm-delete :is(${CONTROLS})`) ?? row.article.querySelector<HTMLElement>(CONTROLS);
        if (!control) return;
        e.preventDefault();
        control.focus();
        return;
      }
      if (scrollThrough(row.article, e.key)) {
        e.preventDefault();
        return;
      }
      const { items: rows, foundOldest: atOldest, loadOlder: older } = latest.current;
      const index = rows.findIndex((item) => item.key === row.key);
      if (index < 0) return;
      let to: number;
      switch (e.key) {
        case 'ArrowUp':
        case 'PageUp':
          to = index - 1;
          break;
        case 'ArrowDown':
        case 'PageDown':
          to = index + 1;
          break;
        case 'Home':
          to = 0;
          break;
        case 'End':
          to = rows.length - 1;
          break;
        default:
          return;
      }
      e.preventDefault();
      aboveFirst.current = null;
      if (to < 0) {
        // Up from the oldest loaded: the page before it, then on to its newest (the same loading as scrolling up).
        if (atOldest) return;
        aboveFirst.current = row.key;
        older();
        return;
      }
      if (to === index || to >= rows.length) return;
      focusRow(to, to < index ? 'start' : 'end');
    },
    [focusRow, scrollThrough],
  );

  /**
   * The list holds the focus on its way somewhere ("Newest messages ↓") or once what held it went
   * (Discard in a room with no message box): there Enter and the arrow keys did nothing of the
   * conversation's. Once the list is still (STILL_FRAMES frames unmoved), the newest message in view takes it.
   */
  const settling = useRef(0);
  const handOnWhenStill = useCallback(() => {
    const list = scroller.current;
    if (!list) return;
    cancelAnimationFrame(settling.current);
    let top = list.scrollTop;
    let still = 0;
    let frames = 0;
    const check = () => {
      if (document.activeElement !== list) return;
      still = list.scrollTop === top ? still + 1 : 0;
      top = list.scrollTop;
      if (still >= STILL_FRAMES || ++frames > SETTLE_FRAMES) newestInView(list)?.focus({ preventScroll: true });
      else settling.current = requestAnimationFrame(check);
    };
    settling.current = requestAnimationFrame(check);
  }, [scroller]);

  // The list itself is given the focus (focusList) as it scrolls to the newest: a message takes it once there.
  const listItself = useRef(false);
  const focusList = useCallback(() => {
    listItself.current = true;
    scroller.current?.focus({ preventScroll: true });
    listItself.current = false;
    handOnWhenStill();
  }, [scroller, handOnWhenStill]);

  // The row whose message (or a control in it) holds the focus, kept when its element is taken out
  // (that is no blur: Chromium fires none for it here, nor does Firefox), so the focus can follow it.
  const focused = useRef<string | null>(null);

  const onFocus = useCallback((e: FocusEvent<HTMLElement>) => {
    const list = e.currentTarget;
    if (e.target === list) {
      focused.current = null;
      // Tabbed into while the message last focused is not drawn: the newest in view takes the focus.
      // Given by a question's answer inside (Confirm discard in a room with no message box): once its row is gone.
      const from = e.relatedTarget;
      if (from instanceof Element && list.contains(from) && from.closest('.confirm-delete')) handOnWhenStill();
      if (listItself.current || (from instanceof Node && list.contains(from))) return;
      newestInView(list)?.focus({ preventScroll: true });
      return;
    }
    const row = rowOf(e.target);
    focused.current = row?.key ?? null;
    if (!row) return;
    const entered = e.target !== row.article;
    if (stopRef.current.key !== row.key || stopRef.current.entered !== entered) setStop({ key: row.key, entered });
    // The keyboard hint must describe the message as the screen reader is told of the focus, not a render
    // later (the stop's render adds it: rowFocus.ts, the same words, which that render then keeps). Set here,
    // as the focus may come in the middle of a render's commit (autoFocus, an effect), where none can be forced.
    const described = row.article.getAttribute('aria-describedby')?.split(' ') ?? [];
    if (!described.includes(hintId)) row.article.setAttribute('aria-describedby', [...described, hintId].join(' '));
  }, [handOnWhenStill, hintId]);

  /**
   * The focused message's element was taken out and the focus fell to <body>: its row drawn anew
   * (react-virtuoso does so as an older page comes in above it) takes it back; my message stored
   * while focused ("Sending…" no more), its row under a new key, takes it; discarded, the newest in
   * view. Scrolled out of the list, nothing does (the scroller takes Tab).
   */
  const refocus = useCallback((): boolean => {
    const had = focused.current;
    const list = scroller.current;
    if (had === null || !list || wanted.current || !focusLost()) return false;
    const key = successorOf(latest.current.items, had);
    const el = key === null ? newestInView(list) : articleIn(list, key);
    if (!el) {
      // Its row not drawn: scrolled out of the list (a finger, the wheel). Let go, or the focus would be
      // pulled back to it mid-scroll when it comes into view again (and on a phone its actions opened).
      if (key === had) focused.current = null;
      return false;
    }
    el.focus({ preventScroll: true });
    // Shown whole under its new key; drawn anew as it was, where it was (the reader may be scrolling back to it).
    if (key !== null && key !== had) showWhole(el, key);
    return true;
  }, [scroller, showWhole]);

  const onBlur = useCallback(
    (e: FocusEvent<HTMLElement>) => {
      // Out of the conversation: back in, Tab comes to the message again, not to its buttons.
      if (e.relatedTarget instanceof Node && e.currentTarget.contains(e.relatedTarget)) return;
      if (stopRef.current.entered) setStop((s) => ({ ...s, entered: false }));
      // Left for real (not taken out with its row): nothing to follow.
      if (!(e.target instanceof Node) || e.target.isConnected) focused.current = null;
      else requestAnimationFrame(() => void refocus());
    },
    [refocus],
  );

  // Rows came or went: the message that took Tab may be gone (scrolled far off). The scroller takes Tab then.
  // The focused one may have been taken out with no blur said: the focus follows it (refocus).
  const rowsChanged = useCallback(() => {
    requestAnimationFrame(() => {
      // Focused again: that row takes Tab (onFocus), whatever the stop was.
      if (refocus()) return;
      const { key } = stopRef.current;
      const el = scroller.current;
      if (key === null || !el || articleIn(el, key)) return;
      // Unless another took it meanwhile (focused, its render still to come).
      setStop((s) => (s.key === key ? { key: null, entered: false } : s));
    });
  }, [scroller, refocus]);
  // Its row may be gone with no row scrolled off too: my message sent (stored under another key), or discarded.
  const known = useMemo(() => stop.key !== null && items.some((item) => item.key === stop.key), [items, stop.key]);
  useEffect(rowsChanged, [items, rowsChanged]);

  useEffect(
    () => () => {
      if (wanted.current) cancelAnimationFrame(wanted.current.frame);
      cancelAnimationFrame(settling.current);
    },
    [],
  );

  return {
    /** The row whose message takes Tab (null: the scroller does), and whether its controls do too. */
    stop,
    scrollerTabIndex: known ? -1 : 0,
    onKeyDown,
    onFocus,
    onBlur,
    rowsChanged,
    focusList,
  } as const;
}
