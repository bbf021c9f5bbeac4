import { describe, expect, it } from 'vitest';
import { parseClientFrame, ServerFrame } from './frames.ts';

describe('parseClientFrame', () => {
  it('accepts a well-formed send and keeps its fields', () => {
    const r = parseClientFrame(JSON.stringify({ type: 'send', ref: 'r1', roomId: 3, clientId: 'c-1', content: 'hi' }));
    expect(r).toEqual({ ok: true, frame: { type: 'send', ref: 'r1', roomId: 3, clientId: 'c-1', content: 'hi' } });
  });

  it.each([
    ['not JSON', '{oops', undefined],
    ['an array', '[1,2]', undefined],
    ['no type', '{"ref":"a"}', 'a'],
    ['an unknown type', '{"type":"explode","ref":"b"}', 'b'],
    ['an ill-typed field', '{"type":"send","ref":"c","roomId":"3","clientId":"x","content":"hi"}', 'c'],
    ['a missing field', '{"type":"read","ref":"d","roomId":3}', 'd'],
    ['an empty clientId', '{"type":"send","roomId":3,"clientId":"","content":"hi"}', undefined],
    ['a history limit over 100', '{"type":"history","roomId":3,"limit":101}', undefined],
    ['a history limit of 0', '{"type":"history","roomId":3,"limit":0}', undefined],
    ['both beforeSeq and afterSeq', '{"type":"history","roomId":3,"beforeSeq":5,"afterSeq":1}', undefined],
  ])('rejects %s as BAD_REQUEST, echoing a readable ref', (_name, text, ref) => {
    const r = parseClientFrame(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('BAD_REQUEST');
    expect(r.ref).toBe(ref);
  });

  it('takes an optional field sent as null as left out', () => {
    const history = parseClientFrame('{"type":"history","ref":null,"roomId":3,"beforeSeq":null,"afterSeq":2,"limit":null}');
    expect(history.ok && history.frame).toEqual({ type: 'history', roomId: 3, afterSeq: 2 });
    const send = parseClientFrame('{"type":"send","roomId":3,"clientId":"c","content":"hi","replyToId":null,"attachmentId":null}');
    expect(send.ok && send.frame).toEqual({ type: 'send', roomId: 3, clientId: 'c', content: 'hi' });
    expect(parseClientFrame('{"type":"read","ref":"e","roomId":3,"seq":null}')).toMatchObject({ ok: false, ref: 'e' });
  });

  it('ignores a ref longer than 64 characters', () => {
    const r = parseClientFrame(JSON.stringify({ type: 'nope', ref: 'x'.repeat(65) }));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.ref).toBeUndefined();
  });

  it('counts a clientId and a ref in characters (code points), as message content is counted', () => {
    const emoji64 = '😀'.repeat(64); // 128 UTF-16 units
    const sent = parseClientFrame(JSON.stringify({ type: 'send', ref: emoji64, roomId: 3, clientId: emoji64, content: 'hi' }));
    expect(sent).toMatchObject({ ok: true, frame: { ref: emoji64, clientId: emoji64 } });
    const longer = parseClientFrame(JSON.stringify({ type: 'send', ref: emoji64, roomId: 3, clientId: `${emoji64}😀`, content: 'hi' }));
    expect(longer).toMatchObject({ ok: false, ref: emoji64, error: { code: 'BAD_REQUEST' } });
  });
});

describe('ServerFrame', () => {
  it('validates an unread event and rejects a negative count', () => {
    expect(ServerFrame.safeParse({ type: 'unread', roomId: 1, unread: 2, totalUnread: 5 }).success).toBe(true);
    expect(ServerFrame.safeParse({ type: 'unread', roomId: 1, unread: -1, totalUnread: 5 }).success).toBe(false);
  });
});
