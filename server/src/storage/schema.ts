/**
 * The tables as Kysely sees them. Timestamps are ISO-8601 UTC text in both
 * dialects (they sort correctly as text and leave the store unchanged);
 * booleans are 0/1 integers so one query text serves SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';

export interface UsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: 'client' | 'cleaner' | 'support';
  password_hash: string;
  last_seen: string | null;
  created_at: string;
}

export interface SessionsTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_at: string;
  expires_at: string;
}

export interface JobsTable {
  id: Generated<number>;
  title: string;
  description: string;
  address: string | null;
  scheduled_at: string | null;
  client_id: number;
  cleaner_id: number | null;
  status: 'open' | 'assigned' | 'in_progress' | 'completed' | 'cancelled';
  status_changed_at: string;
  created_at: string;
}

export interface RoomsTable {
  id: Generated<number>;
  type: 'job' | 'support' | 'general';
  name: string;
  job_id: number | null;
  is_active: number;
  /** Highest seq stored in the room; the next message takes last_seq + 1. */
  last_seq: number;
  updated_at: string;
  created_at: string;
  /** A support room's agent (its load, `pickSupportAgent`); null for other rooms, for support rooms made before migration 012 until the pass over them finishes (roomAgents.ts), and for those a node older than 012 made after it. */
  agent_id: number | null;
}

export interface ParticipantsTable {
  room_id: number;
  user_id: number;
  joined_at: string;
  last_read_seq: number;
  /** Own messages with seq > last_read_seq: unread = last_seq - last_read_seq - own_after_read, in O(1). */
  own_after_read: number;
}

export interface MessagesTable {
  id: Generated<number>;
  room_id: number;
  seq: number;
  sender_id: number | null;
  type: 'text' | 'image' | 'file' | 'system';
  content: string;
  attachment_id: number | null;
  reply_to_id: number | null;
  client_id: string | null;
  created_at: string;
  edited_at: string | null;
  deleted_at: string | null;
  /** Who deleted the message (null: not deleted, or deleted before this was recorded). */
  deleted_by: number | null;
  /** Whose doing a system notice is (Message.actorId): who moved the job, or who opened the support room; null on every other message, and on older notices. */
  actor_id: number | null;
}

export interface AttachmentsTable {
  id: Generated<number>;
  room_id: number;
  uploader_id: number;
  name: string;
  mime: string;
  size: number;
  storage_key: string;
  message_id: number | null;
  created_at: string;
  /** An image's size in pixels as shown (Attachment.width/height); null when unknown, and on uploads older than migration 013. */
  width: number | null;
  height: number | null;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  jobs: JobsTable;
  rooms: RoomsTable;
  participants: ParticipantsTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
}
