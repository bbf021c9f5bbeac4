/** GET /healthz: 200 `{ok:true}` when the database answers and the bus is healthy and answers; 503 naming what failed. */
import type { Services } from '../../services.ts';
import { sendJson } from '../respond.ts';
import type { Router } from '../router.ts';

const PING_TIMEOUT_MS = 2000;

export function registerHealthRoutes(router: Router, services: Services): void {
  router.add('GET', '/healthz', async (ctx) => {
    const [database, busAnswers] = await Promise.all([
      withTimeout(services.store.ping(), PING_TIMEOUT_MS).then(
        () => true,
        (err: unknown) => {
          ctx.log.warn({ err }, 'health: database did not answer');
          return false;
        },
      ),
      services.bus.healthy() ? (services.bus.answers?.(PING_TIMEOUT_MS) ?? true) : false,
    ]);
    if (services.bus.healthy() && !busAnswers) ctx.log.warn('health: Redis did not answer');
    const bus = services.bus.healthy() && busAnswers;
    const ok = database && bus;
    sendJson(ctx.res, ok ? 200 : 503, ok ? { ok: true } : { ok: false, database, bus });
  });
}

function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timeout')), ms);
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}
