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

/** The key of the panel's view in a history entry's state (other keys there are left alone). */
const KEY = 'eccChatPanel';

export function panelView(state: Pick<ChatState, 'panelOpen' | 'activeRoomId'>): PanelView {
  if (!state.panelOpen) return CLOSED;
  return state.activeRoomId === null ? LIST : { kind: 'room', roomId: state.activeRoomId };
}

/** The view a history entry records; an entry not marked by us (the page's own) is the closed panel. */
export function viewOfEntry(entryState: unknown): PanelView {
  if (typeof entryState !== 'object' || entryState === null) return CLOSED;
  const parsed = PanelView.safeParse((entryState as Record<string, unknown>)[KEY]);
  return parsed.success ? parsed.data : CLOSED;
}

/** An entry's state recording `view`, keeping what others put in `base`. */
export function entryState(view: PanelView, base: unknown): Record<string, unknown> {
  const others = typeof base === 'object' && base !== null ? (base as Record<string, unknown>) : {};
  return { ...others, [KEY]: view };
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
 * Keeps the tab's history in step with the panel of `chat` until the
 * returned function is called. On start (a reload inside a room: the panel
 * starts closed) it goes back over the entries the last load left.
 */
export function syncPanelHistory(chat: Panel, host: HistoryHost): () => void {
  const history = host.history;
  // A go() of ours is on its way: its popstate is no Back of the user's, and the history is not
  // where it will be, so changes meanwhile are synced when it lands.
  let traversing = false;
  let showing = false;

  const sync = () => {
    if (traversing || showing) return;
    const step = historyStep(viewOfEntry(history.state), panelView(chat.state));
    if (step.kind === 'back') {
      traversing = true;
      history.go(-step.entries);
    } else if (step.kind === 'replace') {
      history.replaceState(entryState(step.view, history.state), '');
    } else if (step.kind === 'push') {
      for (const view of step.views) history.pushState(entryState(view, null), '');
    }
  };

  const onPopState = () => {
    if (traversing) {
      traversing = false;
    } else {
      // One view, shown in one go: halfway (list opened, panel not yet) the history would be moved.
      showing = true;
      try {
        show(chat, viewOfEntry(history.state));
      } finally {
        showing = false;
      }
    }
    sync();
  };

  // Most store changes (every message, every unread count) leave the panel as it was.
  let seen: Pick<ChatState, 'panelOpen' | 'activeRoomId'> = chat.state;
  const onChange = () => {
    const state = chat.state;
    if (state.panelOpen === seen.panelOpen && state.activeRoomId === seen.activeRoomId) return;
    seen = state;
    sync();
  };

  host.addEventListener('popstate', onPopState);
  const unsubscribe = chat.store.subscribe(onChange);
  sync();
  return () => {
    unsubscribe();
    host.removeEventListener('popstate', onPopState);
  };
}

function show(chat: Panel, view: PanelView): void {
  if (view.kind === 'closed') {
    chat.togglePanel(false);
  } else if (view.kind === 'list') {
    chat.openRoom(null);
    chat.togglePanel(true);
  } else {
    chat.openRoom(view.roomId);
  }
}
