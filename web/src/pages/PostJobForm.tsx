/** A client's form to post a new cleaning job. */
import { useRef, useState, type FormEvent } from 'react';
import { JOB_FIELD_MAX_CHARS, type CreateJobRequest } from '@ecc/protocol';
import { serverNow } from '../clock.ts';
import { CharacterCount, measureText } from '../components/CharacterCount.tsx';
import { hasPassedEverywhere } from './jobTime.ts';

/** `onPost` says whether the job was posted. */
export function PostJobForm({ onPost }: { onPost: (req: CreateJobRequest) => Promise<boolean> }) {
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [address, setAddress] = useState('');
  // "2026-12-01T10:00", no zone: the time at the address, sent as picked (jobTime.ts shows it as written).
  const [when, setWhen] = useState('');
  // A picked time already past: said at the field until it is changed, and nothing posted.
  const [whenPassed, setWhenPassed] = useState(false);
  const [busy, setBusy] = useState(false);
  const titleRef = useRef<HTMLInputElement>(null);
  const postRef = useRef<HTMLButtonElement>(null);
  const whenRef = useRef<HTMLInputElement>(null);
  // Counted as sent (trimmed) and as the server counts (code points); past a limit kept, flagged, not posted.
  const measured = {
    title: measureText(title.trim(), JOB_FIELD_MAX_CHARS.title),
    address: measureText(address.trim(), JOB_FIELD_MAX_CHARS.address),
    description: measureText(description.trim(), JOB_FIELD_MAX_CHARS.description),
  };
  const tooLong = Object.values(measured).some((m) => m.tooLong);
  const describedBy = (field: keyof typeof measured, ...ids: string[]) =>
    [...ids, measured[field].counted && `job-${field}-count`].filter(Boolean).join(' ') || undefined;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!title.trim() || tooLong) return;
    if (hasPassedEverywhere(when, serverNow())) {
      setWhenPassed(true);
      whenRef.current?.focus();
      return;
    }
    setBusy(true);
    const req: CreateJobRequest = { title: title.trim() };
    if (description.trim()) req.description = description.trim();
    if (address.trim()) req.address = address.trim();
    if (when) req.scheduledAt = when;
    // Refused or not sent (offline): what was typed stays, to be posted again.
    if (await onPost(req)) {
      setTitle('');
      setDescription('');
      setAddress('');
      setWhen('');
      // The Post button, disabled while posting and again with the title empty, lost the keyboard: back to the title.
      const active = document.activeElement;
      if (!active || active === document.body || active === postRef.current) titleRef.current?.focus();
    }
    setBusy(false);
  };

  return (
    <section className="post-job" aria-labelledby="post-job-title">
      <h2 id="post-job-title">Post a new job</h2>
      <form onSubmit={(e) => void submit(e)} className="post-job-form">
        <div className="field">
          <label htmlFor="job-title">Job title</label>
          <input
            ref={titleRef}
            id="job-title"
            dir="auto"
            value={title}
            placeholder="e.g. Deep clean"
            aria-invalid={measured.title.tooLong || undefined}
            aria-describedby={describedBy('title')}
            onChange={(e) => setTitle(e.target.value)}
            required
          />
          <CharacterCount id="job-title-count" measured={measured.title} verb="post" />
        </div>
        <div className="field">
          <label htmlFor="job-address">Address</label>
          <input
            id="job-address"
            dir="auto"
            value={address}
            placeholder="Street, city"
            aria-invalid={measured.address.tooLong || undefined}
            aria-describedby={describedBy('address', 'job-address-hint')}
            onChange={(e) => setAddress(e.target.value)}
          />
          <small id="job-address-hint" className="muted">Only the cleaner who accepts the job sees it.</small>
          <CharacterCount id="job-address-count" measured={measured.address} verb="post" />
        </div>
        <div className="field">
          <label htmlFor="job-when">When</label>
          <input
            ref={whenRef}
            id="job-when"
            type="datetime-local"
            value={when}
            data-empty={when === '' || undefined}
            aria-invalid={whenPassed || undefined}
            aria-describedby={whenPassed ? 'job-when-error job-when-hint' : 'job-when-hint'}
            onChange={(e) => {
              setWhen(e.target.value);
              setWhenPassed(false);
            }}
          />
          {whenPassed && (
            <small id="job-when-error" className="form-error" role="alert">
              That time has already passed. Pick a time still to come.
            </small>
          )}
          <small id="job-when-hint" className="muted">The time at the address, as the cleaner will read it.</small>
        </div>
        {/* Beside When: the four fields fill two rows of the desktop grid. */}
        <div className="field">
          <label htmlFor="job-description">Details</label>
          <textarea
            id="job-description"
            dir="auto"
            value={description}
            rows={2}
            placeholder="Rooms, pets, keys…"
            aria-invalid={measured.description.tooLong || undefined}
            aria-describedby={describedBy('description')}
            onChange={(e) => setDescription(e.target.value)}
          />
          <CharacterCount id="job-description-count" measured={measured.description} verb="post" />
        </div>
        <button ref={postRef} type="submit" className="primary" disabled={busy || !title.trim() || tooLong}>
          Post job
        </button>
      </form>
    </section>
  );
}
