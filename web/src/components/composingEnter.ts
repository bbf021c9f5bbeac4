import type { KeyboardEvent } from 'react';

/**
 * An Enter that confirms the word an input method is composing (Japanese, Chinese, Korean): it
 * must not send or save. Safari reports that Enter with `isComposing` false, but keyCode 229.
 */
export function confirmsComposition(e: KeyboardEvent): boolean {
  return e.nativeEvent.isComposing || e.keyCode === 229;
}
