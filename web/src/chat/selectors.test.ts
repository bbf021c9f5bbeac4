import { describe, expect, it } from 'vitest';
import type { Message, Room, User } from '@ecc/protocol';
import { peopleOf, presencePeopleOf, previewOf, quoteOf, seenUpTo } from './selectors.ts';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const base: Message = {
  id: 1,
  roomId: 1,
  seq: 1,
  sender: { id: 2, username: 'carol', displayName: 'Carol Client', role: 'client' },
  type: 'text',
  content: 'Key is\nunder the mat',
  attachment: null,
  replyTo: null,
  clientId: 'c1',
  createdAt: '2026-11-27T10:00:00.000Z',
  editedAt: null,
  deletedAt: null,
};
const photo: Message = {
  ...base,
  type: 'image',
  content: '',
  attachment: { id: 9, name: 'kitchen.png', mime: 'image/png', size: 1200, url: '/api/attachments/9' },
};

describe('quoteOf (the composer’s "Replying to")', () => {
  it('quotes the text on one line, a photo without text by its file name, and a deleted message as deleted', () => {
    expect(quoteOf(base)).toBe('Key is under the mat');
    expect(quoteOf(photo)).toBe('📎 kitchen.png');
    expect(quoteOf({ ...photo, deletedAt: '2026-11-27T10:01:00.000Z' })).toBe('Message deleted');
  });

  it('agrees with the chat list’s preview for a file without text, but for the sender', () => {
    expect(previewOf(photo)).toBe(`Carol Client: ${quoteOf(photo)}`);
  });
});

describe('previewOf (the chat list and notifications)', () => {
  it('names who sent a photo or PDF without text, as it names who wrote a text', () => {
    expect(previewOf(photo, 1)).toBe('Carol Client: 📎 kitchen.png');
    expect(previewOf(photo, 2)).toBe('You: 📎 kitchen.png');
    expect(previewOf(base, 2)).toBe('You: Key is under the mat');
  });
});

describe('seenUpTo (whose reading makes my message "Seen")', () => {
  const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
  const ann: User = { id: 6, username: 'support2', displayName: 'Ann Agent', role: 'support' };
  // Sam joined at the notice, seq 9, after everything Alice and Bob wrote: his read mark is there.
  const jobRoom = (bobRead: number) =>
    room(1, { participants: [participant(alice, { lastReadSeq: 8 }), participant(bob, { lastReadSeq: bobRead }), participant(sam, { lastReadSeq: 9 })] });

  it("in a job room, counts the job's other party only, not support staff who joined", () => {
    expect(seenUpTo(jobRoom(3), alice.id)).toBe(3);
    expect(seenUpTo(jobRoom(9), alice.id)).toBe(9);
    expect(seenUpTo(jobRoom(3), bob.id)).toBe(8);
  });

  it('in a job room, to support staff, counts the client and the cleaner', () => {
    expect(seenUpTo(jobRoom(3), sam.id)).toBe(8);
  });

  it('in a support room, to the user, counts any agent; to an agent, the user only, not a fellow agent', () => {
    const support = room(9, {
      type: 'support',
      name: 'Support · Alice Client',
      job: null,
      participants: [participant(alice, { lastReadSeq: 2 }), participant(sam, { lastReadSeq: 4 }), participant(ann, { lastReadSeq: 7 })],
    });
    expect(seenUpTo(support, alice.id)).toBe(7);
    expect(seenUpTo(support, sam.id)).toBe(2);
  });

  it('in a general room, counts anyone else', () => {
    const team = room(7, { type: 'general', name: 'Team', job: null, participants: [participant(alice), participant(bob, { lastReadSeq: 4 }), participant(sam, { lastReadSeq: 6 })] });
    expect(seenUpTo(team, alice.id)).toBe(6);
  });
});

describe('peopleOf (whom a room header names, the primary person first)', () => {
  const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
  const ann: User = { id: 6, username: 'support2', displayName: 'Ann Agent', role: 'support' };
  const names = (r: Room, meId: number) => peopleOf(r, meId).map((p) => p.displayName);

  it("in a job room: the job's other party first, then support; to staff the client, then the cleaner", () => {
    const joined = room(1, { participants: [participant(sam), participant(bob), participant(alice)] });
    expect(names(joined, alice.id)).toEqual(['Bob Cleaner', 'Sam Support']);
    expect(names(joined, bob.id)).toEqual(['Alice Client', 'Sam Support']);
    expect(names(joined, sam.id)).toEqual(['Alice Client', 'Bob Cleaner']);
  });

  it('in a support room: to an agent the user first, to the user the agents', () => {
    const support = room(9, { type: 'support', name: 'Support · Bob Cleaner', job: null, participants: [participant(ann), participant(sam), participant(bob)] });
    expect(names(support, sam.id)).toEqual(['Bob Cleaner', 'Ann Agent']);
    expect(names(support, bob.id)).toEqual(['Ann Agent', 'Sam Support']);
  });
});

describe('presencePeopleOf (whose presence a room header shows)', () => {
  const sam: User = { id: 5, username: 'support1', displayName: 'Sam Support', role: 'support' };
  const joined = room(1, { participants: [participant(sam), participant(bob), participant(alice)] });

  it("is the job's other party to the client, and the client and the cleaner both to support staff", () => {
    expect(presencePeopleOf(joined, alice.id).map((p) => p.displayName)).toEqual(['Bob Cleaner']);
    expect(presencePeopleOf(joined, sam.id).map((p) => p.displayName)).toEqual(['Alice Client', 'Bob Cleaner']);
  });
});
