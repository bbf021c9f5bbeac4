import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { PresenceCatchUp } from './presenceCatchUp.ts';

const logger = pino({ level: 'silent' });
const later = (ms = 30) => new Promise((r) => setTimeout(r, ms));

/** A node whose bus and presence a test switches, with who is online in the cluster and who shares rooms. */
function node() {
  const state = { busUp: true, presenceUp: true, online: new Set<number>(), lastSeen: new Map<number, string>(), settling: new Set<number>() };
  const told: { userId: number; peers: number[]; online: boolean; lastSeen: string | null }[] = [];
  let onlineRead: () => void = () => {};
  const catchUp = new PresenceCatchUp({
    bus: { healthy: () => state.busUp },
    presence: {
      healthy: () => state.presenceUp,
      onlineAmong: async (ids) => {
        onlineRead();
        return new Set(ids.filter((id) => state.online.has(id)));
      },
    },
    store: {
      peersOf: async (userId) => [userId * 10, userId * 10 + 1],
      getLastSeen: async (ids) => new Map(ids.map((id) => [id, state.lastSeen.get(id) ?? null])),
    },
    logger,
    settling: (userId) => state.settling.has(userId),
    tell: (userId, peers, online, lastSeen) => told.push({ userId, peers, online, lastSeen }),
    retryMs: 5,
  });
  stops.push(() => catchUp.stop());
  return { state, told, catchUp, onRead: (f: () => void) => (onlineRead = f) };
}

const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
});

describe('PresenceCatchUp', () => {
  it('tells nothing of changes the bus carried with presence healthy', async () => {
    const { catchUp, told } = node();
    catchUp.announced(1, true);
    catchUp.announced(2, false);
    await later();
    expect(told).toEqual([]);
  });

  it('tells a user’s peers, once the bus and presence are healthy again, that a user who left meanwhile is offline, with the time recorded', async () => {
    const { catchUp, told, state } = node();
    state.busUp = false;
    state.presenceUp = false;
    catchUp.announced(1, false, true);
    state.lastSeen.set(1, '2026-11-29T12:00:00.000Z');
    await later();
    expect(told).toEqual([]);
    state.busUp = true;
    await later();
    expect(told).toEqual([]); // presence not written back yet: its answers would be this node's alone
    state.presenceUp = true;
    await later();
    expect(told).toEqual([{ userId: 1, peers: [10, 11], online: false, lastSeen: '2026-11-29T12:00:00.000Z' }]);
    await later();
    expect(told).toHaveLength(1);
  });

  it('tells a user who came online meanwhile and still is', async () => {
    const { catchUp, told, state } = node();
    state.busUp = false;
    catchUp.announced(2, true);
    state.online.add(2);
    state.busUp = true;
    await later();
    expect(told).toEqual([{ userId: 2, peers: [20, 21], online: true, lastSeen: null }]);
  });

  it('tells nothing when the state is back to what the other nodes were last told', async () => {
    const { catchUp, told, state } = node();
    state.busUp = false;
    // Came and went during the outage: still offline for the other nodes.
    catchUp.announced(3, true);
    catchUp.announced(3, false, true);
    // Left this node but still has a tab on another: still online for them.
    state.online.add(4);
    catchUp.announced(4, false, true);
    state.busUp = true;
    await later();
    expect(told).toEqual([]);
  });

  it('corrects an offline the bus carried though judged without the other nodes’ counts', async () => {
    const { catchUp, told, state } = node();
    state.presenceUp = false;
    state.online.add(5);
    catchUp.announced(5, false, true);
    state.presenceUp = true;
    await later();
    expect(told).toEqual([{ userId: 5, peers: [50, 51], online: true, lastSeen: null }]);
  });

  it('takes what the bus carried after the outage as told', async () => {
    const { catchUp, told, state } = node();
    state.busUp = false;
    catchUp.announced(6, true); // dropped
    state.busUp = true;
    catchUp.announced(6, false); // its tab closed for the resync: carried
    await later();
    expect(told).toEqual([]);
  });

  it('leaves a user announced again while being read to that newer announcement', async () => {
    const { catchUp, told, state, onRead } = node();
    state.busUp = false;
    catchUp.announced(7, true);
    state.online.add(7);
    state.busUp = true;
    onRead(() => catchUp.announced(7, false));
    await later();
    expect(told).toEqual([]);
  });

  it('waits again when the fan-out fails while the users are read', async () => {
    const { catchUp, told, state, onRead } = node();
    state.busUp = false;
    catchUp.announced(8, true);
    state.online.add(8);
    state.busUp = true;
    onRead(() => {
      state.busUp = false;
      onRead(() => {});
    });
    await later();
    expect(told).toEqual([]);
    state.busUp = true;
    await later();
    expect(told).toEqual([{ userId: 8, peers: [80, 81], online: true, lastSeen: null }]);
  });

  it('waits while the user’s presence is settled otherwise (their tab resyncing), then tells what stands', async () => {
    const { catchUp, told, state } = node();
    state.busUp = false;
    catchUp.announced(9, true); // dropped
    state.busUp = true;
    state.settling.add(9);
    await later();
    expect(told).toEqual([]);
    state.online.add(9);
    state.settling.delete(9);
    await later();
    expect(told).toEqual([{ userId: 9, peers: [90, 91], online: true, lastSeen: null }]);
  });

  it('keeps what the other nodes were last told when a user is announced again, dropped, while being read', async () => {
    const { catchUp, told, state, onRead } = node();
    state.busUp = false;
    catchUp.announced(11, false, true); // dropped: they were last told online
    state.busUp = true;
    onRead(() => {
      onRead(() => {});
      state.busUp = false;
      catchUp.announced(11, true); // back: dropped too
      catchUp.announced(11, false, true); // gone again: dropped
    });
    await later();
    state.busUp = true;
    await later();
    expect(told).toEqual([{ userId: 11, peers: [110, 111], online: false, lastSeen: null }]);
  });
});
