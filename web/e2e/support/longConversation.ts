/**
 * A client and a cleaner who have chatted for months: thousands of messages in the demo job room,
 * stored straight through the store in batches (not sent one by one over a socket), spread over
 * the past `days` days. Among them, as people write: multi-line notes, long unbroken words and
 * URLs, emoji-only messages, photos and PDFs, replies to messages from long before, edited and
 * deleted messages. Every text message says its number ("#123"), so tests can find it.
 */
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Message, User } from '@ecc/protocol';
import type { TestServer } from '@ecc/server/testing';
import type { NewMessage } from '../../../server/src/storage/store.ts';

export interface LongConversation {
  roomId: number;
  alice: User;
  bob: User;
  /** The room's stored messages after seeding (edits and deletions applied), by seq, in seq order. */
  bySeq: Map<number, Message>;
  /** The seq of the seeded message numbered `n` (1-based). */
  seqOf(n: number): number;
  /** The room's newest seq. */
  lastSeq: number;
}

/** Rows per appendMessages call: one transaction each. */
const BATCH = 500;

/** What the n-th seeded message is, by its number: a mix that repeats through the conversation. */
export function kindOf(n: number, photosEvery = 97): 'image' | 'pdf' | 'reply' | 'emoji' | 'multiline' | 'longWord' | 'url' | 'text' {
  if (n % photosEvery === 0) return 'image';
  if (n % 211 === 0) return 'pdf';
  if (n % 53 === 0) return 'reply';
  if (n % 41 === 0) return 'emoji';
  if (n % 13 === 0) return 'multiline';
  if (n % 89 === 0) return 'longWord';
  if (n % 71 === 0) return 'url';
  return 'text';
}

/** The text of the n-th message (before any edit). */
export function textOf(n: number, photosEvery?: number): string {
  switch (kindOf(n, photosEvery)) {
    case 'emoji':
      return ['🧽✨', '👍', '🙏🙏', '🏠🔑😊'][n % 4] ?? '👍';
    case 'multiline':
      return `#${n} Shopping list for next time:\n- bin bags\n- descaler\n- microfibre cloths\n\nThanks!`;
    case 'longWord':
      return `#${n} the code is ${'X7k'.repeat(60)}`;
    case 'url':
      return `#${n} instructions here https://example.com/manuals/${'oven-model-'.repeat(15)}cleaning-guide.pdf?ref=${'a'.repeat(80)}`;
    case 'reply':
      return `#${n} About that, yes`;
    case 'image':
    case 'pdf':
      return n % 2 === 0 ? '' : `#${n} photo of the result`;
    default:
      return `#${n} ${SENTENCES[n % SENTENCES.length]}`;
  }
}

const SENTENCES = [
  'See you on Thursday at nine.',
  'The key is with the concierge as usual.',
  'Could you do the inside of the fridge this week? It needs it after the party.',
  'Done for today, everything is tidy. The balcony door was left open, I closed it.',
  'Running ten minutes late, sorry!',
  'No problem at all.',
  'Please skip the bedroom this time, my sister is staying.',
];

/** A solid-colour PNG of the given size (no image library needed). */
export function pngOf(width: number, height: number, rgb: [number, number, number]): Buffer {
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: height }, () => row));
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const byte of buf) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/**
 * Stores `count` messages in the demo job room, Alice and Bob taking turns in runs, over the
 * past `days` days, every `photosEvery`-th a photo; then edits every 101st and deletes every
 * 149th. Read marks are left to the test.
 */
export async function seedLongConversation(server: TestServer, count: number, { days = 120, photosEvery = 97 } = {}): Promise<LongConversation> {
  const demo = server.demo;
  const alice = demo?.users.client1;
  const bob = demo?.users.cleaner1;
  if (!demo || !alice || !bob) throw new Error('demo data missing');
  const roomId = demo.roomId;
  const uploads = path.join(server.config.dataDir, 'uploads');
  await mkdir(uploads, { recursive: true });
  const images = [pngOf(640, 480, [120, 170, 210]), pngOf(360, 640, [200, 150, 90])];

  const senderOf = (n: number) => (Math.floor(n / 3) % 2 === 0 ? alice : bob);
  const idBySeqNumber = new Map<number, number>();
  const seqByNumber = new Map<number, number>();
  for (let from = 1; from <= count; from += BATCH) {
    const batch: NewMessage[] = [];
    for (let n = from; n < Math.min(from + BATCH, count + 1); n++) {
      const sender = senderOf(n);
      const kind = kindOf(n, photosEvery);
      const entry: NewMessage = { roomId, senderId: sender.id, type: 'text', content: textOf(n, photosEvery), clientId: `long-${n}` };
      if (kind === 'image' || kind === 'pdf') {
        const storageKey = randomBytes(16).toString('hex');
        const bytes = kind === 'image' ? (images[n % 2] as Buffer) : PDF;
        await writeFile(path.join(uploads, storageKey), bytes);
        const name = kind === 'image' ? `photo-${n}.png` : `invoice-${n}.pdf`;
        const mime = kind === 'image' ? 'image/png' : 'application/pdf';
        const stored = await server.store.createAttachment({ roomId, uploaderId: sender.id, name, mime, size: bytes.length, storageKey });
        entry.attachmentId = stored.id;
      }
      // A reply to a message from long before (thousands back when there are that many).
      if (kind === 'reply' && n > 10) entry.replyToId = idBySeqNumber.get(Math.max(1, Math.floor(n / 7))) ?? null;
      batch.push(entry);
    }
    const results = await server.store.appendMessages(batch);
    results.forEach((r, i) => {
      if (!r.ok) throw new Error(`seeding message ${from + i} failed: ${r.message}`);
      idBySeqNumber.set(from + i, r.message.id);
      seqByNumber.set(from + i, r.message.seq);
    });
  }
  const seqOf = (n: number) => {
    const seq = seqByNumber.get(n);
    if (seq === undefined) throw new Error(`message ${n} was not seeded`);
    return seq;
  };
  const now = Date.now();
  for (let n = 101; n <= count; n += 101) {
    if (kindOf(n, photosEvery) === 'text') await server.store.editMessage(idBySeqNumber.get(n) ?? 0, `${textOf(n)} (edited: make that ten)`, new Date(now));
  }
  for (let n = 149; n <= count; n += 149) await server.store.deleteMessage(idBySeqNumber.get(n) ?? 0, new Date(now), senderOf(n).id);

  // Spread over the past `days` days, oldest first, the newest a few minutes ago.
  const first = seqOf(1);
  const last = seqOf(count);
  const start = now - days * 86_400_000;
  const step = (days * 86_400_000 - 300_000) / Math.max(1, last - first);
  const db = (server.store as unknown as { db: Kysely<unknown> }).db;
  if (server.store.dialect !== 'sqlite') throw new Error('the long conversation dates are set with SQLite date functions');
  await sql`update messages set created_at = strftime('%Y-%m-%dT%H:%M:%fZ', (${start} + (seq - ${first}) * ${step}) / 1000.0, 'unixepoch')
            where room_id = ${roomId} and seq >= ${first}`.execute(db);

  const stored: Message[] = [];
  for (let after = 0; ; ) {
    const page = await server.store.history({ roomId, afterSeq: after, limit: 100 });
    stored.push(...page.messages);
    after = page.messages.at(-1)?.seq ?? after;
    if (!page.hasMore) break;
  }
  const bySeq = new Map(stored.map((m) => [m.seq, m]));
  return { roomId, alice, bob, bySeq, seqOf, lastSeq: last };
}
