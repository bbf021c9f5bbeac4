import { afterEach, describe, expect, it } from 'vitest';
import { ChatController } from './controller.ts';
import { entryState, historyStep, panelView, syncPanelHistory, viewOfEntry, type PanelView } from './panelHistory.ts';
import { FakeEnvironment, FakeTransport } from '../test/fakeTransport.ts';
import { alice, room } from '../test/fixtures.ts';

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
    expect(viewOfEntry(entryState(roomView(3), { scroll: 5 }))).toEqual(roomView(3));
    expect(entryState(list, { scroll: 5 })).toMatchObject({ scroll: 5 });
    expect(viewOfEntry(null)).toEqual(closed);
    expect(viewOfEntry({ eccChatPanel: { kind: 'room', roomId: 'x' } })).toEqual(closed);
    expect(viewOfEntry('state')).toEqual(closed);
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
    stop = syncPanelHistory(chat, window);
    return { chat, start: history.length };
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
    expect(viewOfEntry(history.state)).toEqual(roomView(2));
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
    expect(viewOfEntry(history.state)).toEqual(list);
    done = landed();
    chat.togglePanel(false); // × or Escape
    await done;
    expect(history.state).toBeNull();
    // Opened again and closed from a room: both its entries go.
    chat.openRoom(2);
    expect(viewOfEntry(history.state)).toEqual(roomView(2));
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

  it('after a reload inside a room (the panel starts closed) the entries the last load left are gone', async () => {
    history.pushState(null, '');
    history.pushState(entryState(list, null), '');
    history.pushState(entryState(roomView(1), null), '');
    const transport = new FakeTransport();
    const chat = new ChatController(transport, new FakeEnvironment());
    chat.connect();
    const done = landed();
    stop = syncPanelHistory(chat, window);
    await done;
    expect(history.state).toBeNull();
    expect(chat.state.panelOpen).toBe(false);
  });

  it('stops following the panel when stopped (signed out)', () => {
    const { chat, start } = setup();
    stop?.();
    stop = null;
    chat.togglePanel(true);
    expect(history.length).toBe(start);
  });
});
