/**
 * watchedUpload's own edges, with a stand-in XMLHttpRequest: answers a browser could give that no
 * Response can hold, and a request that cannot even be opened. (The real browser path, with the real
 * server, is uploadProgress.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { watchedUpload } from '../src/watchedUpload.ts';

class StandInXhr {
  static status = 200;
  static openThrows = false;
  static aborted = 0;
  withCredentials = false;
  status = 0;
  statusText = '';
  responseText = '';
  upload = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  open(): void {
    if (StandInXhr.openThrows) throw new SyntaxError('Invalid URL');
  }
  setRequestHeader(): void {}
  getAllResponseHeaders(): string {
    return 'content-type: application/json\r\n';
  }
  abort(): void {
    StandInXhr.aborted++;
  }
  send(): void {
    queueMicrotask(() => {
      this.status = StandInXhr.status;
      this.responseText = '{}';
      this.onload?.();
    });
  }
}

const request = (signal?: AbortSignal) => ({ method: 'POST', headers: {}, body: new FormData(), credentials: 'same-origin', signal });
const g = globalThis as { XMLHttpRequest?: unknown };

describe('watchedUpload', () => {
  afterEach(() => {
    delete g.XMLHttpRequest;
    StandInXhr.status = 200;
    StandInXhr.openThrows = false;
    StandInXhr.aborted = 0;
  });

  it('fails an upload whose answer no Response can hold, instead of leaving it pending for good', async () => {
    g.XMLHttpRequest = StandInXhr;
    StandInXhr.status = 0; // what a browser reports for an answer it could not take
    await expect(watchedUpload('http://localhost/api/upload', request(), () => {})).rejects.toThrow(/could not be read/);
  });

  it('fails at once a request that cannot be opened, and leaves nothing listening on its signal', async () => {
    g.XMLHttpRequest = StandInXhr;
    StandInXhr.openThrows = true;
    const stop = new AbortController();
    await expect(watchedUpload('::bad::', request(stop.signal), () => {})).rejects.toThrow('Invalid URL');
    stop.abort();
    expect(StandInXhr.aborted).toBe(0);
  });
});
