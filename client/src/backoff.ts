/** Reconnect backoff: exponential growth with jitter, defaults in one place. */

export interface BackoffOptions {
  /** Delay before the first reconnect attempt. */
  initialMs?: number;
  /** Upper bound of any delay. */
  maxMs?: number;
  /** Growth per failed attempt. */
  factor?: number;
  /** Spread as a fraction of the delay: 0.2 means ±20 %. */
  jitter?: number;
}

export const DEFAULT_BACKOFF: Required<BackoffOptions> = {
  initialMs: 500,
  maxMs: 15_000,
  factor: 2,
  jitter: 0.2,
};

/**
 * Delay before reconnect attempt `attempt` (1 = the first retry).
 * `random` is injectable so tests can pin the jitter.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}, random: () => number = Math.random): number {
  const { initialMs, maxMs, factor, jitter } = { ...DEFAULT_BACKOFF, ...options };
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(maxMs, initialMs * factor ** exponent);
  // Jitter spreads the reconnects of many clients after a server restart.
  const spread = base * jitter * (2 * random() - 1);
  return Math.round(Math.max(0, Math.min(maxMs, base + spread)));
}
