import { describe, expect, it } from 'vitest';
import type { Message } from '@ecc/protocol';
import { previewOf, quoteOf } from './selectors.ts';

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
