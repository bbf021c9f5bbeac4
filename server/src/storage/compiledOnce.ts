/**
 * A Kysely query built and compiled once per database, then run with fresh
 * parameters. For the statements every connection runs (session lookup, the
 * `ready` room list), building the query tree and compiling it to SQL cost
 * more CPU than executing it — thousands of times over in a connect storm.
 *
 * `build` is called once with `probes`, distinct sentinel values; each must
 * appear among the compiled parameters, which says where each argument
 * goes. A query whose parameters are not all probes is refused at first use.
 */
import type { Compilable, CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.ts';

export function compiledOnce<P extends unknown[], R>(
  build: (db: Kysely<Database>, ...params: P) => Compilable<R>,
  probes: P,
): (db: Kysely<Database>, ...params: P) => Promise<R[]> {
  const compiled = new WeakMap<Kysely<Database>, { query: CompiledQuery<R>; argumentAt: number[] }>();
  return async (db, ...params) => {
    let entry = compiled.get(db);
    if (!entry) {
      const query = build(db, ...probes).compile();
      const argumentAt = query.parameters.map((value) => probes.indexOf(value));
      if (argumentAt.includes(-1)) throw new Error(`compiledOnce: a parameter of "${query.sql}" is not one of its arguments`);
      entry = { query, argumentAt };
      compiled.set(db, entry);
    }
    const { rows } = await db.executeQuery<R>({ ...entry.query, parameters: entry.argumentAt.map((i) => params[i]) });
    return rows;
  };
}
