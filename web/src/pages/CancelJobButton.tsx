/**
 * "Cancel job" asks first: cancelling cannot be undone (the job leaves the
 * open list and its chat closes), and the button sits next to the everyday ones.
 * Focus goes to the safe answer, and back to "Cancel job" when the client keeps the job (or presses Escape).
 */
import { useEffect, useRef, useState } from 'react';

/** `describedBy`: the ids of what tells which job it is (the card's number and title). */
export function CancelJobButton({ disabled, describedBy, onCancel }: { disabled: boolean; describedBy?: string; onCancel: () => void }) {
  const [asking, setAsking] = useState(false);
  const keepRef = useRef<HTMLButtonElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);

  useEffect(() => {
    if (asking) keepRef.current?.focus();
    else if (answered.current) cancelRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button ref={cancelRef} type="button" className="ghost danger" disabled={disabled} aria-describedby={describedBy} onClick={() => setAsking(true)}>
        Cancel job
      </button>
    );
  }
  const answer = (cancel: boolean) => {
    answered.current = true;
    setAsking(false);
    if (cancel) onCancel();
  };
  return (
    <span
      className="job-confirm"
      role="group"
      aria-label="Cancel this job? It cannot be undone."
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        answer(false);
      }}
    >
      <span className="job-confirm-question">Cancel this job?</span>
      <button type="button" className="danger-fill" disabled={disabled} aria-describedby={describedBy} onClick={() => answer(true)}>
        Yes, cancel job
      </button>
      <button ref={keepRef} type="button" className="secondary" onClick={() => answer(false)}>
        Keep job
      </button>
    </span>
  );
}
