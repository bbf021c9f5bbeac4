/** Jobs: list, create (clients), accept (cleaners), change status. Each change answers `{job}`. */
import { ChatError, CreateJobRequest, JobStatusRequest, type Job, type User } from '@ecc/protocol';
import type { Services } from '../../services.ts';
import { JobService } from '../../services/jobs.ts';
import { drainBody, readJson } from '../body.ts';
import { requireSession } from '../guard.ts';
import { sendJson } from '../respond.ts';
import type { Router } from '../router.ts';

export function registerJobRoutes(router: Router, services: Services): void {
  const { store, config } = services;
  const jobs = new JobService({ store, rooms: services.rooms, roomCloseGraceMs: config.roomCloseGraceMs });
  const maxBody = config.limits.maxJsonBodyBytes;

  router.add('GET', '/api/jobs', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    sendJson(ctx.res, 200, { jobs: (await store.listJobsFor(user)).map((job) => asSeenBy(user, job)) });
  });

  router.add('POST', '/api/jobs', async (ctx) => {
    const { user } = await requireSession(ctx, services);
    if (user.role !== 'client') throw new ChatError('FORBIDDEN', 'Only clients can post jobs');
    const body = await readJson(ctx.req, CreateJobRequest, maxBody);
    // Cleaners see the newest open jobs: one client posting without end would push everyone else's out.
    const open = await store.countOpenJobsOf(user.id);
    if (open >= config.limits.maxOpenJobsPerClient) {
      throw new ChatError('CONFLICT', `You already have ${open} open jobs; cancel one or wait until one is accepted`);
    }
    const job = await store.createJob({
      clientId: user.id,
      title: body.title,
      description: body.description,
      address: body.address ?? null,
      scheduledAt: body.scheduledAt ?? null,
    });
    sendJson(ctx.res, 200, { job });
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

/**
 * A job's address is for its client, the cleaner who takes it, and support: a cleaner browsing open
 * jobs sees what the job is, not where the client lives (any cleaner account could list every open
 * job's address). The accepting cleaner gets it in the accept's answer and the list from then on.
 */
function asSeenBy(user: User, job: Job): Job {
  if (user.role !== 'cleaner' || job.cleanerId === user.id || !job.address) return job;
  const { address: _notYours, ...rest } = job;
  return { ...rest, addressOnAccept: true };
}
