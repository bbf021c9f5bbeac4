/** Jobs: list (support staff: or search), create (clients), accept (cleaners), change status. Each change answers `{job}`. */
import { ChatError, CreateJobRequest, JobListQuery, JobStatusRequest } from '@ecc/protocol';
import type { Services } from '../../services.ts';
import { JobService } from '../../services/jobs.ts';
import { asSeenBy } from '../../services/jobView.ts';
import { drainBody, readJson } from '../body.ts';
import { requireSession } from '../guard.ts';
import { readQuery } from '../query.ts';
import { sendJson } from '../respond.ts';
import type { Router } from '../router.ts';

export function registerJobRoutes(router: Router, services: Services): void {
  const { store, config } = services;
  const jobs = new JobService({
    store,
    rooms: services.rooms,
    board: services.board,
    supportBoard: services.supportBoard,
    roomCloseGraceMs: config.roomCloseGraceMs,
    maxOpenJobsPerClient: config.limits.maxOpenJobsPerClient,
    jobPostLimit: config.limits.jobPostLimit,
    jobPostWindowMs: config.limits.jobPostWindowMs,
  });
  const maxBody = config.limits.maxJsonBodyBytes;

  router.add('GET', '/api/jobs', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    // Searching every job is support staff's (a client or cleaner would find other people's jobs): anyone
    // else asking is refused, whatever they typed, rather than answered with a list that ignored it.
    if (ctx.url.searchParams.has('q') && user.role !== 'support') throw new ChatError('FORBIDDEN', 'Only support staff can search jobs');
    const q = readQuery(ctx.url, JobListQuery).q?.trim();
    const jobs = q ? await store.searchJobs(q) : await store.listJobsFor(user);
    sendJson(ctx.res, 200, { jobs: jobs.map((job) => asSeenBy(user, job)) });
  });

  router.add('POST', '/api/jobs', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    // Before the body is read: anyone else's request is refused whatever it holds.
    if (user.role !== 'client') throw new ChatError('FORBIDDEN', 'Only clients can post jobs');
    const body = await readJson(ctx.req, CreateJobRequest, maxBody);
    sendJson(ctx.res, 200, { job: await jobs.create(user, body) });
  });

  router.add('POST', '/api/jobs/:id/accept', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    await drainBody(ctx.req, maxBody);
    sendJson(ctx.res, 200, { job: await jobs.accept(user, ctx.params.id ?? 0) });
  });

  router.add('POST', '/api/jobs/:id/status', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    const body = await readJson(ctx.req, JobStatusRequest, maxBody);
    sendJson(ctx.res, 200, { job: await jobs.setStatus(user, ctx.params.id ?? 0, body.status) });
  });
}
