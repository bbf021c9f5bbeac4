import { describe, expect, it } from 'vitest';
import { readServerFrame } from './serverFrames.ts';

// A newer server may add values to the contract's enums (a role, a job status, a room or message type).
const user = { id: 1, username: 'ann', displayName: 'Ann', role: 'auditor' };
const message = {
  id: 7,
  roomId: 3,
  seq: 1,
  sender: user,
  type: 'poll',
  content: 'Which day suits you?',
  attachment: null,
  replyTo: null,
  clientId: null,
  createdAt: '2026-11-29T08:00:00.000Z',
  editedAt: null,
  deletedAt: null,
};
const room = {
  id: 3,
  name: 'Window cleaning',
  type: 'team',
  job: { id: 9, title: 'Window cleaning', status: 'on_hold' },
  participants: [{ ...user, online: true, lastSeen: null, lastReadSeq: 0 }],
  unread: 1,
  lastSeq: 1,
  lastMessage: message,
  updatedAt: '2026-11-29T08:00:00.000Z',
  isActive: true,
};

describe('readServerFrame and values the contract adds to its enums', () => {
  it('keeps a `ready` whose user, rooms, job and last message carry unknown values, as their raw strings', () => {
    const read = readServerFrame(
      JSON.stringify({ type: 'ready', user, rooms: [room], totalUnread: 1, serverTime: '2026-11-29T08:00:00.000Z' }),
    );
    expect(read.ok).toBe(true);
    if (!read.ok || read.frame?.type !== 'ready') throw new Error('not a ready frame');
    expect(read.frame.user.role).toBe('auditor');
    const [first] = read.frame.rooms;
    expect(first?.type).toBe('team');
    expect(first?.job?.status).toBe('on_hold');
    expect(first?.participants[0]?.role).toBe('auditor');
    expect(first?.lastMessage?.type).toBe('poll');
    expect(first?.lastMessage?.content).toBe('Which day suits you?');
  });

  it('keeps a `message` of an unknown type and a `room` of an unknown type', () => {
    const msg = readServerFrame(JSON.stringify({ type: 'message', message }));
    expect(msg).toMatchObject({ ok: true, frame: { type: 'message', message: { type: 'poll', sender: { role: 'auditor' } } } });
    const rm = readServerFrame(JSON.stringify({ type: 'room', room }));
    expect(rm).toMatchObject({ ok: true, frame: { type: 'room', room: { type: 'team', job: { status: 'on_hold' } } } });
  });

  it('still refuses a frame whose enum field is not a string, or whose other fields are wrong', () => {
    expect(readServerFrame(JSON.stringify({ type: 'message', message: { ...message, type: 5 } })).ok).toBe(false);
    expect(readServerFrame(JSON.stringify({ type: 'message', message: { ...message, seq: 'x' } })).ok).toBe(false);
    expect(readServerFrame(JSON.stringify({ type: 'room', room: { ...room, type: 'team', unread: -1 } })).ok).toBe(false);
  });
});

describe('readServerFrame and the open-jobs board (an addition)', () => {
  it('reads an `open_job` frame as the job it carries, an unknown status kept', () => {
    const job = { id: 9, title: 'Oven', status: 'open', description: '', addressOnAccept: true, scheduledAt: null, clientId: 2, cleanerId: null, roomId: null, createdAt: '2026-11-29T08:00:00.000Z' };
    expect(readServerFrame(JSON.stringify({ type: 'open_job', job }))).toEqual({ ok: true, frame: { type: 'open_job', job } });
    const held = readServerFrame(JSON.stringify({ type: 'open_job', job: { id: 9, title: 'Oven', status: 'on_hold' } }));
    expect(held).toMatchObject({ ok: true, frame: { type: 'open_job', job: { status: 'on_hold' } } });
    expect(readServerFrame(JSON.stringify({ type: 'open_job', job: { id: 'nine', title: 'Oven', status: 'open' } })).ok).toBe(false);
  });
});


describe('readServerFrame and Room.closesAt (an addition)', () => {
  it('keeps the closing time of a finished job’s room, null, or none at all (an older server)', () => {
    const closing = readServerFrame(JSON.stringify({ type: 'room', room: { ...room, closesAt: '2026-12-01T10:00:00.000Z' } }));
    expect(closing).toMatchObject({ ok: true, frame: { type: 'room', room: { closesAt: '2026-12-01T10:00:00.000Z' } } });
    expect(readServerFrame(JSON.stringify({ type: 'room', room: { ...room, closesAt: null } }))).toMatchObject({ ok: true, frame: { room: { closesAt: null } } });
    expect(readServerFrame(JSON.stringify({ type: 'room', room })).ok).toBe(true);
    expect(readServerFrame(JSON.stringify({ type: 'room', room: { ...room, closesAt: 5 } })).ok).toBe(false);
  });
});

describe('readServerFrame and Message.deletedBy (an addition)', () => {
  const deleted = { ...message, type: 'text', content: '', deletedAt: '2026-11-29T09:00:00.000Z' };
  const agent = { id: 5, username: 'sam', displayName: 'Sam Support', role: 'support' };

  it('keeps who deleted a message, null, or none at all (an older server)', () => {
    const removed = readServerFrame(JSON.stringify({ type: 'message_updated', message: { ...deleted, deletedBy: agent } }));
    expect(removed).toMatchObject({ ok: true, frame: { type: 'message_updated', message: { deletedBy: agent } } });
    expect(readServerFrame(JSON.stringify({ type: 'message', message: { ...message, deletedBy: null } }))).toMatchObject({
      ok: true,
      frame: { message: { deletedBy: null } },
    });
    expect(readServerFrame(JSON.stringify({ type: 'message_updated', message: deleted })).ok).toBe(true);
    expect(readServerFrame(JSON.stringify({ type: 'message_updated', message: { ...deleted, deletedBy: 5 } })).ok).toBe(false);
  });

  it('keeps a deleter whose role a later server added', () => {
    const moderator = { ...agent, role: 'moderator' };
    const removed = readServerFrame(JSON.stringify({ type: 'message_updated', message: { ...deleted, deletedBy: moderator } }));
    expect(removed).toMatchObject({ ok: true, frame: { message: { deletedBy: { role: 'moderator' } } } });
  });
});
