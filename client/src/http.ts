/**
 * Typed HTTP API client (protocol §1, §8). Every answer is validated with the
 * protocol's zod schemas; every failure is thrown as a ChatError (an
 * HttpChatError carrying the status when the server answered).
 */
import {
  Attachment,
  ChatError,
  CreateJobRequest,
  ErrorResponse,
  JobResponse,
  JoinRoomResponse,
  JobsResponse,
  LoginResponse,
  MeResponse,
  RoomResponse,
  isErrorCode,
  type ErrorCode,
  type Job,
  type JobStatus,
  type OpenSupportRequest,
  type Room,
  type User,
} from '@ecc/protocol';
import { z } from 'zod';
import { HttpChatError } from './errors.ts';
import { parseKeepingNewEnumValues } from './newEnumValues.ts';
import { canWatchUploads, watchedUpload, type UploadProgress } from './watchedUpload.ts';

/** How an upload is watched and stopped. */
export interface UploadOptions {
  /**
   * Told as the file goes up (browsers only: there the upload goes by XMLHttpRequest, whose
   * events fetch has no equivalent of; in Node it is never called).
   */
  onProgress?: UploadProgress;
  /** Aborting it stops the upload; the promise then rejects with the signal's reason, not a ChatError. */
  signal?: AbortSignal;
}

export interface ApiClientOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8000` (or '' / `location.origin` in the browser). */
  baseUrl: string;
  /** Bearer token (Node); in the browser omit it and rely on the session cookie. */
  token?: string;
  fetch?: typeof fetch;
  /** Default 'same-origin'; use 'include' when the app and the server are on different origins. */
  credentials?: Credentials;
  /**
   * How long a request may wait for its whole answer before it fails with UNAVAILABLE (a server or proxy that
   * accepted the connection and went silent would otherwise keep the promise pending for minutes); default 30 s,
   * 0 for no limit. Uploads are not limited: a large file on a slow link takes as long as it takes.
   */
  timeoutMs?: number;
}

/** The default of ApiClientOptions.timeoutMs. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** `fetch`'s credentials mode, named without the DOM library (a Node program need not load it). */
type Credentials = NonNullable<RequestInit['credentials']>;

// The contract names the answer `Attachment`; a wrapped `{attachment}` is accepted too.
const UploadResponse = z.union([Attachment, z.object({ attachment: Attachment }).transform((b) => b.attachment)]);

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  413: 'TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
  429: 'RATE_LIMITED',
  503: 'UNAVAILABLE',
};

export class ApiClient {
  private currentToken: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly baseUrl: string;
  private readonly credentials: Credentials;
  private readonly timeoutMs: number;

  constructor(opts: ApiClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.currentToken = opts.token;
    // Bound late: calling a detached `window.fetch` throws "Illegal invocation".
    this.fetchImpl = opts.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.credentials = opts.credentials ?? 'same-origin';
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /** The Bearer token in use (set by login, cleared by logout). */
  get token(): string | undefined {
    return this.currentToken;
  }

  setToken(token: string | undefined): void {
    this.currentToken = token;
  }

  /** Signs in; keeps the token for later calls (the server also sets the session cookie). */
  async login(username: string, password: string): Promise<LoginResponse> {
    const body = await this.request('POST', '/api/auth/login', LoginResponse, { json: { username, password } });
    this.currentToken = body.token;
    return body;
  }

  /** Ends the session: the token stops working and the server closes its sockets with 4401. */
  async logout(): Promise<void> {
    await this.request('POST', '/api/auth/logout', z.unknown());
    this.currentToken = undefined;
  }

  async me(): Promise<User> {
    return (await this.request('GET', '/api/me', MeResponse)).user;
  }

  /** The user's jobs (cleaners also see open ones). */
  async jobs(): Promise<Job[]> {
    return (await this.request('GET', '/api/jobs', JobsResponse)).jobs;
  }

  /**
   * Support staff's search of every job (an addition; 403 for anyone else): the job numbered `q` ("12",
   * "#12") and those whose title, client's or cleaner's name contains it, any case; newest first, at most 500.
   */
  async searchJobs(q: string): Promise<Job[]> {
    return (await this.request('GET', `/api/jobs?q=${encodeURIComponent(q)}`, JobsResponse)).jobs;
  }

  async createJob(req: CreateJobRequest): Promise<Job> {
    return (await this.request('POST', '/api/jobs', JobResponse, { json: req })).job;
  }

  /** Cleaner accepts an open job; the server creates its chat room. */
  async acceptJob(id: number): Promise<Job> {
    return (await this.request('POST', `/api/jobs/${encodeURIComponent(id)}/accept`, JobResponse)).job;
  }

  async setJobStatus(id: number, status: JobStatus): Promise<Job> {
    return (await this.request('POST', `/api/jobs/${encodeURIComponent(id)}/status`, JobResponse, { json: { status } })).job;
  }

  /** Opens (or returns) the user's support room. */
  async openSupport(): Promise<Room> {
    return (await this.request('POST', '/api/support', RoomResponse)).room;
  }

  /**
   * Support staff only (an addition; FORBIDDEN for anyone else): opens (or returns) the support room of the
   * client or cleaner `userId`, the same one their own "Contact support" opens, to reach them first. A new
   * room has the caller as its agent; one another agent handles is CONFLICT naming that agent. An unknown
   * user is NOT_FOUND, a support user BAD_REQUEST.
   */
  async openSupportFor(userId: number): Promise<Room> {
    const json: OpenSupportRequest = { userId };
    return (await this.request('POST', '/api/support', RoomResponse, { json })).room;
  }

  /**
   * Support staff only (an addition; FORBIDDEN for anyone else): joins the room `roomId` — a job room, to
   * settle a dispute, or a support room another agent handles (`HttpChatError.roomId` of openSupportFor's
   * CONFLICT) — with a notice everyone in it sees; joining a room again changes nothing. NOT_FOUND for an
   * unknown room, ROOM_CLOSED for a closed one. The room comes back as the joiner sees it, and reaches
   * their open sockets as a `room` event too.
   */
  async joinRoom(roomId: number): Promise<Room> {
    return (await this.request('POST', `/api/rooms/${encodeURIComponent(roomId)}/join`, JoinRoomResponse)).room;
  }

  /** Uploads one file (images and PDF, ≤ 10 MiB) to a room; send it with `attachmentId`. */
  async uploadAttachment(roomId: number, file: Blob, name: string, options: UploadOptions = {}): Promise<Attachment> {
    const form = new FormData();
    form.append('file', file, name);
    return this.request('POST', `/api/rooms/${encodeURIComponent(roomId)}/attachments`, UploadResponse, { form, upload: options });
  }

  /** Takes back an upload no message carries yet (its uploader only; a sent one is `CONFLICT`). */
  async discardAttachment(id: number): Promise<void> {
    await this.request('DELETE', `/api/attachments/${encodeURIComponent(id)}`, z.unknown());
  }

  private async request<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    schema: S,
    body?: { json?: unknown; form?: FormData; upload?: UploadOptions },
  ): Promise<z.output<S>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (this.currentToken) headers.Authorization = `Bearer ${this.currentToken}`;
    let payload: string | FormData | undefined;
    if (body?.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body.json);
    } else if (body?.form) {
      payload = body.form; // fetch sets the multipart boundary itself
    }
    const init: RequestInit = { method, headers, body: payload, credentials: this.credentials };
    // The signal also bounds reading the body: a server may send the headers and then stall.
    if (this.timeoutMs > 0 && !body?.form) init.signal = AbortSignal.timeout(this.timeoutMs);
    const { onProgress, signal } = body?.upload ?? {};
    if (signal) init.signal = signal;
    const url = `${this.baseUrl}${path}`;
    let response: Response;
    let data: unknown;
    try {
      // Watched, an upload goes by XMLHttpRequest; its answer is read and mapped below as fetch's is.
      response =
        body?.form && onProgress && canWatchUploads()
          ? await watchedUpload(url, { method, headers, body: body.form, credentials: this.credentials, signal }, onProgress)
          : await this.fetchImpl(url, init);
      data = await readJson(response);
    } catch (err) {
      // Stopped by its caller: not a failure to reach the server.
      if (signal?.aborted) throw signal.reason;
      const timedOut = err instanceof Error && err.name === 'TimeoutError';
      const message = timedOut ? `No answer from the server within ${this.timeoutMs} ms` : 'Cannot reach the server';
      throw new ChatError('UNAVAILABLE', message, { cause: err });
    }
    if (!response.ok) throw toHttpError(response, data);
    // A value a newer server added to an enum (a role, a job status) keeps the answer (newEnumValues.ts).
    const parsed = parseKeepingNewEnumValues(schema, data);
    if (!parsed.success) {
      throw new ChatError('INTERNAL', `Unexpected answer from ${method} ${path}`, { cause: parsed.error });
    }
    return parsed.data;
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function toHttpError(response: Response, data: unknown): HttpChatError {
  const retryAfter = Number(response.headers.get('Retry-After'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const parsed = ErrorResponse.safeParse(data);
  if (parsed.success && isErrorCode(parsed.data.error.code)) {
    const { code, message, roomId } = parsed.data.error;
    return new HttpChatError(code, message, response.status, retryAfterSeconds, roomId === undefined ? {} : { roomId });
  }
  const code = CODE_BY_STATUS[response.status] ?? (response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST');
  return new HttpChatError(code, `HTTP ${response.status}`, response.status, retryAfterSeconds);
}
