/**
 * Whether a write failed on a value the database refuses — PostgreSQL's
 * SQLSTATE classes 22 (data exception) and 23 (integrity violation),
 * SQLite's constraint, type and size errors — rather than on the database
 * itself (connection lost, timeout, disk full). Only a refused value is
 * worth retrying a batch's writes one by one: the others would all fail too.
 */
export function isRefusedValue(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return /^2[23][0-9A-Z]{3}$/.test(code) || /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}
