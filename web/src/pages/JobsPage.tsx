/**
 * Jobs: a client sees their jobs and posts new ones; a cleaner sees open jobs,
 * accepts one and moves it through its statuses. The list refreshes when a
 * `room` event changes a job (e.g. the other person accepted or finished it),
 * so both sides see the change without reload, when the tab is shown again,
 * and when the chat's connection is back after an outage (what changed
 * meanwhile was not heard). A cleaner's open jobs are live besides: the
 * socket's `open_job` frames (openJobs.ts) add a job as it is posted and take
 * away one another cleaner took or its client cancelled. Support staff's list
 * is live the same way: `job_changed` frames (jobChanges.ts) show each job as
 * it is now, and add one just posted. Support staff reach a job's client or
 * cleaner from its card (MessagePeople.tsx), and step into its chat to settle a dispute (JoinRoom.tsx).
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ApiClient } from '@ecc/client';
import type { Job, JobStatus, Room, User } from '@ecc/protocol';
import { useChat, useChatSelector, useOpenJobs } from '../chat/ChatContext.tsx';
import { describeError, unreachable } from '../chat/describeError.ts';
import { onBoard } from '../chat/openJobs.ts';
import { withJobChanges } from '../chat/jobChanges.ts';
import type { ChatState } from '../chat/store.ts';
import { PostJobForm } from './PostJobForm.tsx';
import { CancelJobButton } from './CancelJobButton.tsx';
import { aboutJob, JobCard, JobSection, type JobPerson } from './JobCard.tsx';
import { useOnReconnect } from './useOnReconnect.ts';
import { useKeepBoardFocus } from './useKeepBoardFocus.ts';
import { BoardNews } from './BoardNews.tsx';
import { FailureActionButton, MessagePeople, type FailureAction } from './MessagePeople.tsx';
import { JoinJobChat, joinable } from './JoinRoom.tsx';
import { JobSearch, jobMatches } from './JobSearch.tsx';
import { useWiderJobSearch, withFound } from './useWiderJobSearch.ts';

/** The rooms of a job, through the store's list of them (a support agent holds thousands of rooms, none a job's). */
function jobRoomsOf(s: ChatState): Room[] {
  return s.jobRooms.flatMap((id) => s.rooms[id] ?? []);
}

/** "jobId:roomId:status" for every job room: a primitive, so it is a stable selector result. */
function jobRoomsSignature(s: ChatState): string {
  return jobRoomsOf(s)
    .map((r) => `${r.job?.id}:${r.id}:${r.job?.status}`)
    .sort()
    .join('|');
}

/** "jobId\tcleaner\tclient" (display names, from the job's room) for every job room: a stable primitive too. */
function jobPeopleSignature(s: ChatState): string {
  const name = (r: Room, role: User['role']) => r.participants.find((p) => p.role === role)?.displayName ?? '';
  return jobRoomsOf(s)
    .map((r) => `${r.job?.id}\t${name(r, 'cleaner')}\t${name(r, 'client')}`)
    .sort()
    .join('\n');
}

export function JobsPage({ user, api }: { user: User; api: ApiClient }) {
  const chat = useChat();
  // The list as read, the board's version when the reading began (changes heard after it are laid over
  // it), and whether the socket heard the board by then (the server adds a cleaner's socket before `ready`).
  const [listed, setListed] = useState<{ jobs: Job[]; since: number; heard: boolean } | null>(null);
  const board = useOpenJobs();
  const connection = useChatSelector((s) => s.connection);
  // Kept apart: a refresh that works must not wipe the reason an action just failed. A failure to reach
  // the server is the exception: it no longer holds once the socket is back, and would read as a fault then.
  const [loadError, setLoadError] = useState<string | null>(null);
  const [actionError, setActionError] = useState<{ text: string; unreachable: boolean; action?: FailureAction } | null>(null);
  const signature = useChatSelector(jobRoomsSignature);
  // Who the other person of a job is, for its card: the client reads which cleaner took it, the cleaner whose job it is.
  const people = useChatSelector(jobPeopleSignature);
  const otherOf = useMemo(() => {
    const map = new Map<number, JobPerson>();
    for (const line of people.split('\n').filter(Boolean)) {
      const [jobId, cleaner, client] = line.split('\t');
      const other: Partial<JobPerson> = user.role === 'client' ? { label: 'Cleaner', name: cleaner } : user.role === 'cleaner' ? { label: 'Client', name: client } : {};
      if (other.label && other.name) map.set(Number(jobId), { label: other.label, name: other.name });
    }
    return map;
  }, [people, user.role]);
  // Support staff's search of every job (JobSearch.tsx, useWiderJobSearch.ts).
  const [query, setQuery] = useState('');
  const wider = useWiderJobSearch(api, query, user.role === 'support', listed);
  const roomByJob = useMemo(() => {
    const map = new Map<number, number>();
    for (const part of signature.split('|').filter(Boolean)) {
      const [jobId, roomId] = part.split(':').map(Number);
      if (jobId && roomId) map.set(jobId, roomId);
    }
    return map;
  }, [signature]);

  // Several triggers read the list, and answers may come out of order: only the latest read's answer
  // (or its error) is shown, else an older list would overwrite a newer one. An overtaken read resolves
  // with the newest one, so an action awaiting its own read refocuses on the list that is shown.
  const latestRead = useRef<{ id: number; done: Promise<void> }>({ id: 0, done: Promise.resolve() });
  const refresh = useCallback((): Promise<void> => {
    const id = latestRead.current.id + 1;
    const overtaken = () => latestRead.current.id !== id;
    const done = (async () => {
      const since = chat.openJobs.getState().version;
      const heard = chat.state.connection === 'open';
      try {
        const jobs = await api.jobs();
        if (overtaken()) return latestRead.current.done;
        setListed({ jobs, since, heard });
        setLoadError(null);
      } catch (err) {
        if (overtaken()) return latestRead.current.done;
        setLoadError(`Could not load jobs: ${describeError(err)}`);
      }
    })();
    latestRead.current = { id, done };
    return done;
  }, [api, chat]);

  useEffect(() => {
    void refresh();
  }, [refresh, signature]);

  // Read again when changes made since the list was read may be missing: a cleaner's (or support's) list read before the
  // socket heard the board (the page loads faster than the socket: a job posted between went unheard), or
  // more board changes came than the store keeps.
  const unheard = (user.role === 'cleaner' || user.role === 'support') && listed !== null && !listed.heard && connection === 'open';
  const outlived = listed !== null && board.forgotten > listed.since;
  const stale = unheard || outlived;
  useEffect(() => {
    if (stale) void refresh();
  }, [stale, refresh]);

  useEffect(() => {
    const onShown = () => {
      if (document.visibilityState === 'visible') void refresh();
    };
    document.addEventListener('visibilitychange', onShown);
    return () => document.removeEventListener('visibilitychange', onShown);
  }, [refresh]);

  const onReconnect = useCallback(() => {
    setActionError((shown) => (shown?.unreachable ? null : shown));
    void refresh();
  }, [refresh]);
  useOnReconnect(onReconnect);

  // Jobs with a request on the way: their buttons wait, or a second click is refused ("no longer open").
  // The ref answers at once (two clicks before a render); the state redraws the buttons.
  const pendingRef = useRef(new Set<number>());
  const [pending, setPending] = useState<ReadonlySet<number>>(new Set());
  // A job being accepted stays until the answer: this cleaner's own accept also took it off the board.
  const support = user.role === 'support';
  const jobs = useMemo(
    () => listed && (support ? withJobChanges(listed.jobs, board, listed.since) : onBoard(listed.jobs, board, listed.since, (id) => pending.has(id))),
    [listed, board, pending, support],
  );

  /**
   * Runs a job action, shows why it failed after what failed (`failed`: the card may have left the list,
   * taken by another cleaner, so the reason alone would not say which job), reloads the jobs; true when it went through.
   */
  const act = async (failed: string, fn: () => Promise<unknown>): Promise<boolean> => {
    setActionError(null);
    let done = false;
    try {
      await fn();
      done = true;
    } catch (err) {
      setActionError({ text: `${failed}: ${describeError(err)}`, unreachable: unreachable(err) });
    }
    await refresh();
    return done;
  };
  /** `act` for one job, once at a time. */
  const actOn = async (job: Job, verb: string, fn: () => Promise<unknown>): Promise<void> => {
    const jobId = job.id;
    if (pendingRef.current.has(jobId)) return;
    pendingRef.current.add(jobId);
    setPending(new Set(pendingRef.current));
    try {
      await act(`Could not ${verb} job #${jobId} “${job.title}”`, fn);
      setRefocus(jobId);
    } finally {
      pendingRef.current.delete(jobId);
      setPending(new Set(pendingRef.current));
    }
  };

  // The clicked button is gone after an action (accepted: the card moved to "My jobs"; started: "Mark
  // completed" replaced it): the keyboard goes to the job's card rather than to the top of the page.
  // A failed action whose job left the list (another cleaner took it) sends it to the reason instead.
  const [refocus, setRefocus] = useState<number | null>(null);
  const pageRef = useRef<HTMLDivElement>(null);
  const errorRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (refocus === null) return;
    setRefocus(null);
    const lost = !document.activeElement || document.activeElement === document.body;
    if (!lost) return;
    const card = pageRef.current?.querySelector<HTMLElement>(`[data-job-id="${refocus}"]`);
    (card ?? errorRef.current)?.focus();
  }, [refocus, jobs]);
  const error = actionError?.text ?? loadError;
  // A failure's action (FailureActionButton) ran: done, its words go (the keyboard is where it led, the
  // joined room's message box); failed, it reported why, and the keyboard goes to that reason.
  const [errorFocus, setErrorFocus] = useState(0);
  useEffect(() => {
    if (errorFocus > 0) errorRef.current?.focus();
  }, [errorFocus]);
  const settleAction = (action: FailureAction | undefined, worked: boolean) => {
    if (worked) setActionError((shown) => (shown?.action === action ? null : shown));
    else setErrorFocus((n) => n + 1);
  };

  // Its roomId only for the job's own client and cleaner, or staff who joined its room (their chat lists it):
  // support staff see every job, but are in its room only once they join it ("Join job chat").
  const roomOf = (job: Job) => roomByJob.get(job.id) ?? (takesPart(user, job) ? job.roomId : null) ?? null;
  const all = jobs ?? [];
  const open = all.filter((j) => j.status === 'open');
  const mine = user.role === 'cleaner' ? all.filter((j) => j.status !== 'open') : all;
  // Support's search: the loaded jobs at once, the server's older matches once the text settles.
  // An older job the search found is shown as it is now too.
  const found = support ? withJobChanges(withFound(mine, wider.jobs), board, listed?.since ?? 0).filter((j) => jobMatches(j, query)) : mine;
  // Who a card names: support staff (in a job's room only if they joined it) both people, from the list; the job's client or
  // cleaner the other one, from the job's room, else from the list (a chat not loaded yet).
  const peopleOf = (job: Job): JobPerson[] => {
    const named = (label: JobPerson['label'], name: string | undefined): JobPerson[] => (name ? [{ label, name }] : []);
    if (user.role === 'support') return [...named('Client', job.clientName), ...named('Cleaner', job.cleanerName)];
    const other = otherOf.get(job.id);
    if (other) return [other];
    return user.role === 'client' ? named('Cleaner', job.cleanerName) : named('Client', job.clientName);
  };
  // A card that leaves the board with the focus in it hands it on; not one the cleaner acted on (above).
  const keep = useKeepBoardFocus(
    open.map((j) => j.id),
    (id) => pending.has(id) || refocus === id,
  );

  return (
    <div className="jobs-page" ref={pageRef}>
      <section className="hero">
        <h1>{user.role === 'cleaner' ? 'Find your next job' : user.role === 'support' ? 'All jobs' : 'Your cleaning jobs'}</h1>
        <p className="muted">
          {user.role === 'cleaner'
            ? 'Accept an open job to start chatting with the client.'
            : user.role === 'support'
              ? 'Every job on the marketplace.'
              : 'Post a job, and chat with your cleaner as soon as they accept it.'}
        </p>
      </section>
      {error && (
        <p className="form-error" role="alert" tabIndex={-1} ref={errorRef}>
          {error}
        </p>
      )}
      {actionError?.action && (
        <p className="form-error-action">
          <FailureActionButton action={actionError.action} onDone={(worked) => settleAction(actionError.action, worked)} />
        </p>
      )}
      {user.role === 'cleaner' && <BoardNews shown={jobs} board={board} />}
      {user.role === 'client' && <PostJobForm onPost={(req) => act('Could not post the job', () => api.createJob(req))} />}
      {jobs === null ? (
        <p className="muted">Loading jobs…</p>
      ) : (
        <>
          {user.role === 'cleaner' && (
            <JobSection title="Open jobs" empty="No open jobs right now." headingRef={keep.heading}>
              {open.map((job) => (
                <JobCard key={job.id} job={job} cardRef={keep.cardRef}>
                  <button type="button" className="primary" disabled={pending.has(job.id)} aria-describedby={aboutJob(job)} onClick={() => void actOn(job, 'accept', () => api.acceptJob(job.id))}>
                    Accept job
                  </button>
                </JobCard>
              ))}
            </JobSection>
          )}
          <JobSection
            title={user.role === 'cleaner' ? 'My jobs' : user.role === 'support' ? 'Jobs' : 'My jobs'}
            empty={query.trim() && user.role === 'support' ? `No jobs match “${query.trim()}”.` : 'No jobs yet.'}
            tools={user.role === 'support' && <JobSearch query={query} onChange={setQuery} matches={found.length} widerError={wider.error} />}
          >
            {found.map((job) => {
              const roomId = roomOf(job);
              return (
                <JobCard key={job.id} job={job} people={peopleOf(job)}>
                  {support && <MessagePeople job={job} api={api} onFailed={(text, unreachable, action) => setActionError({ text, unreachable, action })} />}
                  {support && roomId === null && joinable(job) && <JoinJobChat job={job} api={api} onFailed={(text, unreachable) => setActionError({ text, unreachable })} />}
                  {roomId !== null && (
                    <button type="button" className="secondary" aria-describedby={aboutJob(job)} onClick={() => chat.openRoom(roomId)}>
                      Open chat
                    </button>
                  )}
                  {nextStatuses(user, job).map(({ status, label, verb }) => {
                    const busy = pending.has(job.id);
                    const change = () => void actOn(job, verb, () => api.setJobStatus(job.id, status));
                    return status === 'cancelled' ? (
                      <CancelJobButton key={status} disabled={busy} describedBy={aboutJob(job)} onCancel={change} />
                    ) : (
                      <button key={status} type="button" className="secondary" disabled={busy} aria-describedby={aboutJob(job)} onClick={change}>
                        {label}
                      </button>
                    );
                  })}
                </JobCard>
              );
            })}
          </JobSection>
        </>
      )}
    </div>
  );
}

function takesPart(user: User, job: Job): boolean {
  return job.clientId === user.id || job.cleanerId === user.id;
}

/** The status moves offered to this user (the server enforces the same rules; support staff may make any valid move). */
function nextStatuses(user: User, job: Job): { status: JobStatus; label: string; verb: string }[] {
  const moves: { status: JobStatus; label: string; verb: string }[] = [];
  if (user.role === 'cleaner' || user.role === 'support') {
    if (job.status === 'assigned') moves.push({ status: 'in_progress', label: 'Start job', verb: 'start' });
    if (job.status === 'in_progress') moves.push({ status: 'completed', label: 'Mark completed', verb: 'complete' });
  }
  const cancellable = job.status === 'open' || job.status === 'assigned' || (user.role === 'support' && job.status === 'in_progress');
  if ((user.role === 'client' || user.role === 'support') && cancellable) {
    moves.push({ status: 'cancelled', label: 'Cancel job', verb: 'cancel' });
  }
  return moves;
}
