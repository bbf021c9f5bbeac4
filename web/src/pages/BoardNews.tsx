/**
 * The open-jobs board's visually hidden status line: says politely what the board changed live
 * ("New job: Oven", "Job Oven is no longer open"). The list as first read, and lists read later
 * (after the cleaner's own action, on reconnect…) are not news: only changes heard from the
 * socket that added or took away a card. Spaced like the chat's arrivals: changes within a
 * short gap of the last one said are said together after it.
 */
import { useEffect, useRef } from 'react';
import type { Job } from '@ecc/protocol';
import type { OpenJobsState } from '../chat/openJobs.ts';
import { usePageVisible } from '../chat/ChatContext.tsx';
import { listTally, useSpacedAnnouncer } from '../components/useArrivalAnnouncer.ts';

/** More changes than this at once are said as counts, not one by one. */
const SAID_ONE_BY_ONE = 3;

/** `shown`: the jobs on the page (null while loading); `board`: the changes they were drawn with. */
export function BoardNews({ shown, board }: { shown: readonly Job[] | null; board: OpenJobsState }) {
  // Not into a hidden tab (a screen reader follows the tab in front): what came is said on return.
  const { announcement: news, add } = useSpacedAnnouncer(boardTally, !usePageVisible());
  // The board's version and the open jobs as last shown.
  const seen = useRef<{ version: number; open: readonly Job[] } | null>(null);

  useEffect(() => {
    if (shown === null) return;
    const open = shown.filter((j) => j.status === 'open');
    const before = seen.current;
    seen.current = { version: board.version, open };
    if (!before || board.version === before.version) return;
    const was = new Set(before.open.map((j) => j.id));
    const is = new Set(open.map((j) => j.id));
    // The cleaner's own accepted job leaves the board for "My jobs": its frame may be drawn with the list read after it.
    const onPage = new Set(shown.map((j) => j.id));
    const changes: BoardNewsItem[] = [];
    for (const { job, at } of board.changes.values()) {
      if (at <= before.version) continue;
      if (job.status === 'open' && is.has(job.id) && !was.has(job.id)) changes.push({ job, added: true });
      if (job.status !== 'open' && was.has(job.id) && !onPage.has(job.id)) changes.push({ job, added: false });
    }
    if (changes.length > 0) add(changes);
  }, [shown, board, add]);

  return (
    <div role="status" className="visually-hidden">
      {news && <p key={news.id}>{news.text}</p>}
    </div>
  );
}

const boardTally = listTally(say);

/** A card the board added (a job posted) or took away (taken, cancelled). */
interface BoardNewsItem {
  job: Job;
  added: boolean;
}

function say(changes: readonly BoardNewsItem[]): string | null {
  const added = changes.filter((c) => c.added).map((c) => c.job);
  const gone = changes.filter((c) => !c.added).map((c) => c.job);
  if (added.length + gone.length === 0) return null;
  if (added.length + gone.length > SAID_ONE_BY_ONE) {
    const parts = [added.length > 0 && `${added.length} new ${added.length === 1 ? 'job' : 'jobs'}`, gone.length > 0 && `${gone.length} no longer open`];
    return parts.filter(Boolean).join(', ');
  }
  return [...added.map((j) => `New job: ${j.title}`), ...gone.map((j) => `Job ${j.title} is no longer open`)].join('. ');
}
