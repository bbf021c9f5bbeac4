/**
 * "Confirm delete / Keep", "Confirm discard / Keep": the question a destructive button asks before it
 * acts. The red button takes the focus as it appears; Escape answers Keep (not the whole chat panel).
 */
interface Props {
  /** The red button's words ("Confirm delete"). */
  confirm: string;
  onConfirm: () => void;
  onKeep: () => void;
}

export function ConfirmQuestion({ confirm, onConfirm, onKeep }: Props) {
  return (
    <span
      className="confirm-delete"
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        e.preventDefault();
        onKeep();
      }}
    >
      <button type="button" className="danger" autoFocus onClick={onConfirm}>
        {confirm}
      </button>{' '}
      <button type="button" onClick={onKeep}>
        Keep
      </button>
    </span>
  );
}
