import { afterEach, describe, expect, it } from 'vitest';
import { ChatController } from './controller.ts';
import { entryState, historyStep, panelView, syncPanelHistory, viewOfEntry, type PanelView } from './panelHistory.ts';
import { FakeEnvironment, FakeTransport } from '../test/fakeTransport.ts';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';

const closed: PanelView = { kind: 'closed' };
const list: PanelView = { kind: 'list' };
const roomView = (roomId: number): PanelView => ({ kind: 'room', roomId });

describe('historyStep', () => {
  it('pushes a level opened, replaces a room opened in place of another, goes back over levels left', () => {
    expect(historyStep(closed, list)).toEqual({ kind: 'push', views: [list] });
    expect(historyStep(list, roomView(1))).toEqual({ kind: 'push', views: [roomView(1)] });
    // Straight into a room (a job's Chat button): the list goes below it, so Back reaches the list.
    expect(historyStep(closed, roomView(1))).toEqual({ kind: 'push', views: [list, roomView(1)] });
    expect(historyStep(roomView(1), roomView(2))).toEqual({ kind: 'replace', view: roomView(2) });
    expect(historyStep(roomView(1), list)).toEqual({ kind: 'back', entries: 1 });
    expect(historyStep(roomView(1), closed)).toEqual({ kind: 'back', entries: 2 });
    expect(historyStep(list, closed)).toEqual({ kind: 'back', entries: 1 });
    expect(historyStep(roomView(1), roomView(1))).toEqual({ kind: 'none' });
  });
});

describe('viewOfEntry', () => {
  it('reads what entryState wrote, keeps other scripts’ keys, and takes anything else for the closed panel', () => {
    expect(viewOfEntry(entryState(roomView(3), alice.id, { scroll: 5 }), alice.id)).toEqual(roomView(3));
    expect(entryState(list, alice.id, { scroll: 5 })).toMatchObject({ scroll: 5 });
    expect(viewOfEntry(null, alice.id)).toEqual(closed);
    expect(viewOfEntry({ eccChatPanel: { userId: alice.id, view: { kind: 'room', roomId: 'x' } } }, alice.id)).toEqual(closed);
    expect(viewOfEntry('state', alice.id)).toEqual(closed);
  });

  it('of another user’s entry (left in the tab by whoever signed out): the closed panel, never their room', () => {
    expect(viewOfEntry(entryState(roomView(3), bob.id, null), alice.id)).toEqual(closed);
    expect(viewOfEntry(entryState(list, bob.id, null), alice.id)).toEqual(closed);
  });

  it('of the controller’s state: the panel closed whatever room it would reopen on', () => {
    expect(panelView({ panelOpen: false, activeRoomId: 4 })).toEqual(closed);
    expect(panelView({ panelOpen: true, activeRoomId: null })).toEqual(list);
    expect(panelView({ panelOpen: true, activeRoomId: 4 })).toEqual(roomView(4));
  });
});

/** jsdom's history traverses like a browser: go() lands later, with a popstate. */
describe('syncPanelHistory (jsdom history)', () => {
  let stop: (() => void) | null = null;
  afterEach(() => {
    stop?.();
    stop = null;
  });

  function setup() {
    // A fresh page entry: drops entries earlier tests left ahead of this one, so lengths compare.
    history.pushState(null, '');
    const transport = new FakeTransport();
    const chat = new ChatController(transport, new FakeEnvironment());
    chat.connect();
    transport.emit('ready', { user: alice, rooms: [room(1), room(2)], totalUnread: 0 });
    stop = syncPanelHistory(chat, window, alice.id);
    return { chat, start: history.length };
  }

  /**
   * The tab as a reload leaves it: the page's entry and, above it, the entries the last load
   * pushed for `views` of `userId`'s panel, the last one current; a new controller not ready yet.
   */
  function reloaded(userId: number, views: PanelView[]) {
    history.pushState(null, '');
    const start = history.length;
    for (const view of views) history.pushState(entryState(view, userId, null), '');
    const transport = new FakeTransport();
    const chat = new ChatController(transport, new FakeEnvironment());
    chat.connect();
    return { chat, transport, start };
  }

  /** Resolves after the next popstate has been handled. */
  const landed = () => new Promise<void>((resolve) => window.addEventListener('popstate', () => setTimeout(resolve, 0), { once: true }));

  async function back(): Promise<void> {
    const done = landed();
    history.back();
    await done;
  }

  it('Back steps from a room to the list, then closes the panel', async () => {
    const { chat, start } = setup();
    chat.togglePanel(true);
    chat.openRoom(1);
    expect(history.length).toBe(start + 2);
    await back();
    expect(panelView(chat.state)).toEqual(list);
    await back();
    expect(panelView(chat.state)).toEqual(closed);
    expect(history.state).toBeNull();
  });

  it('switching rooms adds no entry', async () => {
    const { chat, start } = setup();
    chat.togglePanel(true);
    chat.openRoom(1);
    chat.openRoom(2);
    chat.openRoom(1);
    chat.openRoom(2);
    expect(history.length).toBe(start + 2);
    expect(viewOfEntry(history.state, alice.id)).toEqual(roomView(2));
    await back();
    expect(panelView(chat.state)).toEqual(list);
  });

  it('leaving a room or closing the panel with its own buttons leaves no entry behind for Back to step through', async () => {
    const { chat } = setup();
    chat.togglePanel(true);
    chat.openRoom(1);
    let done = landed();
    chat.openRoom(null); // the panel's ← button
    await done;
    expect(viewOfEntry(history.state, alice.id)).toEqual(list);
    done = landed();
    chat.togglePanel(false); // × or Escape
    await done;
    expect(history.state).toBeNull();
    // Opened again and closed from a room: both its entries go.
    chat.openRoom(2);
    expect(viewOfEntry(history.state, alice.id)).toEqual(roomView(2));
    done = landed();
    chat.togglePanel(false);
    await done;
    expect(history.state).toBeNull();
    expect(panelView(chat.state)).toEqual(closed);
  });

  it('a room opened straight from the page (a job’s Chat button) steps back to the list first', async () => {
    const { chat, start } = setup();
    chat.openRoom(2);
    expect(history.length).toBe(start + 2);
    await back();
    expect(panelView(chat.state)).toEqual(list);
    await back();
    expect(panelView(chat.state)).toEqual(closed);
  });

  it('Forward after Back shows the room again', async () => {
    const { chat } = setup();
    chat.openRoom(2);
    await back();
    const done = landed();
    history.forward();
    await done;
    expect(panelView(chat.state)).toEqual(roomView(2));
  });

  it('after a reload inside a room, shows that room once `ready` has listed it; Back then steps to the list, closes, leaves', async () => {
    const { chat, transport, start } = reloaded(alice.id, [list, roomView(1)]);
    stop = syncPanelHistory(chat, window, alice.id);
    // Not before `ready`: without the room's read mark it would open at its newest and read it all.
    expect(panelView(chat.state)).toEqual(closed);
    expect(viewOfEntry(history.state, alice.id)).toEqual(roomView(1));
    transport.emit('ready', { user: alice, rooms: [room(1), room(2)], totalUnread: 0 });
    expect(panelView(chat.state)).toEqual(roomView(1));
    // The entries the last load left are the ones stepped through: none added, none left behind.
    expect(history.length).toBe(start + 2);
    await back();
    expect(panelView(chat.state)).toEqual(list);
    await back();
    expect(panelView(chat.state)).toEqual(closed);
    expect(history.state).toBeNull();
  });

  it('reopens the room at its first new message, the usual way: nothing is marked read that was not seen', async () => {
    const unread = room(1, {
      participants: [participant(alice, { lastReadSeq: 3 }), participant(bob)],
      unread: 2,
      lastSeq: 5,
      lastMessage: message(1, 5, bob),
    });
    const { chat, transport } = reloaded(alice.id, [list, roomView(1)]);
    transport.historyAnswer = () => ({ messages: [1, 2, 3, 4, 5].map((seq) => message(1, seq, bob)), hasMore: false });
    stop = syncPanelHistory(chat, window, alice.id);
    transport.emit('ready', { user: alice, rooms: [unread], totalUnread: 2 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(panelView(chat.state)).toEqual(roomView(1));
    expect(chat.state.unreadMarker).toMatchObject({ roomId: 1, afterSeq: 3 });
    expect(transport.historyCalls.map((q) => q.roomId)).toContain(1);
    expect(transport.reads).toEqual([]);
  });

  it('after a reload on the chat list, shows the list at once', () => {
    const { chat, start } = reloaded(alice.id, [list]);
    stop = syncPanelHistory(chat, window, alice.id);
    expect(panelView(chat.state)).toEqual(list);
    expect(history.length).toBe(start + 1);
  });

  it('shows the list instead of a room no longer among the user’s rooms, and its entry goes', async () => {
    const { chat, transport } = reloaded(alice.id, [list, roomView(9)]);
    stop = syncPanelHistory(chat, window, alice.id);
    const done = landed();
    transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 });
    await done;
    expect(panelView(chat.state)).toEqual(list);
    expect(viewOfEntry(history.state, alice.id)).toEqual(list);
    await back();
    expect(panelView(chat.state)).toEqual(closed);
    expect(history.state).toBeNull();
  });

  it('never shows another user’s room: their entries (signed out before they were gone) are stepped back over', async () => {
    const { chat, transport } = reloaded(bob.id, [list, roomView(1)]);
    const done = landed();
    stop = syncPanelHistory(chat, window, alice.id);
    await done;
    expect(history.state).toBeNull();
    transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 });
    expect(panelView(chat.state)).toEqual(closed);
  });

  it('what the user does before `ready` wins over the room the reload would reopen', async () => {
    const { chat, transport } = reloaded(alice.id, [list, roomView(1)]);
    stop = syncPanelHistory(chat, window, alice.id);
    const done = landed();
    chat.togglePanel(true); // the Chats button: the list
    await done;
    expect(viewOfEntry(history.state, alice.id)).toEqual(list);
    transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 });
    expect(panelView(chat.state)).toEqual(list);
  });

  it('Back before `ready` after a reload inside a room shows the list, and the room is not reopened', async () => {
    const { chat, transport } = reloaded(alice.id, [list, roomView(1)]);
    stop = syncPanelHistory(chat, window, alice.id);
    await back();
    expect(panelView(chat.state)).toEqual(list);
    transport.emit('ready', { user: alice, rooms: [room(1)], totalUnread: 0 });
    expect(panelView(chat.state)).toEqual(list);
    expect(viewOfEntry(history.state, alice.id)).toEqual(list);
  });

  it('stops following the panel when stopped (signed out)', () => {
    const { chat, start } = setup();
    stop?.();
    stop = null;
    chat.togglePanel(true);
    expect(history.length).toBe(start);
  });
});
