/**
 * The tolerant reading of a server frame, derived from the one shared schema (not a copy of it): the
 * contract lets the server add values to its enums (a role, a job status, a room or message type), and
 * a frame carrying one must not be lost. Each such value is swapped for a known one to check the rest
 * of the frame, then put back, so the app gets the server's own string and shows it generically.
 * The types still name the known values only: an app compares, it does not switch exhaustively.
 */
import type { z } from 'zod';

type Path = readonly PropertyKey[];

export function parseKeepingNewEnumValues<S extends z.ZodType>(schema: S, raw: unknown): z.ZodSafeParseResult<z.output<S>> {
  const first = schema.safeParse(raw);
  if (first.success) return first;
  const swaps: { path: Path; value: string; stand: string }[] = [];
  for (const issue of first.error.issues) {
    const value = valueAt(raw, issue.path);
    const values = issue.code === 'invalid_value' ? issue.values : [];
    const stand = values.find((v) => typeof v === 'string');
    // Only an enum of strings given a string: a literal, a number or a missing field is still an error.
    if (typeof value !== 'string' || stand === undefined || values.length < 2) return first;
    swaps.push({ path: issue.path, value, stand });
  }
  const copy: unknown = structuredClone(raw);
  for (const swap of swaps) setAt(copy, swap.path, swap.stand);
  const second = schema.safeParse(copy);
  if (!second.success) return first;
  for (const swap of swaps) setAt(second.data, swap.path, swap.value);
  return second;
}

function valueAt(root: unknown, path: Path): unknown {
  let at = root;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function setAt(root: unknown, path: Path, value: string): void {
  const parent = valueAt(root, path.slice(0, -1));
  const key = path.at(-1);
  if (typeof parent === 'object' && parent !== null && key !== undefined) (parent as Record<PropertyKey, unknown>)[key] = value;
}
