import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChatError } from '@ecc/protocol';
import { readQuery } from './query.ts';

const read = <S extends z.ZodType>(search: string, schema: S) => readQuery(new URL(`http://localhost/api/x?${search}`), schema);

describe('readQuery', () => {
  it('reads each parameter given once as a string and refuses one given twice', () => {
    const schema = z.object({ q: z.string().optional() });
    expect(read('q=oven', schema)).toEqual({ q: 'oven' });
    expect(() => read('q=a&q=b', schema)).toThrow(ChatError);
  });

  // `raw.__proto__ = [...]` on a plain object replaced its prototype: every parameter the
  // client left out was then looked up on an array (filter, length, at …).
  it('takes a parameter named __proto__ as a parameter like any other, never as the object’s prototype', () => {
    const schema = z.object({ filter: z.string().optional(), length: z.string().optional() });
    expect(read('__proto__=a&__proto__=b', schema)).toEqual({});
    expect(read('__proto__=a', schema)).toEqual({});
    expect(read('__proto__=a&__proto__=b&filter=x', schema)).toEqual({ filter: 'x' });
  });

  it('does not answer a parameter the client left out from Object.prototype', () => {
    expect(read('', z.object({ constructor: z.string().optional(), toString: z.string().optional() }))).toEqual({});
  });
});
