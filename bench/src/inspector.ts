/**
 * The server's own heap, seen through the V8 inspector of a server started
 * with `--inspect=127.0.0.1:0` (the churn scenario): a forced full GC, then
 * the heap V8 still uses — what RSS alone cannot tell (freed heap is not
 * always given back to the system). Also writes a heap snapshot, to see what
 * holds memory that grows.
 */
import { createWriteStream } from 'node:fs';
import WebSocket from 'ws';

const LISTENING = /Debugger listening on (ws:\/\/\S+)/;

/** The inspector's WebSocket address, as node prints it to stderr at start. */
export function inspectorUrl(stderr: string): string {
  const url = LISTENING.exec(stderr)?.[1];
  if (!url) throw new Error(`the server printed no inspector address:\n${stderr.slice(-2000)}`);
  return url;
}

type Pending = { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void };

export class Inspector {
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private onEvent: (method: string, params: Record<string, unknown>) => void = () => undefined;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown>; error?: { message: string } };
      if (frame.id === undefined) {
        if (frame.method) this.onEvent(frame.method, frame.params ?? {});
        return;
      }
      const waiting = this.pending.get(frame.id);
      this.pending.delete(frame.id);
      if (frame.error) waiting?.reject(new Error(frame.error.message));
      else waiting?.resolve(frame.result ?? {});
    });
    socket.on('close', () => {
      for (const waiting of this.pending.values()) waiting.reject(new Error('inspector closed'));
      this.pending.clear();
    });
  }

  static open(url: string): Promise<Inspector> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url, { perMessageDeflate: false });
      socket.once('open', () => resolve(new Inspector(socket)));
      socket.once('error', reject);
    });
  }

  call(method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    this.nextId += 1;
    const id = this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  /** V8 heap used (bytes) right after a forced full GC. */
  async heapUsedAfterGc(): Promise<number> {
    await this.call('HeapProfiler.collectGarbage');
    const usage = await this.call('Runtime.getHeapUsage');
    if (typeof usage.usedSize !== 'number') throw new Error('Runtime.getHeapUsage gave no usedSize');
    return usage.usedSize;
  }

  /** Writes a heap snapshot (open it in Chrome DevTools' Memory tab). */
  async writeHeapSnapshot(file: string): Promise<void> {
    const out = createWriteStream(file);
    this.onEvent = (method, params) => {
      if (method === 'HeapProfiler.addHeapSnapshotChunk') out.write(String(params.chunk));
    };
    try {
      await this.call('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
    } finally {
      this.onEvent = () => undefined;
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    }
  }

  close(): void {
    this.socket.close();
  }
}
