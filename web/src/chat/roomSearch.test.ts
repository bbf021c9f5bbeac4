import { describe, expect, it } from 'vitest';
import type { User } from '@ecc/protocol';
import { chatReducer, initialChatState, type ChatState } from './store.ts';
import { createRoomFilter, normaliseForSearch, matchRanges } from './roomSearch.ts';
import { alice, bob, participant, room } from '../test/fixtures.ts';

const zoe: User = { id: 3, username: 'zoe.w', displayName: 'Zoë Władysław', role: 'cleaner' };
const sam: User = { id: 4, username: 'support1', displayName: 'Sam Support', role: 'support' };

function signedIn(me: User, rooms = [
  room(1, { name: 'Job #1 · Windows', job: { id: 1, title: 'Windows', status: 'assigned' }, participants: [participant(alice), participant(zoe)] }),
  room(2, { name: 'Job #2 · Oven', job: { id: 2, title: 'Oven', status: 'assigned' }, participants: [participant(alice), participant(bob)] }),
  room(3, { type: 'support', job: null, name: 'Support · Alice Client', participants: [participant(alice), participant(sam)] }),
]): ChatState {
  return chatReducer(initialChatState, { type: 'ready', user: me, rooms, totalUnread: 0 });
}
const searching = (state: ChatState, query: string) => chatReducer(state, { type: 'list_query', query });

describe('normaliseForSearch', () => {
  it('reads letters alike whatever their case and accents, and spaces as one', () => {
    expect(normaliseForSearch('  Zoë   ŁÓDŹ Crème ')).toBe('zoe lodz creme');
    expect(normaliseForSearch('ZOE')).toBe(normaliseForSearch('zoë'));
  });
});

describe('the rooms matching a search', () => {
  it('find a job room support joined by any of its people: the agent by the client or the cleaner, the client by the agent', () => {
    const joined = room(2, { name: 'Job #2 · Oven', job: { id: 2, title: 'Oven', status: 'assigned' }, participants: [participant(alice), participant(bob), participant(sam)] });
    const filter = createRoomFilter();
    expect(filter(searching(signedIn(sam, [joined]), 'alice'))).toEqual([2]);
    expect(filter(searching(signedIn(sam, [joined]), 'bob cleaner'))).toEqual([2]);
    expect(filter(searching(signedIn(alice, [joined]), 'sam'))).toEqual([2]);
  });

  it('are all rooms, in the same array, while nothing is typed', () => {
    const state = signedIn(alice);
    expect(createRoomFilter()(searching(state, '   '))).toBe(state.roomOrder);
  });

  it("match on the room's name, the others' display names and usernames and the job's title, without accents or case", () => {
    const filter = createRoomFilter();
    const state = signedIn(alice);
    expect(filter(searching(state, 'zoe'))).toEqual([1]);
    expect(filter(searching(state, 'WLADYSLAW'))).toEqual([1]);
    expect(filter(searching(state, 'zoe.w'))).toEqual([1]);
    expect(filter(searching(state, 'oven'))).toEqual([2]);
    expect(filter(searching(state, 'cleaner1'))).toEqual([2]);
    expect(filter(searching(state, 'sam'))).toEqual([3]);
    // My own name is in every room: it finds none of them by me.
    expect(filter(searching(state, 'alice'))).toEqual([]);
  });

  it('need every word to match, each in any field', () => {
    const filter = createRoomFilter();
    const state = signedIn(alice);
    expect(filter(searching(state, 'windows zoë'))).toEqual([1]);
    expect(filter(searching(state, 'windows bob'))).toEqual([]);
    expect(filter(searching(state, 'job deep'))).toEqual([]);
    expect(filter(searching(state, 'job'))).toEqual([2, 1]);
  });

  it('keep the most recently active first, and follow a room moving up', () => {
    const filter = createRoomFilter();
    let state = searching(signedIn(alice), 'job');
    expect(filter(state)).toEqual([2, 1]);
    state = chatReducer(state, {
      type: 'message',
      message: { id: 9, roomId: 1, seq: 1, sender: zoe, type: 'text', content: 'Done', attachment: null, replyTo: null, clientId: 'c', createdAt: '2030-01-01T00:00:00.000Z', editedAt: null, deletedAt: null },
    });
    expect(filter(state)).toEqual([1, 2]);
  });

  it('keep their array while what they hold is the same (no re-render of the list), and drop a room that stops matching', () => {
    const filter = createRoomFilter();
    let state = searching(signedIn(alice), 'zoe');
    const first = filter(state);
    state = chatReducer(state, { type: 'unread', roomId: 1, unread: 3, totalUnread: 3 });
    expect(filter(state)).toBe(first);
    const renamed = { ...state.rooms[1]!, participants: [participant(alice), participant({ ...zoe, displayName: 'Z. Smith', username: 'zsmith' })] };
    state = chatReducer(state, { type: 'room', room: renamed });
    expect(filter(state)).toEqual([]);
  });

  it("find a support room by its name for the staff (its client's name in it), which its client reads as just \"Support\"", () => {
    const filter = createRoomFilter();
    expect(filter(searching(signedIn(sam), 'support · alice'))).toEqual([3]);
    expect(filter(searching(signedIn(alice), 'support'))).toEqual([3]);
  });
});

describe('the search in the store', () => {
  it('is kept while rooms are opened and left, and cleared when the panel closes', () => {
    let state = chatReducer(signedIn(alice), { type: 'panel', open: true });
    state = searching(state, 'zoe');
    state = chatReducer(state, { type: 'open_room', roomId: 1 });
    state = chatReducer(state, { type: 'open_room', roomId: null });
    expect(state.listQuery).toBe('zoe');
    state = chatReducer(state, { type: 'panel', open: false });
    expect(state.listQuery).toBe('');
  });
});

describe('the parts of a name a search matched', () => {
  it('are where the typed words stand in the name as written, accents and case kept', () => {
    const name = 'Zoë Ølund — Deep clean';
    const marked = (query: string) => matchRanges(name, query).map(([from, to]) => name.slice(from, to));
    expect(marked('zoe')).toEqual(['Zoë']);
    expect(marked('olu deep')).toEqual(['Ølu', 'Deep']);
    expect(marked('e')).toEqual(['ë', 'ee', 'e']);
    expect(marked('   ')).toEqual([]);
  });

  it('are merged where words overlap, and cover a whole letter written as two (an accent apart) or as a ligature', () => {
    const name = 'Cafe\u0301 ﬁne';
    expect(matchRanges(name, 'caf afe')).toEqual([[0, 5]]);
    expect(matchRanges(name, 'fi').map(([from, to]) => name.slice(from, to))).toEqual(['ﬁ']);
  });

  it('are marked in a Greek name written in capitals, which the list shows for the word typed in small letters', () => {
    const state = searching(signedIn(alice, [room(1, { name: 'ΟΔΟΣ ΑΘΗΝΑΣ', participants: [participant(alice), participant(bob)] })]), 'οδος');
    expect(createRoomFilter()(state)).toEqual([1]);
    expect(matchRanges('ΟΔΟΣ ΑΘΗΝΑΣ', 'οδος')).toEqual([[0, 4]]);
    // Typed with a plain sigma at the end, as the capitals' "Σ" reads, too.
    expect(matchRanges('οδός Αθηνάς', 'οδοσ')).toEqual([[0, 4]]);
  });
});
