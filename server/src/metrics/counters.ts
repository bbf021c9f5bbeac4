/**
 * The counters of one node for GET /metrics (routes/metrics.ts). Each event
 * costs one increment of a number that exists from the start: no labels
 * built, no map looked up, nothing allocated on the send path. Gauges
 * (sockets, users, memory, the fan-out link) are not kept here: they are
 * read from their owners at scrape time.
 */
import { ERROR_CODES, type ErrorCode } from '@ecc/protocol';

/** Status classes of HTTP answers (a 1xx is never a final answer). */
export const STATUS_CLASSES = ['2xx', '3xx', '4xx', '5xx'] as const;

export class NodeCounters {
  /** Messages of `send` frames stored by this node (a retry found already stored is not counted again). */
  messagesStored = 0;
  /** Send batches committed by this node (messagesStored / sendBatches is the mean batch size). */
  sendBatches = 0;
  /** `error` frames sent to this node's sockets, by code (every code of the contract, from zero). */
  readonly framesRefused: Record<ErrorCode, number> = Object.fromEntries(ERROR_CODES.map((code) => [code, 0])) as Record<ErrorCode, number>;
  /** HTTP answers finished, by status class, in STATUS_CLASSES order. */
  readonly httpResponses: number[] = STATUS_CLASSES.map(() => 0);
  /** HTTP connections refused at the per-address cap (MAX_HTTP_CONNECTIONS_PER_ADDRESS) before any request. */
  httpConnectionsRefused = 0;

  frameRefused(code: ErrorCode): void {
    this.framesRefused[code] += 1;
  }

  httpAnswered(status: number): void {
    const index = Math.floor(status / 100) - 2;
    if (index >= 0 && index < STATUS_CLASSES.length) this.httpResponses[index]! += 1;
  }
}
