/**
 * What the chat controller needs of a connection: the subset of
 * `ChatClient` from @ecc/client it uses. Naming it here keeps the controller
 * testable with a fake and documents the dependency.
 */
import type { Attachment, ChatError, Job, Message, Room, User } from '@ecc/protocol';
import type { UploadOptions } from '@ecc/client';
import type { ConnectionState } from './store.ts';

export interface TransportEvents {
  state: { state: ConnectionState; attempt: number; closeCode?: number };
  /** `serverTime`: the server's clock when it sent `ready` (always there from the real client). */
  ready: { user: User; rooms: Room[]; totalUnread: number; serverTime?: string };
  message: { message: Message };
  message_updated: { message: Message };
  unread: { roomId: number; unread: number; totalUnread: number };
  receipt: { roomId: number; userId: number; lastReadSeq: number };
  typing: { roomId: number; userId: number; username: string; isTyping: boolean };
  presence: { userId: number; online: boolean; lastSeen: string | null };
  room: { room: Room };
  /** Cleaners: a job was posted, or left the open-jobs board (an addition to the contract). */
  open_job: { job: Job };
  /** Support staff: a job was posted, accepted or changed status (an addition; jobChanges.ts). */
  job_changed: { job: Job };
  error: { code: string; message: string };
  /**
   * `refused`: the server answered the send with the error (nothing stored under its clientId).
   * `answered`: the server answered it with the error, refused or not (INTERNAL after the library's retries).
   */
  send_failed: { clientId: string; roomId: number; error: ChatError; refused: boolean; answered: boolean };
  /** A send went on a socket for the first time: it may be stored from now on. */
  send_written: { clientId: string; roomId: number };
}

export interface ChatTransport {
  connect(): void;
  close(): void;
  on<T extends keyof TransportEvents>(type: T, fn: (ev: TransportEvents[T]) => void): () => void;
  send(input: { roomId: number; content: string; replyToId?: number; clientId?: string; attachmentId?: number }): Promise<Message>;
  /**
   * Takes back a send never put on a socket (queued offline): true when it will not go out. With
   * `evenIfWritten`, also one written on a socket that dropped, waiting for the next (it may be stored).
   */
  withdraw(clientId: string, options?: { evenIfWritten?: boolean }): boolean;
  history(q: { roomId: number; beforeSeq?: number; limit?: number }): Promise<{ messages: Message[]; hasMore: boolean }>;
  read(roomId: number, seq: number): void;
  typing(roomId: number, isTyping: boolean): void;
  edit(messageId: number, content: string): Promise<void>;
  delete(messageId: number): Promise<void>;
}

/** Uploads a file to a room before it is sent by id, or takes it back: `ApiClient` from @ecc/client. */
export interface AttachmentUploader {
  /** `options.onProgress` is told as the file goes up; aborting `options.signal` stops it. */
  uploadAttachment(roomId: number, file: Blob, name: string, options?: UploadOptions): Promise<Attachment>;
  discardAttachment(id: number): Promise<void>;
}

/** The browser around the chat: visibility, notifications, title. Injected so tests can control it. */
export interface ChatEnvironment {
  isVisible(): boolean;
  onVisibilityChange(fn: () => void): () => void;
  /** Shows a system notification when the user allowed them; clicking it should open the room. */
  notify(title: string, body: string, onClick: () => void): void;
  setTitle(title: string): void;
  /** While `isRisky()` says so, leaving or closing the page asks first (a message is still being sent). */
  onLeave(isRisky: () => boolean): () => void;
}
