/**
 * Server configuration from environment variables, validated once at start-up.
 * A bad value stops the process with a message naming the variable.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_LIMITS, KEEPALIVE } from '@ecc/protocol';

const HOUR_MS = 3_600_000;

const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
const flag = (def: boolean) =>
  z
    .enum(['0', '1', 'true', 'false', 'yes', 'no', 'on', 'off'])
    .default(def ? '1' : '0')
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));
const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

/** `scheme://host[:port]` of an origin setting, or an issue on the variable when it is not one. */
function originOf(entry: string, ctx: z.RefinementCtx): string[] {
  try {
    const url = new URL(entry);
    if ((url.protocol === 'http:' || url.protocol === 'https:') && (url.pathname === '/' || url.pathname === '') && !url.search) return [url.origin];
  } catch {
    // Reported below.
  }
  ctx.addIssue({ code: 'custom', message: `"${entry}" is not an origin (scheme://host[:port])` });
  return [];
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const defaultWebDist = path.join(repoRoot, 'web/dist');
// The default data directory is the repository's `data/`, wherever npm runs the server from.
const defaultDataDir = path.join(repoRoot, 'data');

const EnvSchema = z.object({
  PORT: int(8000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: optionalText,
  REDIS_URL: optionalText,
  REDIS_PREFIX: z.string().default('ecc:'),
  DATA_DIR: z.string().default(defaultDataDir),
  WEB_DIST_DIR: z.string().default(defaultWebDist),
  // Each as the browser sends it in Origin (lower-case host, no default port): compared exactly.
  ALLOWED_ORIGINS: z
    .string()
    .default('')
    .transform((v, ctx) => v.split(',').map((s) => s.trim()).filter(Boolean).flatMap((entry) => originOf(entry, ctx))),
  SEED_DEMO: flag(true),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ROOM_CLOSE_GRACE_MS: int(24 * HOUR_MS),
  ROOM_SWEEP_INTERVAL_MS: int(60_000, 10),
  SESSION_TTL_MS: int(30 * 24 * HOUR_MS, 1000),
  TRUST_PROXY: flag(false),
  MAX_CONTENT_CHARS: int(DEFAULT_LIMITS.maxContentChars, 1),
  MAX_FRAME_BYTES: int(DEFAULT_LIMITS.maxFrameBytes, 1024),
  SEND_RATE_LIMIT: int(DEFAULT_LIMITS.sendsPerWindow, 1),
  SEND_RATE_WINDOW_MS: int(DEFAULT_LIMITS.sendWindowMs, 1),
  EDIT_RATE_LIMIT: int(DEFAULT_LIMITS.sendsPerWindow, 1),
  MAX_SOCKETS_PER_USER: int(DEFAULT_LIMITS.maxSocketsPerUser, 1),
  // High: an outside test suite opens many sockets as one demo user; a loop is still cut to ~10 a second.
  SOCKET_OPEN_LIMIT: int(600, 1),
  SOCKET_OPEN_WINDOW_MS: int(60_000, 1000),
  MAX_BUFFERED_BYTES: int(DEFAULT_LIMITS.maxBufferedBytes, 1024),
  MAX_ATTACHMENT_BYTES: int(DEFAULT_LIMITS.maxAttachmentBytes, 1),
  MAX_UNSENT_UPLOADS: int(50, 1),
  // Far above anyone's devices; bounds what one account signing in in a loop stores.
  MAX_SESSIONS_PER_USER: int(1000, 1),
  UPLOAD_QUOTA_BYTES: int(200 * 1024 * 1024, 1),
  UPLOAD_QUOTA_WINDOW_MS: int(24 * HOUR_MS, 1000),
  MAX_JSON_BODY_BYTES: int(64 * 1024, 1024),
  // A browser's headers come in one packet: 20 s is many round trips of a bad mobile link.
  HTTP_HEADERS_TIMEOUT_MS: int(20_000, 1000),
  // Node's 300 s cut a 10 MiB upload slower than ~280 kbit/s; 10 min lets one at ~140 kbit/s finish.
  HTTP_REQUEST_TIMEOUT_MS: int(600_000, 1000),
  // Browsers keep at most 6 per site: room for an office behind one address, and for a load test's connect storm.
  // As nginx's client_body_timeout and send_timeout; the client library gives up on an answer after 30 s anyway.
  HTTP_IDLE_TIMEOUT_MS: int(60_000, 1000),
  MAX_HTTP_CONNECTIONS_PER_ADDRESS: int(1024, 1),
  MAX_OPEN_JOBS_PER_CLIENT: int(100, 1),
  // High enough for a busy agency or repeated test runs on one database; a post-and-cancel loop is still bounded.
  JOB_POST_LIMIT: int(300, 1),
  JOB_POST_WINDOW_MS: int(HOUR_MS, 1000),
  // An agent reaching or joining a user now and then never meets it; a stolen staff session looping over user ids is cut to ~1/s.
  STAFF_ROOM_OPEN_LIMIT: int(30, 1),
  STAFF_ROOM_OPEN_WINDOW_MS: int(30_000, 1000),
  TYPING_EXPIRY_MS: int(DEFAULT_LIMITS.typingExpiryMs, 10),
  SERVER_PING_MS: int(KEEPALIVE.serverPingMs, 10),
  LOGIN_MAX_FAILURES: int(5, 1),
  LOGIN_MAX_FAILURES_PER_IP: int(50, 1),
  LOGIN_MAX_FAILURES_PER_USER: int(100, 1),
  LOGIN_MAX_ATTEMPTS_PER_IP: int(3000, 1),
  LOGIN_FAILURE_WINDOW_MS: int(15 * 60_000, 1000),
  SEND_BATCH_MAX: int(256, 1),
  SEND_BATCH_WINDOW_MS: int(1),
  SEND_BATCHES_IN_FLIGHT: int(1, 1),
  // Long and random: it alone guards GET /metrics (routes/metrics.ts); unset, the route is not there.
  METRICS_TOKEN: optionalText.refine((v) => v === undefined || v.length >= 16, 'must be at least 16 characters (a random secret)'),
});

/** The environment variables read here (the README's table lists them, with those of storage/index.ts and cluster.ts). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(EnvSchema.shape);

/** Typed, validated server configuration. */
export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  redisPrefix: string;
  dataDir: string;
  webDistDir: string;
  /** Extra origins (scheme://host[:port]) allowed for cookie-authenticated requests and sockets. */
  allowedOrigins: string[];
  seedDemo: boolean;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  roomCloseGraceMs: number;
  roomSweepIntervalMs: number;
  sessionTtlMs: number;
  /** Take the client address from X-Forwarded-For (only behind a trusted proxy). */
  trustProxy: boolean;
  /** Bearer token of GET /metrics; undefined: the route answers 404. */
  metricsToken: string | undefined;
  limits: {
    maxContentChars: number;
    maxFrameBytes: number;
    sendRateLimit: number;
    sendRateWindowMs: number;
    /** Edits and deletes per user per `sendRateWindowMs` on one node. */
    editRateLimit: number;
    maxSocketsPerUser: number;
    /** Sockets a user may open per `socketOpenWindowMs` on one node (each first and last is a presence to every peer). */
    socketOpenLimit: number;
    socketOpenWindowMs: number;
    maxBufferedBytes: number;
    maxAttachmentBytes: number;
    /** Uploads of a user no message carries yet that are kept; an upload past it removes the oldest. */
    maxUnsentUploads: number;
    /** Sessions a user keeps; a sign-in past it ends the oldest. */
    maxSessionsPerUser: number;
    /** Bytes of uploads a user may store per `uploadQuotaWindowMs`, sent or not (files removed since do not count). */
    uploadQuotaBytes: number;
    uploadQuotaWindowMs: number;
    maxJsonBodyBytes: number;
    /** A request's headers must be in this long after its connection opened or its previous request was answered and in (else 408, closed). */
    httpHeadersTimeoutMs: number;
    /** A whole request, body included, must be in this long after it began (else 408, closed); not its answer (see connectionGuard's stall check). */
    httpRequestTimeoutMs: number;
    /** A connection with a request open and nothing sent or received this long is closed (a stalled body or reader). */
    httpIdleTimeoutMs: number;
    /** HTTP connections open at once from one client address (an upgraded socket leaves the count); not applied behind a proxy. */
    maxHttpConnectionsPerAddress: number;
    /** Open jobs one client may have at once (cleaners see at most 500 jobs: one client must not bury the others'). */
    maxOpenJobsPerClient: number;
    /** Jobs one client may post per `jobPostWindowMs` (each reaches every cleaner: posting and cancelling must not loop). */
    jobPostLimit: number;
    jobPostWindowMs: number;
    /** Rooms one support staff member may open for a user (POST /api/support {userId}) or join, together, per `staffRoomOpenWindowMs` on one node. */
    staffRoomOpenLimit: number;
    staffRoomOpenWindowMs: number;
    typingExpiryMs: number;
    serverPingMs: number;
    /** Failures per username from one client address. */
    loginMaxFailures: number;
    /** Failures per client address over all usernames. */
    loginMaxFailuresPerIp: number;
    /** Failures per username over all addresses (not applied to addresses the user signed in from). */
    loginMaxFailuresPerUser: number;
    /** Sign-in attempts of any outcome per client address. */
    loginMaxAttemptsPerIp: number;
    loginFailureWindowMs: number;
    sendBatchMax: number;
    /** How long a batch's first send waits for more before the commit starts. */
    sendBatchWindowMs: number;
    /** Batches committing at once (on distinct rooms). */
    sendBatchesInFlight: number;
  };
}

/** Thrown for an invalid environment; the message names every bad variable. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the configuration from `env` (usually `process.env`). */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not be longer than HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    dataDir: path.resolve(e.DATA_DIR),
    webDistDir: path.resolve(e.WEB_DIST_DIR),
    allowedOrigins: e.ALLOWED_ORIGINS,
    seedDemo: e.SEED_DEMO,
    logLevel: e.LOG_LEVEL,
    roomCloseGraceMs: e.ROOM_CLOSE_GRACE_MS,
    roomSweepIntervalMs: e.ROOM_SWEEP_INTERVAL_MS,
    sessionTtlMs: e.SESSION_TTL_MS,
    trustProxy: e.TRUST_PROXY,
    metricsToken: e.METRICS_TOKEN,
    limits: {
      maxContentChars: e.MAX_CONTENT_CHARS,
      maxFrameBytes: e.MAX_FRAME_BYTES,
      sendRateLimit: e.SEND_RATE_LIMIT,
      sendRateWindowMs: e.SEND_RATE_WINDOW_MS,
      editRateLimit: e.EDIT_RATE_LIMIT,
      maxSocketsPerUser: e.MAX_SOCKETS_PER_USER,
      socketOpenLimit: e.SOCKET_OPEN_LIMIT,
      socketOpenWindowMs: e.SOCKET_OPEN_WINDOW_MS,
      maxBufferedBytes: e.MAX_BUFFERED_BYTES,
      maxAttachmentBytes: e.MAX_ATTACHMENT_BYTES,
      maxUnsentUploads: e.MAX_UNSENT_UPLOADS,
      maxSessionsPerUser: e.MAX_SESSIONS_PER_USER,
      uploadQuotaBytes: e.UPLOAD_QUOTA_BYTES,
      uploadQuotaWindowMs: e.UPLOAD_QUOTA_WINDOW_MS,
      maxJsonBodyBytes: e.MAX_JSON_BODY_BYTES,
      httpHeadersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      httpRequestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      httpIdleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      maxHttpConnectionsPerAddress: e.MAX_HTTP_CONNECTIONS_PER_ADDRESS,
      maxOpenJobsPerClient: e.MAX_OPEN_JOBS_PER_CLIENT,
      jobPostLimit: e.JOB_POST_LIMIT,
      jobPostWindowMs: e.JOB_POST_WINDOW_MS,
      staffRoomOpenLimit: e.STAFF_ROOM_OPEN_LIMIT,
      staffRoomOpenWindowMs: e.STAFF_ROOM_OPEN_WINDOW_MS,
      typingExpiryMs: e.TYPING_EXPIRY_MS,
      serverPingMs: e.SERVER_PING_MS,
      loginMaxFailures: e.LOGIN_MAX_FAILURES,
      loginMaxFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      loginMaxFailuresPerUser: e.LOGIN_MAX_FAILURES_PER_USER,
      loginMaxAttemptsPerIp: e.LOGIN_MAX_ATTEMPTS_PER_IP,
      loginFailureWindowMs: e.LOGIN_FAILURE_WINDOW_MS,
      sendBatchMax: e.SEND_BATCH_MAX,
      sendBatchWindowMs: e.SEND_BATCH_WINDOW_MS,
      sendBatchesInFlight: e.SEND_BATCHES_IN_FLIGHT,
    },
  };
}
