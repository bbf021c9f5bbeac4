/** An in-memory ChatTransport and ChatEnvironment the controller and component tests drive by hand. */
import { ChatError, type Attachment, type Message } from '@ecc/protocol';
import { sendRefused } from '@ecc/client';
import { ChatController } from '../chat/controller.ts';
import type { UploadOptions } from '@ecc/client';
import type { AttachmentUploader, ChatEnvironment, ChatTransport, TransportEvents } from '../chat/transport.ts';
import type { OtherTabs } from '../chat/otherTabs.ts';

type Listener = (ev: never) => void;

export interface SentCall {
  input: { roomId: number; content: string; replyToId?: number; clientId?: string; attachmentId?: number };
  resolve: (m: Message) => void;
  reject: (err: Error) => void;
}

export class FakeTransport implements ChatTransport {
  readonly listeners = new Map<keyof TransportEvents, Set<Listener>>();
  readonly sent: SentCall[] = [];
  readonly edits: { messageId: number; content: string }[] = [];
  readonly reads: { roomId: number; seq: number }[] = [];
  readonly typings: { roomId: number; isTyping: boolean }[] = [];
  readonly historyCalls: { roomId: number; beforeSeq?: number; limit?: number }[] = [];
  historyAnswer: (q: { roomId: number; beforeSeq?: number; limit?: number }) => { messages: Message[]; hasMore: boolean } = () => ({ messages: [], hasMore: false });
  connected = false;

  connect(): void {
    this.connected = true;
  }
  close(): void {
    this.connected = false;
  }
  on<T extends keyof TransportEvents>(type: T, fn: (ev: TransportEvents[T]) => void): () => void {
    const set = this.listeners.get(type) ?? new Set<Listener>();
    set.add(fn as Listener);
    this.listeners.set(type, set);
    return () => set.delete(fn as Listener);
  }
  emit<T extends keyof TransportEvents>(type: T, ev: TransportEvents[T]): void {
    if (type === 'state' && (ev as TransportEvents['state']).state !== 'open') this.online = false;
    for (const fn of this.listeners.get(type) ?? []) (fn as (ev: TransportEvents[T]) => void)(ev);
    if (type !== 'ready') return;
    // As the library does after `ready`: what was queued goes on the socket.
    this.online = true;
    for (const { input } of this.sent) if (input.clientId && !this.withdrawn.includes(input.clientId)) this.written(input.roomId, input.clientId);
  }
  /** Between a `ready` and a lost connection: a send goes on the socket at once. */
  private online = false;
  /**
   * Settled by hand; a rejection is said as the library says it (`send_failed`): a ChatError stands for
   * the server's answer, a refusal by the library's own rule (`sendRefused`), but UNAVAILABLE, which our
   * server never answers a send with (the library's own: no answer in time, closed, withdrawn); any other
   * error, for no answer.
   */
  send(input: SentCall['input']): Promise<Message> {
    const sent = new Promise<Message>((resolve, reject) => {
      const fail = (err: Error) => {
        const error = err instanceof ChatError ? err : new ChatError('UNAVAILABLE', err.message);
        const answered = err instanceof ChatError && error.code !== 'UNAVAILABLE';
        const refused = answered && sendRefused(error.code);
        if (input.clientId) this.emit('send_failed', { clientId: input.clientId, roomId: input.roomId, error, refused, answered });
        reject(err);
      };
      this.sent.push({ input, resolve, reject: fail });
    });
    if (this.online && input.clientId) this.written(input.roomId, input.clientId);
    return sent;
  }
  /** The sends the library put on a socket (see `written`): those cannot be withdrawn. */
  private readonly writtenCalls = new Set<SentCall>();
  readonly withdrawn: string[] = [];
  /** The library put the latest send of `clientId` on a socket (once), and says so as the real one does. */
  written(roomId: number, clientId: string): void {
    const call = this.sent.findLast((c) => c.input.clientId === clientId);
    if (!call || this.writtenCalls.has(call)) return;
    this.writtenCalls.add(call);
    this.emit('send_written', { roomId, clientId });
  }
  /** As the library: one written is taken back only `evenIfWritten`, and while offline (not on a socket now). */
  withdraw(clientId: string, options: { evenIfWritten?: boolean } = {}): boolean {
    const call = this.sent.findLast((c) => c.input.clientId === clientId);
    if (!call || this.withdrawn.includes(clientId)) return false;
    if (this.writtenCalls.has(call) && (!options.evenIfWritten || this.online)) return false;
    this.withdrawn.push(clientId);
    call.reject(new ChatError('UNAVAILABLE', 'Withdrawn before it was sent'));
    return true;
  }
  history(q: { roomId: number; beforeSeq?: number; limit?: number }): Promise<{ messages: Message[]; hasMore: boolean }> {
    this.historyCalls.push(q);
    return Promise.resolve(this.historyAnswer(q));
  }
  read(roomId: number, seq: number): void {
    this.reads.push({ roomId, seq });
  }
  typing(roomId: number, isTyping: boolean): void {
    this.typings.push({ roomId, isTyping });
  }
  /** Set to make the next edits be refused. */
  editError: Error | null = null;
  /** Set to hold the next edits unanswered (offline: the library queues them), each settled by hand from `heldEdits`. */
  holdEdits = false;
  readonly heldEdits: { resolve: () => void; reject: (err: Error) => void }[] = [];
  edit(messageId: number, content: string): Promise<void> {
    this.edits.push({ messageId, content });
    if (this.holdEdits) return new Promise((resolve, reject) => this.heldEdits.push({ resolve, reject }));
    return this.editError ? Promise.reject(this.editError) : Promise.resolve();
  }
  /** Set to hold the next deletions unanswered (offline: the library queues them), each settled by hand from `heldDeletes`. */
  holdDeletes = false;
  readonly heldDeletes: { messageId: number; resolve: () => void; reject: (err: Error) => void }[] = [];
  /** Every deletion asked of the library, held or not. */
  readonly deletes: number[] = [];
  delete(messageId: number): Promise<void> {
    this.deletes.push(messageId);
    if (this.holdDeletes) return new Promise((resolve, reject) => this.heldDeletes.push({ messageId, resolve, reject }));
    return Promise.resolve();
  }
}

export interface UploadCall {
  roomId: number;
  file: Blob;
  name: string;
  resolve: (a: Attachment) => void;
  reject: (err: Error) => void;
  /** What the browser reports as the body goes up: `sent` of `total` bytes. */
  progress: (sent: number, total: number) => void;
  /** Aborted when the app cancels the upload. */
  signal: AbortSignal | undefined;
}

/** Records uploads; each is settled (and its progress reported) by hand. */
export class FakeUploader implements AttachmentUploader {
  readonly uploads: UploadCall[] = [];
  uploadAttachment(roomId: number, file: Blob, name: string, options?: UploadOptions): Promise<Attachment> {
    const progress = (sent: number, total: number) => options?.onProgress?.(sent, total);
    return new Promise((resolve, reject) => this.uploads.push({ roomId, file, name, resolve, reject, progress, signal: options?.signal }));
  }
  readonly discarded: number[] = [];
  discardAttachment(id: number): Promise<void> {
    this.discarded.push(id);
    return Promise.resolve();
  }
}

export class FakeEnvironment implements ChatEnvironment {
  visible = true;
  title = '';
  readonly notifications: { title: string; body: string; onClick: () => void }[] = [];
  private readonly visibilityListeners = new Set<() => void>();

  isVisible(): boolean {
    return this.visible;
  }
  onVisibilityChange(fn: () => void): () => void {
    this.visibilityListeners.add(fn);
    return () => this.visibilityListeners.delete(fn);
  }
  setVisible(visible: boolean): void {
    this.visible = visible;
    for (const fn of this.visibilityListeners) fn();
  }
  notify(title: string, body: string, onClick: () => void): void {
    this.notifications.push({ title, body, onClick });
  }
  setTitle(title: string): void {
    this.title = title;
  }
  /** The question the page would ask on leaving: is leaving risky now? */
  leaveCheck: (() => boolean) | null = null;
  onLeave(isRisky: () => boolean): () => void {
    this.leaveCheck = isRisky;
    return () => {
      this.leaveCheck = null;
    };
  }
}

/** A connected controller over fakes, its clientIds numbered `cid-1`, `cid-2`, … so tests can name them. */
export function fakeChat(tabs: OtherTabs | null = null) {
  const transport = new FakeTransport();
  const env = new FakeEnvironment();
  const uploader = new FakeUploader();
  let n = 0;
  const chat = new ChatController(transport, env, () => `cid-${++n}`, uploader, null, tabs);
  chat.connect();
  return { transport, env, uploader, chat };
}
