/**
 * Web Storage may throw on any call (quota exceeded, disabled by policy, some privacy modes): what
 * is kept there is a help, never a condition, so a failure is logged and read as "nothing there".
 */
export function storageAttempt<T>(work: () => T, what: string): T | null {
  try {
    return work();
  } catch (err) {
    console.warn(`${what} not available`, err);
    return null;
  }
}
