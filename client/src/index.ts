/**
 * `@ecc/client`: the typed client library of E-Cleaner Chat, framework-free,
 * for the browser and Node (Node also imports `@ecc/client/node` for `ws`).
 */
export { ApiClient, type ApiClientOptions, type UploadOptions } from './http.ts';
export {
  ChatClient,
  type ChatClientEvents,
  type ChatClientOptions,
  type ConnectionState,
  type ErrorEvent,
  type HistoryQuery,
  type OpenJobEvent,
  type JobChangedEvent,
  type PresenceEvent,
  type ReadyEvent,
  type ReceiptEvent,
  type RoomEvent,
  type SendInput,
  type TypingEvent,
  type UnreadEvent,
  type WithdrawOptions,
} from './chatClient.ts';
export { newClientId } from './clientId.ts';
export { newerCopy } from './newerCopy.ts';
export { HttpChatError, PERMANENT_SEND_ERRORS, isTransient, sendRefused } from './errors.ts';
export { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.ts';
export { RoomSequencer, type SyncRequest } from './roomSequencer.ts';
export type { HistoryPage } from './requests.ts';
export type { KeepAliveOptions } from './keepAlive.ts';
export { socketUrl, type WebSocketCtor, type WebSocketLike, type NodeSocketOptions } from './socket.ts';
export { ChatError } from '@ecc/protocol';
/** The data shapes a program meets in answers and events, so it needs no import of `@ecc/protocol`. */
export type {
  Attachment,
  CreateJobRequest,
  ErrorCode,
  Job,
  JobStatus,
  LoginResponse,
  Message,
  Participant,
  Role,
  Room,
  RoomType,
  User,
} from '@ecc/protocol';
