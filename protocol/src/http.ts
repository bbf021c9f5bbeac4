/**
 * HTTP request bodies and responses (protocol §1, §8), validated at the
 * server boundary and used by the typed client library.
 */
import { z } from 'zod';
import { absentIfNull } from './absent.ts';
import { atMostChars } from './chars.ts';
import { Attachment, Id, INT32_MAX, Job, JobStatus, Room, StoredText, User } from './shapes.ts';

/** Any two strings (the server checks this): an empty or unknown name is a wrong credential (401), not a malformed request. */
export const LoginRequest = z.object({
  username: z.string().max(256),
  password: z.string().max(1024),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({ user: User, token: z.string() });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z.object({ user: User });

/** Longest of a job's text fields, in characters (code points, as a message's content: chars.ts); the title trimmed. */
export const JOB_FIELD_MAX_CHARS = { title: 120, description: 2000, address: 300, scheduledAt: 40 } as const;

/** The optional fields may be null (a `Job` comes back with `address`/`scheduledAt` null): left out. */
export const CreateJobRequest = z.object({
  title: StoredText.trim().min(1).refine(...atMostChars(JOB_FIELD_MAX_CHARS.title)),
  description: absentIfNull(StoredText.refine(...atMostChars(JOB_FIELD_MAX_CHARS.description))),
  address: absentIfNull(StoredText.refine(...atMostChars(JOB_FIELD_MAX_CHARS.address))),
  scheduledAt: absentIfNull(StoredText.refine(...atMostChars(JOB_FIELD_MAX_CHARS.scheduledAt))),
});
export type CreateJobRequest = z.infer<typeof CreateJobRequest>;

export const JobStatusRequest = z.object({ status: JobStatus });
export type JobStatusRequest = z.infer<typeof JobStatusRequest>;

/** Longest `q` of support staff's job search (an addition), in characters (code points), before trimming. */
export const JOB_SEARCH_MAX_LENGTH = 100;

/**
 * `GET /api/jobs`'s query string (an addition): `q`, support staff's search of every job, once at most.
 * Other parameters are ignored, as they always were.
 */
export const JobListQuery = z.object({ q: StoredText.refine(...atMostChars(JOB_SEARCH_MAX_LENGTH)).optional() });
export type JobListQuery = z.infer<typeof JobListQuery>;

/**
 * `POST /api/support`'s body from support staff (an addition): open (or get) the support room of the user
 * `userId`, to contact them first. A body without `userId` (or none) is the caller's own room, as before.
 */
// Capped as every id a request names: past it PostgreSQL's integer column fails the query (a 500, not a 400).
export const OpenSupportRequest = z.object({ userId: Id.max(INT32_MAX) });
export type OpenSupportRequest = z.infer<typeof OpenSupportRequest>;

export const JobResponse = z.object({ job: Job });
export const JobsResponse = z.object({ jobs: z.array(Job) });
export const RoomResponse = z.object({ room: Room });
export const AttachmentResponse = Attachment;

/**
 * `POST /api/rooms/{id}/join`'s answer (an addition: support staff join a room, no body): the room as
 * the joiner sees it, them among its participants.
 */
export const JoinRoomResponse = RoomResponse;

/**
 * An HTTP error's body (§1), with `roomId` (an addition) where the error names a room the caller may
 * act on: the 409 of `POST /api/support {userId}` for a room another agent handles, to join it.
 */
export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), roomId: Id.max(INT32_MAX).optional().catch(undefined) }),
});
export type ErrorResponse = z.infer<typeof ErrorResponse>;

/** The session cookie's name. */
export const SESSION_COOKIE = 'ecc_session';
