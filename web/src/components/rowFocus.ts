/**
 * A conversation row's place in the Tab order (useMessageKeys). The conversation is one Tab stop:
 * one message (the last one focused, else the newest in view) takes Tab, and the arrow keys go from
 * it to the others. The buttons and links inside a message are Tab stops only once the keyboard is
 * in that message (Enter, or a click): else Tab went through every button of every message drawn.
 */
import { createContext, useContext } from 'react';

export interface RowFocus {
  /** This row's message is the conversation's Tab stop. */
  stop: boolean;
  /** Its buttons and links are Tab stops (the keyboard is in it). */
  controls: boolean;
  /** The id of the conversation's keyboard hint, which describes the message that is its Tab stop. */
  hint?: string;
}

/** Outside a conversation's rows (a reply quote in the composer, say), controls are Tab stops as usual. */
export const RowFocusContext = createContext<RowFocus>({ stop: false, controls: true });

/** The tabIndex of a message (role="article") in a row. */
export function useMessageTabIndex(): 0 | -1 {
  return useContext(RowFocusContext).stop ? 0 : -1;
}

/**
 * What describes a message: the keyboard hint when it is the conversation's Tab stop (where the
 * focus lands coming in, so the hint is said then), with its own descriptions `own`, if any.
 */
export function useMessageDescribedBy(...own: (string | false | undefined)[]): string | undefined {
  const { stop, hint } = useContext(RowFocusContext);
  return [...own, stop && hint].filter(Boolean).join(' ') || undefined;
}

/** The tabIndex of a button or link inside a message: left as it is (undefined), or -1 out of the Tab order. */
export function useControlTabIndex(): -1 | undefined {
  return useContext(RowFocusContext).controls ? undefined : -1;
}
