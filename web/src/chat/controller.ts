/**
 * The chat's behaviour outside React: wires the one connection's events into
 * the store, and offers the actions the UI calls (send with optimistic
 * pending state and clientId retry, history paging, read marks, typing,
 * panel state). One instance per signed-in tab.
 */
import { replyExcerpt, type Attachment, type Message, type Room } from '@ecc/protocol';
import { newClientId as timeOrderedClientId } from '@ecc/client';
import { ChatStore, roomMessagesOf, type ChatState } from './store.ts';
import { OpenJobsStore } from './openJobs.ts';
import { replacesJobChange } from './jobChanges.ts';
import { documentTitle } from './selectors.ts';
import { notifyUnlessReadElsewhere } from './newMessageNotification.ts';
import type { AttachmentUploader, ChatEnvironment, ChatTransport } from './transport.ts';
import type { SavedChat } from './savedChat.ts';
import { loadUpToFirstNew, readOpening } from './openAtFirstNew.ts';
import { describeError } from './describeError.ts';
import { deleteMessage } from './messageDeletions.ts';
import { discardUnsent, dropDiscardedElsewhere, dropDiscardedUnheard } from './unsentMessages.ts';
import type { OtherTabs } from './otherTabs.ts';
import { MessageEdits } from './messageEdits.ts';
import { DraftUploads } from './draftUploads.ts';
import { ReconnectRefresh } from './reconnectRefresh.ts';
import { OwnNoticeReads } from './ownJobNotice.ts';
import { isMyDoing } from './ownGreeting.ts';
import type { UnreadMarker } from './unreadMarker.ts';
import { noteServerTime, serverNow } from '../clock.ts';

/** Messages per history page: the first page and each older page. */
export const HISTORY_PAGE = 50;

/** How often a continuing "typing" is re-announced (the server expires it after 6 s). */
const TYPING_REFRESH_MS = 3000;

export class ChatController {
  readonly store = new ChatStore();
  /** The open-jobs board as the socket tells it (cleaners), or every job's changes (support staff: jobChanges.ts). */
  readonly openJobs = new OpenJobsStore();
  /** Editing my messages: the edit in progress is kept in the room's draft. */
  readonly edits: MessageEdits;
  /** The file picked for each room's next message (uploaded at once, again after a passing failure). */
  readonly uploads: DraftUploads;
  private readonly unsubscribers: (() => void)[] = [];
  private readonly typingSentAt = new Map<number, number>();
  private started = false;
  /** False while the user scrolls back through the open room's older messages: what arrives then is not seen yet. */
  private atLatest = true;
  /** The "New messages" line older pages are being loaded up to (openAtFirstNew), or null. */
  private reaching: UnreadMarker | null = null;
  /** The marker whose room's greeting was asked for (readOpening), once. */
  private openingAsked: UnreadMarker | null = null;
  /** Reads the loaded messages again after a reconnect (edits and deletions made meanwhile). */
  private readonly refresh: ReconnectRefresh;
  /** Reads the notices of my own job moves, which the server counts unread for me too. */
  private readonly ownNotices: OwnNoticeReads;

  constructor(
    private readonly transport: ChatTransport,
    private readonly env: ChatEnvironment,
    private readonly newClientId: () => string = timeOrderedClientId,
    uploader: AttachmentUploader | null = null,
    /** Where unsent messages and drafts outlive a reload; null keeps them for the page's life only. */
    private readonly saved: SavedChat | null = null,
    /** The other tabs holding copies of the saved ones (a duplicated tab): a discard is theirs too. */
    private readonly otherTabs: OtherTabs | null = null,
  ) {
    this.edits = new MessageEdits(this.store, transport);
    this.uploads = new DraftUploads(this.store, uploader);
    this.refresh = new ReconnectRefresh(this.store, transport, HISTORY_PAGE);
    this.ownNotices = new OwnNoticeReads(this.store, transport);
  }

  /** Whether the tab is in front; the UI holds back what a hidden tab's reader cannot hear (useArrivalAnnouncer). */
  readonly pageVisible = (): boolean => this.env.isVisible();
  readonly onPageVisibility = (fn: () => void): (() => void) => this.env.onVisibilityChange(fn);

  get state(): ChatState {
    return this.store.getState();
  }

  /** Subscribes to the connection and opens it; idempotent. */
  connect(): void {
    if (this.started) return;
    this.started = true;
    const t = this.transport;
    const d = this.store.dispatch;
    this.unsubscribers.push(
      t.on('state', (ev) => d({ type: 'connection', state: ev.state, closeCode: ev.closeCode })),
      t.on('ready', (ev) => {
        // Before the library sends what it queued for this connection (it does so after `ready`).
        if (this.otherTabs) dropDiscardedUnheard(this.store, this.transport, this.otherTabs);
        if (ev.serverTime) noteServerTime(ev.serverTime);
        d({ type: 'ready', user: ev.user, rooms: ev.rooms, totalUnread: ev.totalUnread });
        this.ownNotices.ready();
        this.markActiveRoomRead();
        void this.refresh.afterReady();
        this.uploads.retryFailed();
      }),
      t.on('message', (ev) => this.onMessage(ev.message)),
      t.on('message_updated', (ev) => d({ type: 'message_updated', message: ev.message })),
      t.on('unread', (ev) => {
        d({ type: 'unread', roomId: ev.roomId, unread: ev.unread, totalUnread: ev.totalUnread });
        this.ownNotices.counted(ev.roomId);
      }),
      t.on('receipt', (ev) => d({ type: 'receipt', roomId: ev.roomId, userId: ev.userId, lastReadSeq: ev.lastReadSeq })),
      t.on('typing', (ev) => d({ type: 'typing', ...ev })),
      t.on('presence', (ev) => d({ type: 'presence', userId: ev.userId, online: ev.online, lastSeen: ev.lastSeen })),
      t.on('room', (ev) => {
        d({ type: 'room', room: ev.room });
        this.ownNotices.counted(ev.room.id);
      }),
      t.on('open_job', (ev) => this.openJobs.apply(ev.job)),
      t.on('job_changed', (ev) => this.openJobs.apply(ev.job, replacesJobChange)),
      t.on('send_failed', (ev) => d({ type: 'send_failed', roomId: ev.roomId, clientId: ev.clientId, error: describeError(ev.error), refused: ev.refused, answered: ev.answered })),
      t.on('send_written', (ev) => d({ type: 'send_written', roomId: ev.roomId, clientId: ev.clientId })),
      t.on('error', (ev) => d({ type: 'notice', text: ev.message })),
      this.store.subscribe(() => this.env.setTitle(documentTitle(this.state.totalUnread))),
      this.env.onVisibilityChange(() => this.markActiveRoomRead()),
      this.env.onLeave(() => this.isSending()),
    );
    this.env.setTitle(documentTitle(this.state.totalUnread));
    // Listening before the record of discards is read: a discard made in another tab (another process)
    // between the two is then heard, a task later; made before, it is in the record.
    if (this.otherTabs) this.unsubscribers.push(this.otherTabs.onDiscarded((roomId, clientId) => dropDiscardedElsewhere(this.store, t, roomId, clientId)));
    this.restoreSaved();
    const saved = this.saved;
    if (saved) this.unsubscribers.push(this.store.subscribe(() => saved.save(this.state)));
    t.connect();
  }

  /**
   * Puts back what this tab had not sent when it was reloaded: drafts (an edit
   * in progress too, shown once its message's row is), and messages, saved
   * edits and deletions, which go out again (queued until the connection is ready; a message
   * with its clientId). Failed messages stay failed until the user retries. A message discarded in
   * another tab meanwhile (this tab a copy of it that was not listening: otherTabs.ts) is dropped.
   */
  private restoreSaved(): void {
    const saved = this.saved;
    if (!saved) return;
    const { pending, drafts, deleting } = saved.load();
    const discarded = pending.filter((p) => this.otherTabs?.wasDiscarded(p.roomId, p.clientId));
    for (const p of pending) {
      if (discarded.includes(p)) continue;
      this.store.dispatch({ type: 'send_started', pending: p });
      if (p.status === 'pending') this.deliver(p.roomId, p.clientId, p.content, p.replyTo?.id, p.attachment?.id);
    }
    for (const draft of drafts) {
      this.store.dispatch({ type: 'draft_text', roomId: draft.roomId, text: draft.text });
      if (draft.edit) this.store.dispatch({ type: 'edit_started', roomId: draft.roomId, ...draft.edit });
      for (const edit of draft.saving) void this.edits.resend(draft.roomId, edit);
      if (draft.attachment) this.uploads.restore(draft.roomId, draft.attachment);
    }
    // Each row says "Not deleted yet" (or "Deleting…") again until the server answers.
    for (const messageId of deleting) void this.deleteMessage(messageId);
    // Off the saved outbox now, not only once something else changes.
    if (discarded.length > 0) saved.save(this.state);
  }

  /** A message or an edit is on its way (not failed): leaving the page or signing out now could lose it. */
  isSending(): boolean {
    const s = this.state;
    return (
      Object.values(s.roomMessages).some((rm) => rm.pending.some((p) => p.status === 'pending')) ||
      Object.values(s.drafts).some((d) => d.saving.length > 0) ||
      s.deleting.length > 0
    );
  }

  /** Closes the connection and forgets everything, also what was kept for a reload (sign out). */
  disconnect(): void {
    for (const off of this.unsubscribers.splice(0)) off();
    this.saved?.clear();
    this.transport.close();
    this.started = false;
    this.refresh.stop();
    this.store.dispatch({ type: 'reset' });
    this.openJobs.reset();
    this.env.setTitle(documentTitle(0));
  }

  /**
   * Shows the message at once as pending and sends it. The client library
   * queues it while offline and re-sends it with the same clientId after a
   * reconnect; a refusal marks it failed with a retry action.
   */
  sendMessage(roomId: number, content: string, replyTo?: Message, attachment?: Attachment): void {
    const text = content.trim();
    // With a file the text is optional (contract: content may be blank when attachmentId is given).
    if (!text && !attachment) return;
    const clientId = this.newClientId();
    this.otherTabs?.madeHere(clientId);
    const replyRef = replyTo
      ? { id: replyTo.id, seq: replyTo.seq, sender: replyTo.sender, excerpt: replyExcerpt(replyTo) }
      : null;
    this.store.dispatch({
      type: 'send_started',
      pending: { clientId, roomId, content: text, replyTo: replyRef, attachment: attachment ?? null, createdAt: new Date(serverNow()).toISOString(), status: 'pending', error: null, mayBeStored: false, failures: 0, answered: false },
    });
    this.setTyping(roomId, false);
    this.store.dispatch({ type: 'draft_cleared', roomId });
    this.deliver(roomId, clientId, text, replyTo?.id, attachment?.id);
  }

  /** Keeps what is typed in a room's box, so leaving the room does not throw it away. */
  setDraft(roomId: number, text: string): void {
    this.store.dispatch({ type: 'draft_text', roomId, text });
  }

  /**
   * Sends a failed message again with its original clientId, so it can never be stored twice.
   * Not in a closed room, where it could only fail again (a room not known yet is left to the server),
   * unless it may be stored: the server answers a stored clientId with its ack even there, and any
   * other with ROOM_CLOSED, a refusal that lets it be discarded. Either way it is settled, not stuck.
   */
  retry(roomId: number, clientId: string): void {
    const pending = roomMessagesOf(this.state, roomId).pending.find((p) => p.clientId === clientId);
    if (!pending || pending.status !== 'failed') return;
    if (this.state.rooms[roomId]?.isActive === false && !pending.mayBeStored) return;
    this.store.dispatch({ type: 'send_retried', roomId, clientId });
    this.deliver(roomId, clientId, pending.content, pending.replyTo?.id, pending.attachment?.id);
  }

  /**
   * Drops a message the user chose not to send, one the server cannot hold (unsentMessages.ts), here
   * and in the tabs holding a copy; one that went on the socket meanwhile is said to be on its way.
   * Its file is deleted unless another tab may hold a copy, which may go with it (or went): the server's
   * cap on unsent uploads removes it if nothing sends it.
   */
  discard(roomId: number, clientId: string): void {
    const release = (file: Attachment) => {
      if (!this.copyMayBeElsewhere(clientId)) this.uploads.release(file);
    };
    if (discardUnsent(this.store, this.transport, release, roomId, clientId)) {
      this.otherTabs?.discarded(roomId, clientId);
      return;
    }
    if (roomMessagesOf(this.state, roomId).pending.some((p) => p.clientId === clientId)) {
      this.store.dispatch({ type: 'notice', text: 'That message is on its way already: it can no longer be discarded.' });
    }
  }

  /** Another tab of this user may hold a copy of my unsent message `clientId`, and may have sent it (otherTabs.ts). */
  copyMayBeElsewhere(clientId: string): boolean {
    return this.otherTabs?.mayHoldCopy(clientId) ?? false;
  }

  private deliver(roomId: number, clientId: string, content: string, replyToId: number | undefined, attachmentId: number | undefined): void {
    const input: Parameters<ChatTransport['send']>[0] = { roomId, content, clientId };
    if (replyToId !== undefined) input.replyToId = replyToId;
    if (attachmentId !== undefined) input.attachmentId = attachmentId;
    this.transport.send(input).then(
      (message) => this.store.dispatch({ type: 'message', message }),
      (err: unknown) => this.store.dispatch({ type: 'send_failed', roomId, clientId, error: describeError(err) }),
    );
  }

  /** Loads the latest page (`initial`) or the page before the oldest loaded one (`older`, of `limit` messages). */
  async loadMessages(roomId: number, direction: 'initial' | 'older', limit = HISTORY_PAGE): Promise<void> {
    const rm = roomMessagesOf(this.state, roomId);
    if (direction === 'initial' ? !rm.fetch.needsInitial() : !rm.fetch.canLoadOlder()) return;
    const oldest = rm.messages[0];
    if (direction === 'older' && !oldest) return;
    this.store.dispatch({ type: 'history_started', roomId, direction });
    try {
      const page = await this.transport.history(
        direction === 'older' && oldest ? { roomId, beforeSeq: oldest.seq, limit } : { roomId, limit: HISTORY_PAGE },
      );
      this.store.dispatch({ type: 'history_loaded', roomId, direction, messages: page.messages, hasMore: page.hasMore });
      if (direction === 'initial') {
        this.markActiveRoomRead();
        void this.openAtFirstNew();
      }
    } catch (err) {
      this.store.dispatch({ type: 'history_failed', roomId });
      this.store.dispatch({ type: 'notice', text: `Could not load messages: ${describeError(err)}` });
    }
  }

  /**
   * The open room's list shows the rows from..to (seqs): those loaded before the last reconnect
   * and not read again since are read again (reconnectRefresh.ts).
   */
  showing(roomId: number, from: number, to: number): void {
    this.refresh.showing(roomId, from, to);
  }

  /** Marks everything in the room as read (on every tab: the server answers with `unread`). */
  markAsRead(roomId: number): void {
    const room = this.state.rooms[roomId];
    const me = this.state.me;
    if (!room || !me) return;
    const myMark = room.participants.find((p) => p.id === me.id)?.lastReadSeq ?? 0;
    const seq = Math.max(room.lastSeq, room.lastMessage?.seq ?? 0);
    if (seq === 0 || (room.unread === 0 && myMark >= seq)) return;
    this.store.dispatch({ type: 'read_locally', roomId, seq });
    this.transport.read(roomId, seq);
  }

  /** Opens or closes the floating panel (toggles when `open` is not given). */
  togglePanel(open?: boolean): void {
    this.store.dispatch({ type: 'panel', open: open ?? !this.state.panelOpen });
    this.atLatest = this.opensAtLatest();
    this.markActiveRoomRead();
    void this.openAtFirstNew();
  }

  /** Narrows the chat list to the rooms matching `query` (roomSearch.ts). */
  searchRooms(query: string): void {
    this.store.dispatch({ type: 'list_query', query });
  }

  /** Shows a room in the panel (null: back to the list); loads its first page (and older ones up to its "New messages" line) and marks it read (see opensAtLatest). */
  openRoom(roomId: number | null): void {
    this.store.dispatch({ type: 'open_room', roomId });
    if (roomId === null) return;
    this.store.dispatch({ type: 'panel', open: true });
    this.atLatest = this.opensAtLatest();
    void this.loadMessages(roomId, 'initial');
    this.markActiveRoomRead();
    void this.openAtFirstNew();
  }

  /** The shown room opens at its "New messages" line: older pages are loaded up to it first, once (openAtFirstNew.ts). */
  private async openAtFirstNew(): Promise<void> {
    const marker = this.state.unreadMarker;
    if (marker?.far && marker.openingByWords !== undefined && this.openingAsked !== marker) {
      this.openingAsked = marker;
      readOpening(this.store, this.transport, marker);
    }
    // Without the first page there is nothing to page back from: its arrival calls again.
    if (!marker || marker.far || this.reaching === marker || !roomMessagesOf(this.state, marker.roomId).fetch.initialLoaded) return;
    this.reaching = marker;
    await loadUpToFirstNew(this, marker);
    if (this.reaching === marker) this.reaching = null;
  }

  /**
   * A shown room's list starts at its newest message, unless it has new ones: then it may open at
   * its "New messages" line, and those below the view are not read until the list says it reached
   * the end (setAtLatest); marking them read now would show the sender "Seen" for unseen messages.
   */
  private opensAtLatest(): boolean {
    return this.state.unreadMarker === null;
  }

  /**
   * The open room's message list says whether its newest message is in view.
   * Scrolled up, new messages stay unread (the sender sees no "Seen"); back at
   * the bottom, they are read.
   */
  setAtLatest(atLatest: boolean): void {
    this.atLatest = atLatest;
    if (atLatest) this.markActiveRoomRead();
  }

  /** Announces typing; repeated `true` calls are throttled, `false` is sent once. */
  setTyping(roomId: number, isTyping: boolean): void {
    const sentAt = this.typingSentAt.get(roomId);
    // A duration: the monotonic clock, which a device clock set back (or forward) does not move.
    const now = performance.now();
    if (isTyping) {
      if (sentAt !== undefined && now - sentAt < TYPING_REFRESH_MS) return;
      this.typingSentAt.set(roomId, now);
      this.transport.typing(roomId, true);
    } else if (sentAt !== undefined) {
      this.typingSentAt.delete(roomId);
      this.transport.typing(roomId, false);
    }
  }

  deleteMessage(messageId: number): Promise<void> {
    return deleteMessage(this.store, this.transport, messageId);
  }

  /** Adds or refreshes a room the app learned about over HTTP (the `room` event may come later). */
  addRoom(room: Room): void {
    this.store.dispatch({ type: 'room', room });
    this.ownNotices.counted(room.id);
  }

  showNotice(text: string): void {
    this.store.dispatch({ type: 'notice', text });
  }

  dismissNotice(): void {
    this.store.dispatch({ type: 'notice', text: null });
  }

  private onMessage(message: Message): void {
    this.store.dispatch({ type: 'message', message });
    // Mine, my own job move's notice or my staff greeting (read for me when its count comes: ownJobNotice.ts): not news.
    if (isMyDoing(message, this.state.rooms[message.roomId], this.state.me)) return;
    if (this.isWatching(message.roomId)) {
      this.markAsRead(message.roomId);
      return;
    }
    // Not seen as it comes: the open room puts its "New messages" line above it (unreadMarker.ts).
    this.store.dispatch({ type: 'arrived_unseen', roomId: message.roomId, seq: message.seq });
    if (!this.env.isVisible()) notifyUnlessReadElsewhere(message, this.store, this.env, () => this.openRoom(message.roomId));
  }

  /** The user is looking at this room's newest messages right now: panel open, room shown and scrolled to the end, tab visible. */
  private isWatching(roomId: number): boolean {
    const s = this.state;
    return s.panelOpen && s.activeRoomId === roomId && this.atLatest && this.env.isVisible();
  }

  private markActiveRoomRead(): void {
    const roomId = this.state.activeRoomId;
    if (roomId !== null && this.isWatching(roomId)) this.markAsRead(roomId);
  }
}
