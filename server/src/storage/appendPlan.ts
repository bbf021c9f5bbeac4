/**
 * What storing a batch of messages means, without any I/O: given what the
 * database holds for the batch (rooms, already stored clientIds, reply
 * targets, attachments), decide each entry's fate, number the new messages
 * and collect the row updates. Both write paths (Kysely for PostgreSQL,
 * prepared statements for SQLite) run this same plan, so they cannot drift.
 */
import type { Message } from '@ecc/protocol';
import type { MessageRow } from './rows.ts';
import type { AppendResult, NewMessage } from './store.ts';

/** The database's answers the plan needs, keyed for lookup. */
export interface AppendLookups {
  /**
   * The batch's rooms. New messages are numbered on from `seqBase`: the
   * room's stored last_seq (SQLite: the plan's seqs are the stored ones), or
   * 0 (PostgreSQL: the plan's seqs are places within the batch, which the
   * write statement adds to the counter it locks).
   */
  rooms: Map<number, PlanRoom>;
  /** Rows already stored, by `keyOf(sender, clientId)`. */
  existingByKey: Map<string, MessageRow>;
  /** Reply target id → its room. */
  replyRoom: Map<number, number>;
  attachments: Map<number, { id: number; room_id: number; uploader_id: number; message_id: number | null; mime: string }>;
}

export interface PlanRoom {
  is_active: number;
  seqBase: number;
}

export type PlannedEntry =
  | { kind: 'failed'; result: AppendResult }
  | { kind: 'new'; row: Omit<MessageRow, 'id'> }
  | { kind: 'existing'; row: MessageRow }
  | { kind: 'same_as'; index: number };

export interface AppendPlan {
  entries: PlannedEntry[];
  /** [roomId, seqBase + its new messages] of every room that got messages (its new last_seq when seqBase was). */
  roomSeqs: [number, number][];
  /** [roomId, userId, n]: each sender's own new messages per room (they are not unread for the sender). */
  ownCounts: [number, number, number][];
}

/** A send of the batch repeats a stored clientId: the transaction rolls back and the batch is redone with lookups. */
export class RepeatedClientId extends Error {}

export const keyOf = (senderId: number | null, clientId: string | null): string | null =>
  senderId === null || clientId === null ? null : `${senderId}\u0000${clientId}`;

/** Distinct non-null values of one field of the batch. */
export function idsOf(batch: NewMessage[], field: 'roomId' | 'replyToId' | 'attachmentId'): number[] {
  const ids = new Set<number>();
  for (const entry of batch) {
    const id = entry[field];
    if (id) ids.add(id);
  }
  return [...ids];
}

export function planAppend(batch: NewMessage[], lookups: AppendLookups, now: string): AppendPlan {
  const rooms = new Map<number, { is_active: number; seq: number; touched: boolean }>();
  for (const [id, room] of lookups.rooms) rooms.set(id, { is_active: room.is_active, seq: room.seqBase, touched: false });
  const entries: PlannedEntry[] = [];
  const firstInBatch = new Map<string, number>();
  const claimedAttachments = new Set<number>();
  const own = new Map<string, [number, number, number]>();

  batch.forEach((entry, index) => {
    const key = keyOf(entry.senderId, entry.clientId);
    const stored = key === null ? undefined : lookups.existingByKey.get(key);
    if (stored) return void entries.push({ kind: 'existing', row: stored });
    const earlier = key === null ? undefined : firstInBatch.get(key);
    if (earlier !== undefined) return void entries.push({ kind: 'same_as', index: earlier });
    const fail = (code: 'NOT_FOUND' | 'ROOM_CLOSED' | 'BAD_REQUEST', message: string) =>
      void entries.push({ kind: 'failed', result: { ok: false, code, message } });

    const room = rooms.get(entry.roomId);
    if (!room) return fail('NOT_FOUND', 'Room not found');
    if (!room.is_active) return fail('ROOM_CLOSED', 'This chat is closed');
    if (entry.replyToId && lookups.replyRoom.get(entry.replyToId) !== entry.roomId) {
      return fail('BAD_REQUEST', 'replyToId is not a message of this room');
    }
    let type = entry.type;
    if (entry.attachmentId) {
      const attachment = lookups.attachments.get(entry.attachmentId);
      const usable =
        attachment &&
        attachment.room_id === entry.roomId &&
        attachment.uploader_id === entry.senderId &&
        attachment.message_id === null &&
        !claimedAttachments.has(attachment.id);
      if (!usable) return fail('BAD_REQUEST', 'attachmentId is not an unused upload of yours in this room');
      claimedAttachments.add(attachment.id);
      type = attachment.mime.startsWith('image/') ? 'image' : 'file';
    }
    room.seq += 1;
    room.touched = true;
    entries.push({
      kind: 'new',
      row: {
        room_id: entry.roomId,
        seq: room.seq,
        sender_id: entry.senderId,
        type,
        content: entry.content,
        attachment_id: entry.attachmentId ?? null,
        reply_to_id: entry.replyToId ?? null,
        client_id: entry.clientId,
        created_at: now,
        edited_at: null,
        deleted_at: null,
        deleted_by: null,
        // Never set by an append (sends are inserted without it): a job's move sets it on its notice (jobs.ts).
        actor_id: null,
      },
    });
    if (key !== null) firstInBatch.set(key, index);
    if (entry.senderId !== null) {
      const ownKey = `${entry.roomId}:${entry.senderId}`;
      const counted = own.get(ownKey);
      if (counted) counted[2] += 1;
      else own.set(ownKey, [entry.roomId, entry.senderId, 1]);
    }
  });

  const roomSeqs: [number, number][] = [];
  for (const [id, room] of rooms) if (room.touched) roomSeqs.push([id, room.seq]);
  return { entries, roomSeqs, ownCounts: [...own.values()] };
}

/**
 * The stored rows of a plan (new rows given their ids, in plan order), the
 * row index of each entry (-1 where it has none) and the [attachmentId,
 * messageId] links to write.
 */
export function rowsOfPlan(plan: AppendPlan, newIds: number[]): { rows: MessageRow[]; rowIndex: number[]; attachmentLinks: [number, number][] } {
  const rows: MessageRow[] = [];
  const attachmentLinks: [number, number][] = [];
  let nextNew = 0;
  const rowIndex = plan.entries.map((p) => {
    if (p.kind === 'new') {
      const id = newIds[nextNew++] as number;
      rows.push({ ...p.row, id });
      if (p.row.attachment_id !== null) attachmentLinks.push([p.row.attachment_id, id]);
    } else if (p.kind === 'existing') rows.push(p.row);
    else return -1;
    return rows.length - 1;
  });
  return { rows, rowIndex, attachmentLinks };
}

/** One result per batch entry, from the plan and the hydrated rows of `rowsOfPlan`. */
export function resultsOfPlan(plan: AppendPlan, rowIndex: number[], messages: Message[]): AppendResult[] {
  const results: AppendResult[] = [];
  plan.entries.forEach((p, i) => {
    if (p.kind === 'failed') results.push(p.result);
    else if (p.kind === 'same_as') {
      const first = results[p.index];
      results.push(first && first.ok ? { ok: true, message: first.message, duplicate: true } : (first as AppendResult));
    } else results.push({ ok: true, message: messages[rowIndex[i] as number] as Message, duplicate: p.kind === 'existing' });
  });
  return results;
}
