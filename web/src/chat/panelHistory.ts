/**
 * The browser's Back and Forward buttons in the floating chat panel: Back
 * steps from a room to the chat list, and from the list closes the panel,
 * instead of leaving the page.
 *
 * The controller stays the one truth about what the panel shows; the tab's
 * history follows it. Each level shown is one history entry above the one
 * below it (panel closed → list → room), marked in the entry's state:
 * opening a level pushes its entry, a room opened in place of another
 * replaces it, and leaving levels goes back over their entries, so none is
 * left behind to make Back do nothing. A Back or Forward of the user's is
 * shown by telling the controller what the entry recorded.
 *
 * A reload keeps the entries and the current one's state: the new load shows
 * what it recorded (a room once `ready` has listed the user's rooms, the list
 * when the room is not among them any more), so Back goes on from there. Each
 * entry names the user whose panel it records: after a sign-out that left its
 * entries behind (the session ended unseen, then a reload), the next user
 * signing in on the tab never gets the last one's room; their entries are
 * stepped back over.
 */
import { z } from 'zod';
import { Id } from '@ecc/protocol';
import type { ChatController } from './controller.ts';
import type { ChatState } from './store.ts';

const PanelView = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('closed') }),
  z.object({ kind: z.literal('list') }),
  z.object({ kind: z.literal('room'), roomId: Id }),
]);
/** What the panel shows, as a history entry records it. */
export type PanelView = z.infer<typeof PanelView>;

const CLOSED: PanelView = { kind: 'closed' };
const LIST: PanelView = { kind: 'list' };
const DEPTH = { closed: 0, list: 1, room: 2 } as const;

/** The key of the panel's entry in a history entry's state (other keys there are left alone). */
const KEY = 'eccChatPanel';

const PanelEntry = z.object({ userId: Id, view: PanelView });
/** What a history entry of ours records: whose panel, showing what. */
type PanelEntry = z.infer<typeof PanelEntry>;

export function panelView(state: Pick<ChatState, 'panelOpen' | 'activeRoomId'>): PanelView {
  if (!state.panelOpen) return CLOSED;
  return state.activeRoomId === null ? LIST : { kind: 'room', roomId: state.activeRoomId };
}

/** The panel entry a history entry's state holds; null for one not marked by us (the page's own). */
function readEntry(entryState: unknown): PanelEntry | null {
  if (typeof entryState !== 'object' || entryState === null) return null;
  const parsed = PanelEntry.safeParse((entryState as Record<string, unknown>)[KEY]);
  return parsed.success ? parsed.data : null;
}

/** The view a history entry records for `userId`'s panel; the page's own entry, and another user's, are the closed panel. */
export function viewOfEntry(entryState: unknown, userId: number): PanelView {
  const entry = readEntry(entryState);
  return entry?.userId === userId ? entry.view : CLOSED;
}

/** An entry's state recording `view` of `userId`'s panel, keeping what others put in `base`. */
export function entryState(view: PanelView, userId: number, base: unknown): Record<string, unknown> {
  const others = typeof base === 'object' && base !== null ? (base as Record<string, unknown>) : {};
  return { ...others, [KEY]: { userId, view } satisfies PanelEntry };
}

export type HistoryStep =
  | { kind: 'none' }
  /** Leave levels: the entries below are ours, one per level (see the module comment). */
  | { kind: 'back'; entries: number }
  | { kind: 'replace'; view: PanelView }
  | { kind: 'push'; views: PanelView[] };

/** What brings the history from the entry showing `at` to one showing `want`. */
export function historyStep(at: PanelView, want: PanelView): HistoryStep {
  if (sameView(at, want)) return { kind: 'none' };
  const from = DEPTH[at.kind];
  const to = DEPTH[want.kind];
  if (to < from) return { kind: 'back', entries: from - to };
  if (to === from) return { kind: 'replace', view: want };
  // A room opened with the panel closed (a job's Chat button) gets the list below it: Back goes there first.
  return { kind: 'push', views: from === 0 && want.kind === 'room' ? [LIST, want] : [want] };
}

function sameView(a: PanelView, b: PanelView): boolean {
  return a.kind === b.kind && (a.kind !== 'room' || (b.kind === 'room' && a.roomId === b.roomId));
}

/** The part of `window` used: its history and popstate. */
export interface HistoryHost {
  readonly history: Pick<History, 'state' | 'pushState' | 'replaceState' | 'go'>;
  addEventListener(type: 'popstate', listener: () => void): void;
  removeEventListener(type: 'popstate', listener: () => void): void;
}

type Panel = Pick<ChatController, 'state' | 'store' | 'openRoom' | 'togglePanel'>;

/**
 * Keeps the tab's history in step with the panel of `chat`, signed in as
 * `userId`, until the returned function is called. On start (a reload) it
 * shows what the current entry records for this user (a room once `ready`
 * has come), and goes back over another user's entries.
 */
export function syncPanelHistory(chat: Panel, host: HistoryHost, userId: number): () => void {
  const history = host.history;
  // A go() of ours is on its way: its popstate is no Back of the user's, and the history is not
  // where it will be, so changes meanwhile are synced when it lands.
  let traversing = false;
  let showing = false;
  // The room the current entry records, shown once `ready` has listed the rooms (opened before,
  // it would open at its newest message and read what the user has not seen). Meanwhile the
  // entry is left as it is; a change of the panel by the user drops it.
  let awaited: number | null = null;

  const sync = () => {
    if (traversing || showing || awaited !== null) return;
    const step = historyStep(viewOfEntry(history.state, userId), panelView(chat.state));
    if (step.kind === 'back') {
      traversing = true;
      history.go(-step.entries);
    } else if (step.kind === 'replace') {
      history.replaceState(entryState(step.view, userId, history.state), '');
    } else if (step.kind === 'push') {
      for (const view of step.views) history.pushState(entryState(view, userId, null), '');
    }
  };

  /** Shows `view` in one go (halfway, list opened and panel not yet, the history would be moved), then syncs. */
  const showView = (view: PanelView) => {
    awaited = null;
    if (view.kind === 'room' && !chat.state.everReady) {
      awaited = view.roomId;
      return;
    }
    showing = true;
    try {
      show(chat, view);
    } finally {
      showing = false;
    }
    sync();
  };

  /** Shows what the current entry records; another user's entries are gone back over, never shown. */
  const showEntry = () => {
    const entry = readEntry(history.state);
    if (entry !== null && entry.userId !== userId && DEPTH[entry.view.kind] > 0) {
      awaited = null;
      traversing = true;
      history.go(-DEPTH[entry.view.kind]);
    } else {
      showView(entry?.userId === userId ? entry.view : CLOSED);
    }
  };

  const onPopState = () => {
    if (!traversing) {
      showEntry();
      return;
    }
    traversing = false;
    sync();
  };

  // Most store changes (every message, every unread count) leave the panel as it was.
  let seen: Pick<ChatState, 'panelOpen' | 'activeRoomId'> = chat.state;
  const onChange = () => {
    const state = chat.state;
    const moved = state.panelOpen !== seen.panelOpen || state.activeRoomId !== seen.activeRoomId;
    if (awaited !== null && !showing) {
      // The user opened or closed something meanwhile: that is where they want to be.
      if (moved) awaited = null;
      else if (state.everReady) showView({ kind: 'room', roomId: awaited });
    }
    if (!moved) return;
    seen = state;
    sync();
  };

  host.addEventListener('popstate', onPopState);
  const unsubscribe = chat.store.subscribe(onChange);
  if (readEntry(history.state) === null) sync();
  else showEntry();
  return () => {
    unsubscribe();
    host.removeEventListener('popstate', onPopState);
  };
}

/** Tells the controller to show `view`; a room not among the user's rooms (left, or gone) shows the list. */
function show(chat: Panel, view: PanelView): void {
  if (view.kind === 'closed') {
    chat.togglePanel(false);
  } else if (view.kind === 'room' && chat.state.rooms[view.roomId] !== undefined) {
    chat.openRoom(view.roomId);
  } else {
    chat.openRoom(null);
    chat.togglePanel(true);
  }
}
