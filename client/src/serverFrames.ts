/** Reading one socket frame: checked against the ServerFrame schema once, here, and never cast. */
import { ServerFrame } from '@ecc/protocol';

export type ReadFrame =
  | { ok: true; frame: ServerFrame }
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
  const parsed = ServerFrame.safeParse(raw);
  if (parsed.success) return { ok: true, frame: parsed.data };
  const issue = parsed.error.issues[0];
  const problem = `Invalid server frame: ${issue ? `${issue.path.join('.')} ${issue.message}` : 'unknown shape'}`;
  const ref = typeof raw === 'object' && raw !== null && 'ref' in raw && typeof raw.ref === 'string' ? raw.ref : undefined;
  return ref === undefined ? { ok: false, problem } : { ok: false, problem, ref };
}
