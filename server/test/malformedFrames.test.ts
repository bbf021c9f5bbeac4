/**
 * A regression net for frame handling, written from the wire contract (§4, §6): every malformed
 * frame we could think of — not JSON, not an object, no or an unknown `type`, missing, ill-typed or
 * nested-junk fields, values out of range, content too long, a frame over the size limit — gets the
 * contract's `error` code, with its `ref` whenever the frame carries a readable one; the socket keeps
 * working, the other users see nothing, and nothing is stored.
 */
import { describe, expect, it } from 'vitest';
import { CloseCode } from '@ecc/protocol';
import { DIALECTS } from './support/databases.ts';
import { cid, connectAs, serverForSuite } from './support/chat.ts';

type Variant = [name: string, frame: string | Record<string, unknown>, code?: 'BAD_REQUEST' | 'TOO_LARGE'];

/** Frames that are not a JSON object: nothing to read a `ref` from. */
const UNREADABLE: [string, string][] = [
  ['empty text', ''],
  ['whitespace', '   '],
  ['broken JSON', '{oops'],
  ['truncated object', '{"type":"ping","ref":"x"'],
  ['two objects in one frame', '{"type":"ping"}{"type":"ping"}'],
  ['null', 'null'],
  ['a boolean', 'true'],
  ['a number', '42'],
  ['a string', '"send"'],
  ['an empty array', '[]'],
  ['an array holding a frame', '[{"type":"ping","ref":"x"}]'],
];

/** JSON objects that carry a readable `ref` (each gets its own). */
function variants(roomId: number): Variant[] {
  const send = (extra: Record<string, unknown>) => ({ type: 'send', roomId, clientId: cid('bad'), content: 'never stored', ...extra });
  return [
    ['no type', {}],
    ['type a number', { type: 42 }],
    ['type null', { type: null }],
    ['type an array', { type: ['send'] }],
    ['type an object', { type: { name: 'send' } }],
    ['type empty', { type: '' }],
    ['type in capitals', send({ type: 'SEND' })],
    ['an unknown type', { type: 'explode', roomId }],
    ['a type named like a prototype member', { type: '__proto__' }],
    ['a type named like an Object method', { type: 'hasOwnProperty' }],
    ['send without roomId', send({ roomId: undefined })],
    ['send with roomId a string', send({ roomId: String(roomId) })],
    ['send with roomId a fraction', send({ roomId: roomId + 0.5 })],
    ['send with roomId null', send({ roomId: null })],
    ['send with roomId nested junk', send({ roomId: [[roomId]] })],
    ['send with roomId an operator object', send({ roomId: { $gt: 0 } })],
    ['send without clientId', send({ clientId: undefined })],
    ['send with an empty clientId', send({ clientId: '' })],
    ['send with a 65-character clientId', send({ clientId: 'c'.repeat(65) })],
    ['send with clientId a number', send({ clientId: 7 })],
    ['send without content', send({ content: undefined })],
    ['send with content a number', send({ content: 42 })],
    ['send with content null', send({ content: null })],
    ['send with content nested junk', send({ content: { a: { b: { c: [1, [2, [3]]] } } } })],
    ['send with content an array', send({ content: ['never', 'stored'] })],
    ['send with blank content', send({ content: ' \n\t ' })],
    ['send with U+0000 in content', send({ content: 'nul\u0000byte' })],
    ['send with a lone surrogate in content', send({ content: 'cut \ud83d emoji' })],
    ['send with content over the limit', send({ content: 'x'.repeat(4001) }), 'TOO_LARGE'],
    ['send with replyToId a string', send({ replyToId: 'first' })],
    ['send with replyToId negative', send({ replyToId: -1 })],
    ['send with attachmentId a fraction', send({ attachmentId: 1.5 })],
    ['history without roomId', { type: 'history', limit: 5 }],
    ['history with limit 0', { type: 'history', roomId, limit: 0 }],
    ['history with limit 101', { type: 'history', roomId, limit: 101 }],
    ['history with limit a string', { type: 'history', roomId, limit: '5' }],
    ['history with a negative beforeSeq', { type: 'history', roomId, beforeSeq: -1 }],
    ['history with beforeSeq and afterSeq', { type: 'history', roomId, beforeSeq: 5, afterSeq: 1 }],
    ['read without seq', { type: 'read', roomId }],
    ['read with seq a string', { type: 'read', roomId, seq: '3' }],
    ['typing with isTyping a string', { type: 'typing', roomId, isTyping: 'yes' }],
    ['typing without isTyping', { type: 'typing', roomId }],
    ['edit without content', { type: 'edit', messageId: 1 }],
    ['edit with messageId a string', { type: 'edit', messageId: '1', content: 'x' }],
    ['delete with messageId nested junk', { type: 'delete', messageId: { id: 1 } }],
  ];
}

for (const dialect of DIALECTS) {
  describe(`malformed frames (${dialect})`, () => {
    const server = serverForSuite({ dialect });

    it('each is answered with the contract’s code and its ref when readable; the socket keeps working and nothing is stored', async () => {
      const alice = await connectAs(server, 'client1');
      const bob = await connectAs(server, 'cleaner1');
      const roomId = server.demo!.roomId;
      const lastSeq = async () => (await bob.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages.at(-1)?.seq ?? 0;
      const before = await lastSeq();
      for (const [name, text] of UNREADABLE) {
        alice.socket.ws.send(text);
        const error = await alice.socket.next('error');
        expect(error.code, name).toBe('BAD_REQUEST');
        expect(error, name).not.toHaveProperty('ref');
      }
      const cases = variants(roomId);
      for (const [i, [name, frame, code = 'BAD_REQUEST']] of cases.entries()) {
        const ref = `bad-${i}`;
        alice.socket.send({ ...(frame as Record<string, unknown>), ref });
        expect(await alice.socket.next('error'), name).toMatchObject({ ref, code });
      }
      // A prototype key in the JSON text is a plain field, not the frame's prototype.
      alice.socket.ws.send(`{"type":"send","ref":"proto","__proto__":{"roomId":${roomId},"clientId":"p","content":"x"}}`);
      expect(await alice.socket.next('error')).toMatchObject({ ref: 'proto', code: 'BAD_REQUEST' });
      await alice.socket.sync();
      // Every frame got exactly its one error, and nothing else was answered.
      expect(alice.socket.all('error')).toHaveLength(UNREADABLE.length + cases.length + 1);
      expect(alice.socket.all('ack')).toEqual([]);
      expect(alice.socket.all('history')).toEqual([]);
      await bob.socket.sync();
      expect(bob.socket.all('message')).toEqual([]);
      expect(bob.socket.all('typing')).toEqual([]);
      expect(await lastSeq()).toBe(before);
      // Still usable, and not rate limited by what was refused.
      const ack = await alice.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'after the junk' });
      expect(ack.message.seq).toBe(before + 1);
      expect((await bob.socket.next('message', (f) => f.message.id === ack.message.id)).message.content).toBe('after the junk');
      alice.socket.close();
      bob.socket.close();
    });

    it('a frame over the size limit closes only its socket (1009); nothing is stored and the user’s other tab goes on', async () => {
      const alice = await connectAs(server, 'client1');
      const other = await connectAs(server, 'client1');
      const roomId = server.demo!.roomId;
      const before = (await other.socket.expect('history', { type: 'history', roomId, limit: 1 })).messages.at(-1)?.seq ?? 0;
      alice.socket.send({ type: 'send', ref: 'huge', roomId, clientId: cid(), content: 'x'.repeat(64 * 1024) });
      expect((await alice.socket.closed).code).toBe(CloseCode.MESSAGE_TOO_BIG);
      const page = await other.socket.expect('history', { type: 'history', roomId, limit: 1 });
      expect(page.messages.at(-1)?.seq ?? 0).toBe(before);
      const ack = await other.socket.expect('ack', { type: 'send', roomId, clientId: cid(), content: 'fine' });
      expect(ack.message.seq).toBe(before + 1);
      other.socket.close();
    });
  });
}
