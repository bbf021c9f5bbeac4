import type { KeyboardEvent } from 'react';

/**
 * A key the input method takes while it composes a word (Japanese, Chinese, Korean): the Enter
 * that confirms the word must not send or save, the Escape that drops it must not cancel an edit
 * or close the panel. Safari reports those keys with `isComposing` false, but keyCode 229.
 */
export function belongsToComposition(e: KeyboardEvent): boolean {
  return e.nativeEvent.isComposing || e.keyCode === 229;
}
