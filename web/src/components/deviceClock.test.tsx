/**
 * A phone whose clock is hours wrong. The times the server gives are right; the app takes "now" from
 * the server's clock (its time in `ready`), so a message being sent, "Today" and the last-seen day
 * agree with them instead of with the device.
 */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { ChatRoom } from './ChatRoom.tsx';
import { renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, participant, room } from '../test/fixtures.ts';
import { formatTime } from '../format.ts';
import { resetServerClock } from '../clock.ts';

/** Local times: the test holds in any time zone. The device is three hours behind the server. */
const serverNow = new Date(2026, 10, 26, 1, 30);
const deviceNow = new Date(2026, 10, 25, 22, 30);
const bobsLine = new Date(2026, 10, 26, 1, 29);

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(deviceNow);
});
afterEach(() => {
  vi.useRealTimers();
  resetServerClock();
});

async function roomAfterMidnight() {
  const r = renderChat(<ChatRoom roomId={1} />);
  r.transport.historyAnswer = () => ({ messages: [message(1, 1, bob, { content: 'At the door', createdAt: bobsLine.toISOString() })], hasMore: false });
  const away = participant(bob, { online: false, lastSeen: bobsLine.toISOString() });
  act(() => r.transport.emit('ready', { user: alice, rooms: [room(1, { lastSeq: 1, participants: [participant(alice), away] })], totalUnread: 0, serverTime: serverNow.toISOString() }));
  act(() => r.chat.openRoom(1));
  await act(() => vi.advanceTimersByTimeAsync(0));
  return r;
}

it('files what the server says happened just now under "Today", though the device still thinks it is yesterday', async () => {
  await roomAfterMidnight();
  const log = screen.getByRole('log', { name: 'Conversation' });
  expect(within(log).getAllByRole('separator').map((s) => s.textContent)).toEqual(['Today']);
  expect(screen.getByText(/Last seen/).textContent).toMatch(/^Last seen today at/);
});

it('stamps a message being sent with the time it will have once stored, under the same day as the one before', async () => {
  await roomAfterMidnight();
  fireEvent.change(screen.getByLabelText('Message'), { target: { value: 'Coming down' } });
  fireEvent.click(screen.getByRole('button', { name: 'Send' }));
  await act(() => vi.advanceTimersByTimeAsync(0));
  const log = screen.getByRole('log', { name: 'Conversation' });
  const mine = within(log).getAllByRole('article', { name: 'From You' });
  expect(mine).toHaveLength(1);
  expect(mine[0]?.querySelector('time')?.textContent).toBe(formatTime(serverNow.toISOString()));
  expect(within(log).getAllByRole('separator').map((s) => s.textContent)).toEqual(['Today']);
});
