/**
 * "Confirm delete / Keep", "Confirm discard / Keep": the question a destructive button asks before it
 * acts. The red button takes the focus as it appears; Escape answers Keep (not the whole chat panel).
 * A `question` that must be read before answering is shown before the buttons and describes the red
 * one, so a screen reader says it as the focus lands there.
 */
import { useId } from 'react';
import { useControlTabIndex } from './rowFocus.ts';

interface Props {
  /** The red button's words ("Confirm delete"). */
  confirm: string;
  /** What to weigh before answering, when the buttons alone do not say it. */
  question?: string;
  onConfirm: () => void;
  onKeep: () => void;
}

export function ConfirmQuestion({ confirm, question, onConfirm, onKeep }: Props) {
  const questionId = useId();
  const tabIndex = useControlTabIndex();
  return (
    <span
      className="confirm-delete"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        onKeep();
      }}
    >
      {question && (
        <>
          <span id={questionId} className="confirm-question">
            {question}
          </span>{' '}
        </>
      )}
      <button type="button" className="danger" autoFocus onClick={onConfirm} aria-describedby={question ? questionId : undefined} tabIndex={tabIndex}>
        {confirm}
      </button>{' '}
      <button type="button" onClick={onKeep} tabIndex={tabIndex}>
        Keep
      </button>
    </span>
  );
}
