/**
 * The room's rows drawn from the first frame its list is in. react-virtuoso hides its list until
 * it has scrolled to an `initialTopMostItemIndex` other than the first item (four frames, then
 * 150 ms with no row re-measured), and draws no row before it has measured the view: a room opened
 * at its "New messages" line, or at its newest, showed an empty list for a quarter of a second,
 * with "N new messages ↓" over it (the hidden list sat at its top). Meanwhile these rows stand in
 * for it, over it: the same rows, laid out at once and scrolled where the list opens before the
 * first paint, gone once the list shows its own.
 */
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';
import type { MessageItem } from '../chat/selectors.ts';

/** Rows drawn above the line, or up to the newest: more than a tall screen holds. */
const ROWS_ABOVE = 25;
/** Past this, the list is taken as shown whatever its markup says. */
const GIVE_UP_MS = 2000;
/** Rows drawn from the line down: the list opens with the line at its top when they fill the view. */
const ROWS_BELOW = 40;

/**
 * Whether react-virtuoso's list under `scroller` shows rows of its own yet, watched each frame from
 * when `watching` turns true. Read from its item list: not hidden (its inline style) and not empty.
 */
export function useListShown(scroller: RefObject<HTMLElement | null>, watching: boolean): boolean {
  const [shown, setShown] = useState(false);
  useEffect(() => {
    if (!watching || shown) return;
    let frame = 0;
    const since = performance.now();
    const check = () => {
      const list = scroller.current?.querySelector<HTMLElement>('[data-testid="virtuoso-item-list"]');
      if (list && list.style.visibility !== 'hidden' && list.childElementCount > 0) return setShown(true);
      // Read from react-virtuoso's markup, which may change: the rows standing in must not stay over
      // the list for good. It gives up scrolling to where it opens after 1.2 s.
      if (performance.now() - since > GIVE_UP_MS) return setShown(true);
      frame = requestAnimationFrame(check);
    };
    check();
    return () => cancelAnimationFrame(frame);
  }, [watching, shown, scroller]);
  return shown;
}

interface Props {
  items: readonly MessageItem[];
  /** Seq under the "New messages" line, or null: the list opens there, else at the newest. */
  newFrom: number | null;
  /** react-virtuoso's index of `items[0]`, which `row` is given. */
  firstItemIndex: number;
  row: (index: number, item: MessageItem) => ReactNode;
  /** The list's header (above its first item). */
  header: ReactNode;
}

/** The rows where the list opens, over it (aria-hidden and inert: the list itself is there for all but the eye). */
export function OpeningRows({ items, newFrom, firstItemIndex, row, header }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const line = newFrom === null ? -1 : items.findIndex((item) => item.kind === 'stored' && item.message.seq === newFrom);
  const from = Math.max(0, (line < 0 ? items.length : line) - ROWS_ABOVE);
  const to = line < 0 ? items.length : Math.min(items.length, line + ROWS_BELOW);
  const lineKey = line < 0 ? null : items[line]?.key;

  // Where react-virtuoso opens: the line at the top (or as far as the rows below it let it go), else the end.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const at = lineKey === null ? null : el.querySelector<HTMLElement>(`[data-opening-key="${CSS.escape(lineKey ?? '')}"]`);
    el.scrollTop = at ? el.scrollTop + at.getBoundingClientRect().top - el.getBoundingClientRect().top : el.scrollHeight;
  });

  return (
    <div ref={box} className="opening-rows" aria-hidden="true" inert>
      {from === 0 && header}
      <div className="opening-rows-items">
        {items.slice(from, to).map((item, i) => (
          <div key={item.key} data-opening-key={item.key}>
            {row(firstItemIndex + from + i, item)}
          </div>
        ))}
      </div>
    </div>
  );
}
