/**
 * The job search's fold (`foldForSearch` in @ecc/protocol: case, accents, strokes, final sigma) done in SQL on
 * stored text, alike on both dialects (test/searchFold.test.ts): SQLite calls the same JS function,
 * registered on its handle by `registerSearchFold`; PostgreSQL lowers under the ICU root collation, not
 * the database's LC_CTYPE (under C, its lower() leaves "É" as it is), then takes the same steps with
 * the same lists (normalize, regexp_replace, translate).
 */
import { sql, type RawBuilder } from 'kysely';
import type SQLite from 'better-sqlite3';
import { foldForSearch, SEARCH_ACCENTS, SEARCH_LETTERS_FROM, SEARCH_LETTERS_TO } from '@ecc/protocol';
import type { Dialect } from './store.ts';

const SQLITE_FUNCTION = 'search_fold';

/** Makes `search_fold(text)` callable in SQL on this handle (deterministic: same text, same fold). */
export function registerSearchFold(database: SQLite.Database): void {
  database.function(SQLITE_FUNCTION, { deterministic: true }, (text: unknown) => (typeof text === 'string' ? foldForSearch(text) : text));
}

/** SQL folding `column` as `foldForSearch` folds text, on `dialect`. */
export function foldedForSearch(dialect: Dialect, column: string): RawBuilder<string> {
  if (dialect === 'sqlite') return sql<string>`${sql.raw(SQLITE_FUNCTION)}(${sql.ref(column)})`;
  const ref = sql.ref(column);
  // "und-x-icu" exists wherever PostgreSQL is built with ICU (Debian, the Docker images, managed services).
  const lowered = sql`normalize(lower(${ref} collate "und-x-icu"), NFKD)`;
  const unaccented = sql`regexp_replace(${lowered}, ${`[${SEARCH_ACCENTS}]`}, '', 'g')`;
  const folded = sql`translate(${unaccented}, ${SEARCH_LETTERS_FROM}, ${SEARCH_LETTERS_TO})`;
  // ASCII text (one byte per character) folds by lower() alone, as in JS: the full fold took a search of
  // 200,000 ASCII titles 680 ms, this test and lower() 40–60 ms (lower() alone, before: ~50). "C": ASCII letters only, in
  // every locale (a Turkish one would lower "I" to "ı"); both branches end in "C" for LIKE to compare bytes.
  return sql<string>`case when octet_length(${ref}) = length(${ref}) then lower(${ref} collate "C") else ${folded} collate "C" end`;
}
