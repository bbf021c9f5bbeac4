/** A fresh idempotency key for `send` (1–64 chars; the server dedups on it per sender). */
export function newClientId(): string {
  return globalThis.crypto.randomUUID();
}
