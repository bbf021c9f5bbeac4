/**
 * Support staff's search of "All jobs": a client writes in ("my cleaner didn't show") and the agent finds
 * their jobs by the client's or cleaner's name, the job's title or its number.
 */
import { cutChars, foldForSearch, JOB_SEARCH_MAX_LENGTH, type Job } from '@ecc/protocol';

/**
 * Whether `job` matches what was typed: a name or title containing it (case and accents folded as the
 * server's search folds them, so its answers are not filtered out here), or "12"/"#12" for job #12.
 */
export function jobMatches(job: Job, query: string): boolean {
  const q = foldForSearch(query.trim());
  if (!q) return true;
  // A number is the job's number, whole: "1" is not #12 (titles holding it still match).
  const number = /^#?(\d+)$/.exec(q);
  if (number && job.id === Number(number[1])) return true;
  return [job.title, job.clientName, job.cleanerName].some((text) => text !== undefined && foldForSearch(text).includes(q));
}

/**
 * The labelled search box, and how many jobs match, said to screen readers as it changes; `widerError`:
 * why the server's search of every job failed (the loaded jobs' matches are still shown).
 */
export function JobSearch({ query, onChange, matches, widerError = null }: { query: string; onChange: (query: string) => void; matches: number; widerError?: string | null }) {
  const count = !query.trim() ? '' : matches === 0 ? 'No jobs match' : matches === 1 ? '1 job matches' : `${matches} jobs match`;
  return (
    <div className="field job-search">
      <label htmlFor="job-search">Find jobs</label>
      {/* Cut as the server counts (code points): maxLength would count UTF-16 units, half as many emoji. */}
      <input id="job-search" type="search" value={query} aria-describedby="job-search-hint" onChange={(e) => onChange(cutChars(e.target.value, JOB_SEARCH_MAX_LENGTH))} />
      <small id="job-search-hint" className="muted">
        By client or cleaner name, job title or number.
      </small>
      <p className="muted job-search-count" role="status">
        {count}
      </p>
      {widerError && query.trim() && (
        <p className="form-error" role="alert">
          Older jobs could not be searched ({widerError}): only the loaded jobs are shown.
        </p>
      )}
    </div>
  );
}
