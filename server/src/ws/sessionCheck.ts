/**
 * Sockets of ended sessions, found without the bus. A logout closes its
 * session's sockets on every node through the bus (`close_session` on the
 * user's topic); while the bus is unhealthy (Redis down or hung) that event
 * never reaches the other nodes, and a signed-out tab there would go on
 * receiving the user's messages for as long as the outage lasts. So while
 * the bus is unhealthy, each keep-alive slice's sockets have their sessions
 * looked up in the database (one query per slice), and a socket whose
 * session is gone is closed with 4401, as the logout would have closed it.
 */
import { CloseCode } from '@ecc/protocol';
import type { Bus } from '../fanout/bus.ts';
import type { Logger } from '../logger.ts';
import type { Store } from '../storage/store.ts';

/** What is checked: a socket and the session it was opened with. */
export interface SessionSocket {
  readonly sessionId: number;
  close(code: number, reason: string): void;
}

/** Lookups waiting for the database beyond which a slice is not checked (its sockets are, next round). */
const MAX_LOOKUPS_IN_FLIGHT = 2;

export class SessionCheck {
  private inFlight = 0;

  constructor(
    private readonly bus: Pick<Bus, 'healthy'>,
    private readonly store: Pick<Store, 'liveSessions'>,
    private readonly logger: Logger,
  ) {}

  /** Called with each keep-alive slice; does nothing while the bus is healthy. */
  check(sockets: Iterable<SessionSocket>): void {
    if (this.bus.healthy() || this.inFlight >= MAX_LOOKUPS_IN_FLIGHT) return;
    const bySession = new Map<number, SessionSocket[]>();
    for (const socket of sockets) {
      const list = bySession.get(socket.sessionId);
      if (list) list.push(socket);
      else bySession.set(socket.sessionId, [socket]);
    }
    if (bySession.size === 0) return;
    this.inFlight++;
    this.store
      .liveSessions([...bySession.keys()])
      .then(
        (live) => {
          for (const [sessionId, list] of bySession) {
            if (live.has(sessionId)) continue;
            for (const socket of list) socket.close(CloseCode.SESSION_ENDED, 'Signed out');
          }
        },
        (err: unknown) => this.logger.warn({ err }, 'looking up the sessions of open sockets failed'),
      )
      .finally(() => {
        this.inFlight--;
      });
  }
}
