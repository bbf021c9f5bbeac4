/**
 * Finding a conversation in the chat list by typing: a room matches when every word typed is found
 * (case and accents aside) in what names it: its name as this user reads it, the other
 * participants' display names and usernames, and its job's title.
 *
 * Cheap at thousands of rooms: each room's searchable text is normalised once and kept while the
 * room object is the same (the store replaces only the rooms that change), so a keystroke costs a
 * substring test per room, not a normalisation.
 */
import { foldForSearch, type Room, type User } from '@ecc/protocol';
import { othersIn, roomTitle } from './selectors.ts';
import type { ChatState } from './store.ts';

/** Lower case, without accents or extra spaces: "Zoë" and "ZOE" read alike, "ﬁ" as "fi". */
export function normaliseForSearch(text: string): string {
  return fold(text).replace(/\s+/g, ' ').trim();
}

/**
 * Lower case, without accents; the same for a text and for each of its characters apart (matchRanges).
 * Support's job search's fold, and marks of every script besides (the server's has its SQL twin to
 * keep to the Combining Diacritical Marks blocks; here nothing needs to).
 */
function fold(text: string): string {
  return foldForSearch(text).replace(/\p{M}/gu, '');
}

/**
 * Where the words of `query` stand in `text` as written (accents and case kept): [start, end) ranges in
 * order, overlaps merged — the parts of a room's name to mark in the list. Each character is normalised
 * on its own, keeping which written character each normalised one came from.
 */
export function matchRanges(text: string, query: string): [number, number][] {
  const words = queryWords(query);
  if (words.length === 0) return [];
  let folded = '';
  const origin: number[] = [];
  let index = 0;
  for (const char of text) {
    // A run of spaces folds into one, as normaliseForSearch does (a word never holds one anyway).
    const piece = /\s/.test(char) ? (folded.endsWith(' ') ? '' : ' ') : fold(char);
    for (let i = 0; i < piece.length; i++) origin.push(index);
    folded += piece;
    index += char.length;
  }
  const ranges: [number, number][] = [];
  for (const word of words) {
    for (let at = folded.indexOf(word); at !== -1; at = folded.indexOf(word, at + word.length)) {
      let end = nextChar(text, origin[at + word.length - 1] ?? 0);
      // The accents written after the last letter are part of it.
      while (end < text.length && fold(text.slice(end, nextChar(text, end))) === '') end = nextChar(text, end);
      ranges.push([origin[at] ?? 0, end]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const prev = merged.at(-1);
    if (prev && range[0] <= prev[1]) prev[1] = Math.max(prev[1], range[1]);
    else merged.push([...range]);
  }
  return merged;
}

/** Where the character after the one at `index` starts (a character may take two UTF-16 units). */
function nextChar(text: string, index: number): number {
  return index + ((text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1);
}

/** The words of a query, normalised; none for a query of spaces. */
export function queryWords(query: string): string[] {
  const text = normaliseForSearch(query);
  return text === '' ? [] : text.split(' ');
}

interface Indexed {
  me: User | null;
  text: string;
}
const index = new WeakMap<Room, Indexed>();

/** A room's searchable text, normalised; kept per room object (and the user it was read for). */
export function searchTextOf(room: Room, me: User | null): string {
  const held = index.get(room);
  if (held?.me === me) return held.text;
  const fields = [roomTitle(room, me), room.job?.title ?? ''];
  for (const p of othersIn(room, me?.id)) fields.push(p.displayName, p.username);
  // Words never hold a space: joined by one, no word matches across two fields.
  const text = normaliseForSearch(fields.join(' '));
  index.set(room, { me, text });
  return text;
}

/** Every word is in the room's searchable text (any room matches no words). */
function hasAllWords(room: Room, me: User | null, words: readonly string[]): boolean {
  if (words.length === 0) return true;
  const text = searchTextOf(room, me);
  return words.every((w) => text.includes(w));
}

/** Whether `room` matches every word of `query` (any room matches an empty query). */
export function roomMatches(room: Room, me: User | null, query: string): boolean {
  return hasAllWords(room, me, queryWords(query));
}

/**
 * A selector of the list's rooms matching `state.listQuery`, most recently active first. One per
 * list: it remembers its last answer, and keeps the same array while the matches are the same, so
 * a message or read in some room re-renders only that room's row, not the list.
 */
export function createRoomFilter(): (state: ChatState) => readonly number[] {
  let last: { roomOrder: readonly number[]; rooms: ChatState['rooms']; me: User | null; query: string; ids: readonly number[] } | null = null;
  return (state) => {
    const { roomOrder, rooms, me, listQuery: query } = state;
    const words = queryWords(query);
    if (words.length === 0) return roomOrder;
    if (last && last.roomOrder === roomOrder && last.rooms === rooms && last.me === me && last.query === query) return last.ids;
    const ids = roomOrder.filter((id) => {
      const room = rooms[id];
      return room !== undefined && hasAllWords(room, me, words);
    });
    const same = last !== null && ids.length === last.ids.length && ids.every((id, i) => id === last?.ids[i]);
    last = { roomOrder, rooms, me, query, ids: same && last ? last.ids : ids };
    return last.ids;
  };
}
