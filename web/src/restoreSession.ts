/**
 * Restoring the session from its cookie when the app starts (/api/me). Only a 401 says there is
 * none. A server restarting, a 5xx or no network says nothing about the session: the sign-in page
 * then would ask for a password for nothing, and what this tab kept for a reload (savedChat.ts)
 * would wait behind it. Instead the app says it cannot reach the server and asks again, waiting
 * longer each time, at once when the browser is back online, or when the user presses Try now.
 */
import { useEffect, useRef, useState } from 'react';
import { backoffDelay, type ApiClient } from '@ecc/client';
import { ChatError, type User } from '@ecc/protocol';

/** Waits between tries: 1, 2, 4 … up to 30 seconds. */
const RETRY_BACKOFF = { initialMs: 1000, maxMs: 30_000 };

export interface SessionRestore {
  /** The last try failed for a reason other than an ended session; another comes by itself. */
  unreachable: boolean;
  /** Tries again now instead of at the next scheduled time. */
  retryNow: () => void;
}

/**
 * Asks /api/me until it answers, then calls `onRestored` once with the user, or with null on a 401
 * (no session: `onEnded` forgets what was kept for it first). Stops when unmounted.
 */
export function useSessionRestore(api: Pick<ApiClient, 'me'>, onRestored: (user: User | null) => void, onEnded: () => void): SessionRestore {
  const [unreachable, setUnreachable] = useState(false);
  const wake = useRef<() => void>(() => undefined);
  const callbacks = useRef({ onRestored, onEnded });
  callbacks.current = { onRestored, onEnded };

  useEffect(() => {
    const stop = new AbortController();
    const run = async () => {
      for (let failures = 1; ; failures++) {
        try {
          const user = await api.me();
          if (!stop.signal.aborted) callbacks.current.onRestored(user);
          return;
        } catch (err) {
          if (stop.signal.aborted) return;
          if (err instanceof ChatError && err.code === 'UNAUTHORIZED') {
            callbacks.current.onEnded();
            callbacks.current.onRestored(null);
            return;
          }
          console.warn('Could not restore the session', err);
          setUnreachable(true);
          await nextTry(backoffDelay(failures, RETRY_BACKOFF), stop.signal, wake);
          if (stop.signal.aborted) return;
        }
      }
    };
    void run();
    return () => stop.abort();
  }, [api]);

  return { unreachable, retryNow: () => wake.current() };
}

/** Resolves after `delayMs`, when the browser is back online, on `wake`, or when stopped. */
function nextTry(delayMs: number, stop: AbortSignal, wake: { current: () => void }): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      window.removeEventListener('online', done);
      stop.removeEventListener('abort', done);
      wake.current = () => undefined;
      resolve();
    };
    const timer = setTimeout(done, delayMs);
    window.addEventListener('online', done);
    stop.addEventListener('abort', done);
    wake.current = done;
  });
}
