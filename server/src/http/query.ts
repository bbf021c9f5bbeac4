/** Reading a request's query string with a zod check, as bodies are read (body.ts). */
import type { z } from 'zod';
import { validated } from './body.ts';

/**
 * The query's parameters, validated: each given once is a string, one given more often an array (which a
 * schema of strings refuses: which of two values was meant is not guessed). BAD_REQUEST otherwise.
 */
export function readQuery<S extends z.ZodType>(url: URL, schema: S): z.infer<S> {
  // No prototype: `?__proto__=a&__proto__=b` would replace a plain object's, and a parameter left out
  // would be looked up on it (or on Object.prototype: `constructor`) instead of being absent.
  const raw: Record<string, string | string[]> = Object.create(null) as Record<string, string | string[]>;
  for (const key of new Set(url.searchParams.keys())) {
    const values = url.searchParams.getAll(key);
    raw[key] = values.length === 1 ? (values[0] ?? '') : values;
  }
  return validated(schema, raw, 'query');
}
