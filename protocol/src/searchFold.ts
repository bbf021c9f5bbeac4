/**
 * How searches fold text before comparing (support's job search on the server and in the web app; the
 * chat list's search builds on it): lower case, compatibility forms taken apart (NFKD: "ﬁ" is "fi"),
 * accents dropped, letters with a stroke as their plain letter, every sigma as σ. So "emile", "ÉMILE"
 * and "Émile" are one name, "lodz" and "Łódź", "ΝΊΚΟΣ" and "νικοσ", "ёлка" and "елка" too. The server
 * folds stored text alike in SQL on both databases (server/src/storage/searchFold.ts), so every step
 * here must have an SQL twin: hence the accents as explicit Unicode blocks, not \p{M}.
 */

/** Text lowered by toLowerCase alone (any other control character takes the full path, to the same result). */
const ASCII = /^[ -~\t\n\r]*$/;
/**
 * The Combining Diacritical Marks blocks (basic, extended, supplement, for symbols, half marks), as
 * the escapes that JS's regular expressions and PostgreSQL's both read.
 */
export const SEARCH_ACCENTS = String.raw`\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f`;
// eslint-disable-next-line no-misleading-character-class -- a class of combining marks alone, on purpose
const ACCENTS = new RegExp(`[${SEARCH_ACCENTS}]`, 'g');
/**
 * Letters that carry their stroke in the letter itself, not as an accent NFKD takes apart, and the
 * word-final sigma (whether a substring's last "Σ" ends a word cannot be known): each as the letter
 * at the same place in `SEARCH_LETTERS_TO`.
 */
export const SEARCH_LETTERS_FROM = 'łøđħς';
export const SEARCH_LETTERS_TO = 'lodhσ';
const LETTERS = new RegExp(`[${SEARCH_LETTERS_FROM}]`, 'g');

/** `text` folded for a search (see above); the same whatever the locale, unlike toLocaleLowerCase. */
export function foldForSearch(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(ACCENTS, '')
    .replace(LETTERS, (c) => SEARCH_LETTERS_TO[SEARCH_LETTERS_FROM.indexOf(c)] ?? c);
}
