/**
 * Unread counts from participant rows (unread = last_seq - last_read_seq -
 * own_after_read), and the versions that order them. The stores compute
 * the same terms in SQL (sqliteHotPath.ts, messages.ts, migrations.ts
 * `ecc_unread_counts`); test/storage/unreadTotals.test.ts pins that they agree.
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

/**
 * What the stores' count queries return for one asked (user, room) pair: the
 * user's total and version as SQL aggregates over their participant rows (the
 * terms above, summed by the database: a user in thousands of rooms is one
 * row, not thousands), and the pair's own row, null when not a participant.
 * The sums are bigint on PostgreSQL, parsed as numbers by postgres.ts's INT8
 * parser; an empty set sums to null.
 */
export interface PairCountRow {
  unread: number | null;
  room_version: number | null;
  total: number | null;
  user_version: number | null;
}

/** The count of one asked pair from its row (none: all zero). */
export function unreadCountOf(pair: { userId: number; roomId: number }, row: PairCountRow | undefined): UnreadCount {
  return {
    userId: pair.userId,
    roomId: pair.roomId,
    unread: row?.unread ?? 0,
    totalUnread: row?.total ?? 0,
    roomVersion: row?.room_version ?? 0,
    userVersion: row?.user_version ?? 0,
  };
}
