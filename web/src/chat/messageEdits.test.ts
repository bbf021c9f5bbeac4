import { describe, expect, it } from 'vitest';
import { ChatError } from '@ecc/protocol';
import { ChatController } from './controller.ts';
import { editOf } from './store.ts';
import { FakeEnvironment, FakeTransport } from '../test/fakeTransport.ts';
import { alice, bob, message, room } from '../test/fixtures.ts';

const mine = message(1, 2, alice, { content: 'Meet at 9' });
const other = message(1, 3, alice, { content: 'Bring the ladder' });

function setup() {
  const transport = new FakeTransport();
  const chat = new ChatController(transport, new FakeEnvironment());
  chat.connect();
  transport.historyAnswer = () => ({ messages: [message(1, 1, bob), mine, other], hasMore: false });
  transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 3 })], totalUnread: 0 });
  return { transport, chat };
}

const flush = () => new Promise((r) => setTimeout(r, 0));

describe('editing my messages', () => {
  it('keeps the text typed in the room’s draft, and one edit per room: starting another replaces it', () => {
    const { chat } = setup();
    chat.edits.start(mine);
    expect((editOf(chat.state, 1, mine.id)?.text ?? null)).toBe('Meet at 9');
    chat.edits.change(1, mine.id, 'Meet at 9, north door');
    expect((editOf(chat.state, 1, mine.id)?.text ?? null)).toBe('Meet at 9, north door');
    chat.edits.start(other);
    expect((editOf(chat.state, 1, mine.id)?.text ?? null)).toBeNull();
    expect((editOf(chat.state, 1, other.id)?.text ?? null)).toBe('Bring the ladder');
    chat.edits.cancel(1, other.id);
    expect((editOf(chat.state, 1, other.id)?.text ?? null)).toBeNull();
  });

  it('ends the edit on Save and sends the trimmed text; saved unchanged (but for spaces), sends nothing', async () => {
    const { chat, transport } = setup();
    chat.edits.start(mine);
    await chat.edits.save(mine, 'Meet at 9  ');
    expect((editOf(chat.state, 1, mine.id)?.text ?? null)).toBeNull();
    expect(transport.edits).toEqual([]);
    chat.edits.start(mine);
    await chat.edits.save(mine, ' Meet at 10 ');
    expect(transport.edits).toEqual([{ messageId: mine.id, content: 'Meet at 10' }]);
    expect((editOf(chat.state, 1, mine.id)?.text ?? null)).toBeNull();
  });

  it('brings the text back in the box with why, when the server refuses the edit', async () => {
    const { chat, transport } = setup();
    transport.editError = new ChatError('RATE_LIMITED', 'Too many edits');
    chat.edits.start(mine);
    await chat.edits.save(mine, 'Meet at 10, north door');
    expect((editOf(chat.state, 1, mine.id)?.text ?? null)).toBe('Meet at 10, north door');
    expect(chat.state.notice).toBe('Could not edit the message: Too many edits');
  });

  it('does not bring a refused edit back over another edit opened meanwhile', async () => {
    const { chat, transport } = setup();
    transport.editError = new ChatError('RATE_LIMITED', 'Too many edits');
    chat.edits.start(mine);
    const saving = chat.edits.save(mine, 'Meet at 10');
    chat.edits.start(other);
    await saving;
    expect((editOf(chat.state, 1, other.id)?.text ?? null)).toBe('Bring the ladder');
    expect(chat.state.notice).toBe('Could not edit the message: Too many edits');
  });

  it('neither opens nor saves an edit of a deleted message or in a closed room; the text typed stays', async () => {
    const { chat, transport } = setup();
    await flush();
    chat.openRoom(1);
    await flush();
    chat.edits.start(mine);
    chat.edits.change(1, mine.id, 'The code is 4711');
    transport.emit('message_updated', { message: { ...mine, content: '', deletedAt: '2026-11-25T11:00:00.000Z' } });
    // The copy the row showed is not deleted; the held one is.
    await chat.edits.save(mine, 'The code is 4711');
    expect(transport.edits).toEqual([]);
    expect((editOf(chat.state, 1, mine.id)?.text ?? null)).toBe('The code is 4711');
    chat.edits.start(other);
    transport.emit('room', { room: room(1, { lastSeq: 3, isActive: false }) });
    await chat.edits.save(other, 'Bring two ladders');
    expect(transport.edits).toEqual([]);
    expect((editOf(chat.state, 1, other.id)?.text ?? null)).toBe('Bring the ladder');
    chat.edits.cancel(1, other.id);
    chat.edits.start(other);
    expect((editOf(chat.state, 1, other.id)?.text ?? null)).toBeNull();
  });
});
