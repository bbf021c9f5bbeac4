/**
 * `fetch` for a request body whose progress is to be shown: fetch cannot tell how much of a body
 * has gone up, XMLHttpRequest's upload events can. It answers a `Response`, so the caller reads
 * the answer and maps its failures exactly as it does fetch's (one error mapping for both); a
 * network failure rejects with a TypeError as fetch does, an abort with the signal's reason.
 */

/** Told as a body goes up: `sent` of its `total` bytes (the multipart body, a little more than the file). */
export type UploadProgress = (sent: number, total: number) => void;

export interface WatchedRequest {
  method: string;
  headers: Record<string, string>;
  body: FormData;
  /** 'include' sends cookies across origins too; a page's own origin gets them either way. */
  credentials: string;
  signal?: AbortSignal;
}

/** The part of a browser's XMLHttpRequest used here, named without the DOM library (a Node program need not load it). */
interface Xhr {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  getAllResponseHeaders(): string;
  withCredentials: boolean;
  readonly status: number;
  readonly statusText: string;
  readonly responseText: string;
  readonly upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
}

function xhrConstructor(): (new () => Xhr) | undefined {
  return (globalThis as { XMLHttpRequest?: new () => Xhr }).XMLHttpRequest;
}

/** True where XMLHttpRequest exists (a browser); Node has none, and its uploads go by fetch, unwatched. */
export function canWatchUploads(): boolean {
  return xhrConstructor() !== undefined;
}

export function watchedUpload(url: string, req: WatchedRequest, onProgress: UploadProgress): Promise<Response> {
  return new Promise((resolve, reject) => {
    const { signal } = req;
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const Request = xhrConstructor();
    if (!Request) {
      reject(new TypeError('No XMLHttpRequest here to watch an upload with'));
      return;
    }
    const xhr = new Request();
    const onAbort = () => xhr.abort();
    const settled = () => signal?.removeEventListener('abort', onAbort);
    try {
      xhr.open(req.method, url);
      xhr.withCredentials = req.credentials === 'include';
      for (const [name, value] of Object.entries(req.headers)) xhr.setRequestHeader(name, value);
    } catch (error) {
      reject(error instanceof Error ? error : new TypeError(String(error)));
      return;
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    // Set before send: a browser reports upload progress only to listeners present then.
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      settled();
      // An answer no Response can hold (a status outside 200–599, a header line Headers refuses)
      // must fail the upload, not leave it "Uploading… 100 %" for good.
      try {
        resolve(responseOf(xhr));
      } catch {
        reject(new TypeError(`The upload's answer could not be read (status ${xhr.status})`));
      }
    };
    xhr.onerror = () => {
      settled();
      reject(new TypeError('The upload failed on the network'));
    };
    xhr.onabort = () => {
      settled();
      reject(signal?.reason ?? new DOMException('The upload was aborted', 'AbortError'));
    };
    xhr.send(req.body); // the browser sets the multipart boundary itself
  });
}

/** Statuses whose Response may carry no body (the constructor throws for one given). */
const NO_BODY = new Set([101, 204, 205, 304]);

function responseOf(xhr: Xhr): Response {
  const headers = new Headers();
  for (const line of xhr.getAllResponseHeaders().split('\r\n')) {
    const at = line.indexOf(':');
    if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
  }
  const body = NO_BODY.has(xhr.status) ? null : xhr.responseText;
  return new Response(body, { status: xhr.status, statusText: xhr.statusText, headers });
}
