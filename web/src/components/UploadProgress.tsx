/**
 * How far a picked file's upload has got, on its chip: "Uploading… 42 %" and a bar along the chip's
 * foot. A slow uplink took a large PDF a minute and a half with only "Uploading…" to show for it.
 */

/**
 * "Uploading…", then its share. The share is hidden from screen readers here: this text is a live
 * status, and a new percent each second would be read out over everything else; the progress bar
 * carries it for them, to be read when they look.
 */
export function UploadingState({ progress }: { progress: number | null }) {
  return (
    <>
      Uploading…{progress !== null && <span aria-hidden="true"> {progress} %</span>}
    </>
  );
}

/** The share as a progress bar; with no value before the browser has reported any. */
export function UploadProgressBar({ name, progress }: { name: string; progress: number | null }) {
  return (
    <span
      className="composer-attachment-progress"
      role="progressbar"
      aria-label={`Upload of ${name}`}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={progress ?? undefined}
    >
      <span className="composer-attachment-progress-done" style={{ width: `${progress ?? 0}%` }} />
    </span>
  );
}
