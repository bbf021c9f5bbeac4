/** Reading one socket frame: checked against the ServerFrame schema once, here, and never cast. */
import { SERVER_FRAME_TYPES, ServerFrame } from '@ecc/protocol';
import { parseKeepingNewEnumValues } from './newEnumValues.ts';

export type ReadFrame =
  /** `frame` is null for a frame type this library does not know: a newer server's addition, to be ignored. */
  | { ok: true; frame: ServerFrame | null }
  /** `ref` when the bad frame still names the request it answers (that request fails with `problem`). */
  | { ok: false; problem: string; ref?: string };

export function readServerFrame(data: unknown): ReadFrame {
  if (typeof data !== 'string') return { ok: false, problem: 'Server sent a binary frame' };
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return { ok: false, problem: 'Server sent a frame that is not JSON' };
  }
  // The contract adds frame types; a client that does not know one ignores it (a `ref` on it does not
  // answer a request of ours either: its meaning is unknown).
  if (isObject(raw) && typeof raw.type === 'string' && !SERVER_FRAME_TYPES.has(raw.type)) return { ok: true, frame: null };
  // Likewise a value added to one of its enums: kept as the server's string (see newEnumValues.ts).
  const parsed = parseKeepingNewEnumValues(ServerFrame, raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const problem = `Invalid server frame: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'unknown shape'}`;
  const ref = isObject(raw) && typeof raw.ref === 'string' ? raw.ref : undefined;
  return ref === undefined ? { ok: false, problem } : { ok: false, problem, ref };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
