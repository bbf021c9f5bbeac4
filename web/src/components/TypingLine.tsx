/** Who is typing ("שרה כהן, Bob Cleaner and Ann are typing…"): each name set apart in its own direction (typingParts). */
import { Fragment } from 'react';
import type { TypingPart } from '../chat/selectors.ts';

export function TypingLine({ parts }: { parts: readonly TypingPart[] }) {
  return parts.map((part, i) => (
    <Fragment key={i}>{part.name ? <span dir="auto">{part.text}</span> : part.text}</Fragment>
  ));
}
