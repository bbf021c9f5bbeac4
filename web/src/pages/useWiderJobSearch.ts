/**
 * Support staff's search reaches past the loaded list (the newest 500 jobs): once the text has settled,
 * the server searches every job (`GET /api/jobs?q=`), and its matches join the loaded ones.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiClient } from '@ecc/client';
import type { Job } from '@ecc/protocol';
import { jobMatches } from './JobSearch.tsx';

/** How long the text must stay unchanged before the server is asked: one request per pause, not per key. */
export const SEARCH_SETTLE_MS = 300;

interface Answer {
  /** The trimmed text the server was asked. */
  text: string;
  jobs: Job[];
  /** Why the latest request failed; null once one is answered. */
  error: string | null;
}

/**
 * The server's matches for `query` (none while it is empty, or when `enabled` is false), and why the
 * latest request failed. The last answer's jobs stay, narrowed by the text as it is typed on, until the
 * next answer replaces them: jobs found do not vanish and come back with each key. `reread` (the loaded
 * list) asks again when it changes, so a job acted on shows its new status here too.
 */
export function useWiderJobSearch(api: ApiClient, query: string, enabled: boolean, reread: unknown): { jobs: Job[]; error: string | null } {
  const text = enabled ? query.trim() : '';
  const [answer, setAnswer] = useState<Answer>({ text: '', jobs: [], error: null });
  // Answers may come out of order: only the latest request's is kept.
  const latest = useRef(0);
  useEffect(() => {
    const id = ++latest.current;
    if (!text) {
      // Cleared: nothing of the last search is kept for the next one.
      setAnswer({ text: '', jobs: [], error: null });
      return;
    }
    const timer = setTimeout(() => {
      api.searchJobs(text).then(
        (jobs) => {
          if (latest.current === id) setAnswer({ text, jobs, error: null });
        },
        (err: unknown) => {
          if (latest.current === id) setAnswer((shown) => ({ ...shown, error: err instanceof Error ? err.message : 'unknown error' }));
        },
      );
    }, SEARCH_SETTLE_MS);
    return () => clearTimeout(timer);
  }, [api, text, reread]);

  if (!text) return { jobs: [], error: null };
  // An answer to another text holds the jobs matching that one: those matching this text are kept.
  const jobs = answer.text === text ? answer.jobs : answer.jobs.filter((job) => jobMatches(job, text));
  return { jobs, error: answer.error };
}

/** The loaded jobs with those found besides (a loaded copy preferred: it is kept live), newest first. */
export function withFound(loaded: readonly Job[], found: readonly Job[]): readonly Job[] {
  if (found.length === 0) return loaded;
  const ids = new Set(loaded.map((job) => job.id));
  const extra = found.filter((job) => !ids.has(job.id));
  if (extra.length === 0) return loaded;
  const newestFirst = (a: Job, b: Job) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '') || b.id - a.id;
  return [...loaded, ...extra].sort(newestFirst);
}
