/**
 * Whether the reader of the message list is at its newest messages, as the reader has it.
 * react-virtuoso says "not at the end" as soon as a message is added below the view, and until its
 * smooth scroll down to it ends (a few hundred ms, longer on a slow phone). Taken as it said it, the
 * next message from the other person that came meanwhile, one the reader watches arrive, was
 * "unseen": a "New messages" line above it (markerOnArrival) and a "N new messages ↓" flashing.
 * A list that was at its newest when a message came is heading there while it follows it down: it
 * still counts as at the newest, until it gets there, or the reader (or a jump) moves it up.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

interface Follow {
  /** What the list last said of its end (after MessageList's own check of the position). */
  reported: boolean;
  /** The list was at its newest when a message was added and is following it down. */
  heading: boolean;
  /** reported || heading, as last handed on. */
  atNewest: boolean;
  /** The scroller's scrollTop at its last scroll event: moving up ends a follow. */
  top: number;
}

export interface AtNewest {
  atNewest: boolean;
  /** The list says whether its end is in view (its atBottomStateChange). */
  reported: (atEnd: boolean) => void;
  /** For followOutput: whether to follow the message just added (`atEnd`: the list's own view, at its end or scrolling). */
  follows: (atEnd: boolean) => boolean;
  /** The function the list's scroller is handed to (its scrolling is watched), and whether it opens at its newest. */
  watch: (scroller: HTMLElement | null, opensAtNewest: boolean) => void;
}

/** `onChange` hears every report of the list, and each change made by a follow beginning or ending. */
export function useAtNewest(onChange: (atNewest: boolean) => void): AtNewest {
  const [atNewest, setAtNewest] = useState(true);
  const follow = useRef<Follow>({ reported: true, heading: false, atNewest: true, top: 0 });
  const handOn = useRef(onChange);
  handOn.current = onChange;

  const update = useCallback((always: boolean) => {
    const f = follow.current;
    const now = f.reported || f.heading;
    if (now === f.atNewest && !always) return;
    f.atNewest = now;
    setAtNewest(now);
    handOn.current(now);
  }, []);

  const reported = useCallback(
    (atEnd: boolean) => {
      const f = follow.current;
      f.reported = atEnd;
      if (atEnd) f.heading = false;
      // Every report is handed on: the controller's own view is reset as a room is shown.
      update(true);
    },
    [update],
  );

  const follows = useCallback((atEnd: boolean) => {
    const f = follow.current;
    // Not a list that opened at a "New messages" line further up (the list says it is not at its end).
    if (atEnd && f.atNewest) f.heading = true;
    return atEnd || f.heading;
  }, []);

  const watched = useRef<{ el: HTMLElement; stop: () => void } | null>(null);
  useEffect(() => () => watched.current?.stop(), []);
  const watch = useCallback(
    (el: HTMLElement | null, opensAtNewest: boolean) => {
      if (watched.current?.el === el) return;
      watched.current?.stop();
      watched.current = null;
      if (!el) return;
      // A list opening at its newest is heading there too, while it measures its rows on the way;
      // one opening at a "New messages" line is not.
      follow.current.heading = opensAtNewest;
      follow.current.top = el.scrollTop;
      const onScroll = () => {
        const f = follow.current;
        const movedUp = el.scrollTop < f.top - 1;
        f.top = el.scrollTop;
        // Taken up (a wheel, a key, a jump): the follow is over. (Got there, the list says so: `reported`.)
        if (!f.heading || !movedUp) return;
        f.heading = false;
        update(false);
      };
      el.addEventListener('scroll', onScroll, { passive: true });
      watched.current = { el, stop: () => el.removeEventListener('scroll', onScroll) };
    },
    [update],
  );

  return { atNewest, reported, follows, watch };
}
