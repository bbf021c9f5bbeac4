/**
 * Unread counts from participant rows (unread = last_seq - last_read_seq -
 * own_after_read), and the versions that order them.
 *
 * Counts are read after each change and reach a user's sockets along
 * different paths — two server nodes, two pool connections, a socket's
 * `ready` snapshot — so a count read earlier can arrive after one read
 * later. A version orders them: every term of it only grows (a room's
 * last seq, a read mark, a room's closing), so of two reads the later
 * one never has a smaller version, and an equal version means nothing
 * it counts changed in between. Rooms only ever close; reopening one
 * would break this (no caller does).
 */
import type { UnreadCount } from './store.ts';

/** A participant row with its room's counters: what unread counts are computed from. */
export interface UnreadRow {
  user_id: number;
  room_id: number;
  last_read_seq: number;
  own_after_read: number;
  last_seq: number;
  is_active: number;
}

/** Unread of one participant row (never below 0). */
export function unreadOfRow(row: Omit<UnreadRow, 'user_id' | 'room_id'>): number {
  return Math.max(0, row.last_seq - row.last_read_seq - row.own_after_read);
}

/** Orders the counts of one (user, room) read at different times. */
export function roomCountVersion(row: { last_seq: number; last_read_seq: number }): number {
  return row.last_seq + row.last_read_seq;
}

/** One room's share of the version ordering a user's total (the sum over all the user's rooms). */
export function userCountVersionTerm(row: { last_seq: number; last_read_seq: number; is_active: number }): number {
  return roomCountVersion(row) + (row.is_active ? 0 : 1);
}

/** Unread of each (user, room) pair and each user's total over active rooms, from all the users' participant rows. */
export function unreadOfRows(rows: UnreadRow[], pairs: { userId: number; roomId: number }[]): UnreadCount[] {
  const totals = new Map<number, { total: number; version: number }>();
  const perRoom = new Map<string, { unread: number; version: number }>();
  for (const row of rows) {
    const unread = unreadOfRow(row);
    perRoom.set(`${row.user_id}:${row.room_id}`, { unread, version: roomCountVersion(row) });
    let user = totals.get(row.user_id);
    if (!user) totals.set(row.user_id, (user = { total: 0, version: 0 }));
    if (row.is_active) user.total += unread;
    user.version += userCountVersionTerm(row);
  }
  return pairs.map(({ userId, roomId }) => {
    const room = perRoom.get(`${userId}:${roomId}`);
    const user = totals.get(userId);
    return {
      userId,
      roomId,
      unread: room?.unread ?? 0,
      totalUnread: user?.total ?? 0,
      roomVersion: room?.version ?? 0,
      userVersion: user?.version ?? 0,
    };
  });
}
