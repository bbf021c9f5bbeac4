/**
 * Labels that name the day ("Today", "Yesterday", a bare time for today) change at local midnight
 * while the app stays open, also after the machine slept through it.
 */
import { act, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ChatList } from './ChatList.tsx';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';
import { formatListTime, formatTime } from '../format.ts';

/** Local times: the test holds in any time zone. */
const lateEvening = new Date(2026, 10, 25, 23, 30);
const justBeforeMidnight = new Date(2026, 10, 25, 23, 59, 30);
const nextMorning = new Date(2026, 10, 26, 8, 0);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(justBeforeMidnight);
});
afterEach(() => vi.useRealTimers());

function showList(roomCount = 1) {
  const r = renderChat(<ChatList />);
  const rooms = Array.from({ length: roomCount }, (_, i) =>
    room(i + 1, { lastSeq: 1, lastMessage: message(i + 1, 1, bob, { content: 'Done!', createdAt: lateEvening.toISOString() }) }),
  );
  act(() => r.transport.emit('ready', { user: alice, rooms, totalUnread: 0 }));
  return r;
}

const listTimes = () => within(screen.getByRole('list', { name: 'Conversations' })).getAllByRole('listitem').map((li) => li.querySelector('time')?.textContent);

it("shows a short date instead of today's time in the chat list once local midnight passes", () => {
  showList();
  expect(listTimes()).toEqual([formatTime(lateEvening.toISOString())]);
  act(() => vi.advanceTimersByTime(31_000));
  expect(listTimes()).toEqual([formatListTime(lateEvening.toISOString(), nextMorning)]);
  expect(listTimes()[0]).not.toBe(formatTime(lateEvening.toISOString()));
});

it('turns "Today" into "Yesterday" on the day separators and the last-seen line at midnight', async () => {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = () => ({ messages: [message(1, 1, bob, { content: 'All done', createdAt: lateEvening.toISOString() })], hasMore: false });
  const away = participant(bob, { online: false, lastSeen: lateEvening.toISOString() });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 1, participants: [participant(alice), away] })], totalUnread: 0 }));
  act(() => r.chat.openRoom(1));
  await act(() => vi.advanceTimersByTimeAsync(0));
  const log = screen.getByRole('log', { name: 'Conversation' });
  expect(within(log).getByRole('separator').textContent).toBe('Today');
  expect(screen.getByText(/Last seen/).textContent).toMatch(/^Last seen today at/);

  await act(() => vi.advanceTimersByTimeAsync(31_000));
  expect(within(log).getByRole('separator').textContent).toBe('Yesterday');
  expect(screen.getByText(/Last seen/).textContent).toMatch(/^Last seen yesterday at/);
});

it('catches up when the tab is shown again after the machine slept through midnight', () => {
  showList();
  // Asleep: the clock moves on, the timer does not fire.
  vi.setSystemTime(nextMorning);
  act(() => document.dispatchEvent(new Event('visibilitychange')));
  expect(listTimes()).toEqual([formatListTime(lateEvening.toISOString(), nextMorning)]);
});

it('keeps working day after day with one timer for the whole list, gone once the list is', () => {
  // Counted once react-virtuoso's own short timers (scrolling, measuring the rows drawn) have run out.
  const settledTimers = () => {
    act(() => vi.advanceTimersByTime(1500));
    return vi.getTimerCount();
  };
  const r = showList(5);
  expect(settledTimers()).toBe(1);
  act(() => vi.advanceTimersByTime(31_000 + 24 * 3600_000));
  expect(settledTimers()).toBe(1);
  // Two days on: neither today's time nor "Yesterday", a short date (nothing stuck on the first midnight).
  expect(listTimes()[0]).toBe(formatListTime(lateEvening.toISOString(), new Date()));
  expect(listTimes()[0]).not.toBe('Yesterday');
  r.unmount();
  expect(vi.getTimerCount()).toBe(0);
});
