/** The PostgreSQL error codes (SQLSTATE) the store reacts to, and how to read one off a `pg` error. */
export const UNIQUE_VIOLATION = '23505';
export const NOT_NULL_VIOLATION = '23502';
export const DEADLOCK_DETECTED = '40P01';
/** "cached plan must not change result type": a migration changed a table under a prepared `select *`. */
export const STALE_PREPARED_PLAN = '0A000';

export const pgErrorCode = (err: unknown): unknown => (err as { code?: unknown } | null)?.code;

/**
 * Runs `work` again when PostgreSQL chose it as a deadlock's victim (its transaction rolled back whole, so
 * running it again is safe), up to `attempts` tries in all; any other error, or the last try's, is thrown.
 */
export async function retryDeadlocks<T>(work: () => Promise<T>, attempts: number): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || pgErrorCode(err) !== DEADLOCK_DETECTED) throw err;
    }
  }
}
