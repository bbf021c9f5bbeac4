/**
 * A fresh idempotency key for `send` (1–64 chars; the server dedups on it per sender):
 * a UUIDv7 (RFC 9562), so keys sort by creation time. The server's unique index is
 * (client_id, sender_id); time-ordered keys land at its right edge, where one page
 * takes a whole batch's inserts, instead of one random page per message (about a
 * third of SQLite's work per send; bench/analysis.md). Any other key still works.
 */
export function newClientId(now: number = Date.now()): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const sequence = nextSequence(now);
  // 48-bit milliseconds, big-endian (2^48 ms reaches the year 10889).
  let ms = sequence.ms;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  // rand_a holds a 12-bit counter (RFC 9562 §6.2, method 1), so keys of one millisecond keep their order.
  bytes[6] = 0x70 | (sequence.counter >> 8);
  bytes[7] = sequence.counter & 0xff;
  bytes[8] = 0x80 | ((bytes[8] as number) & 0x3f); // the RFC variant
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

let last = { ms: -1, counter: 0 };

/** The key's time and counter: never behind the previous key, even if the clock steps back. */
function nextSequence(now: number): { ms: number; counter: number } {
  if (now > last.ms) last = { ms: now, counter: 0 };
  else if (last.counter < 0xfff) last = { ms: last.ms, counter: last.counter + 1 };
  else last = { ms: last.ms + 1, counter: 0 }; // 4,096 keys in one millisecond: borrow the next one
  return last;
}
