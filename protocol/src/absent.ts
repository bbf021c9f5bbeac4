import { z } from 'zod';

/**
 * An optional field that may also be sent as JSON `null`, which means the same as leaving it out
 * (many clients write an unset field as null). The parsed value is never null, only absent.
 */
export function absentIfNull<T extends z.ZodType>(schema: T) {
  return z.preprocess((value) => (value === null ? undefined : value), schema.optional());
}
