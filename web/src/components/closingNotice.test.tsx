/** A finished job's room, open for its grace period, says when it closes (Room.closesAt) beside the message box. */
import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { flush, openRoomWith, renderChat } from '../test/renderChat.tsx';
import { alice, bob, message, room } from '../test/fixtures.ts';
import { formatTime } from '../format.ts';
import { ChatRoom } from './ChatRoom.tsx';

const CLOSES_AT = '2026-12-01T10:00:00.000Z';
const finished = (status: 'completed' | 'cancelled', extra = {}) =>
  room(1, { lastSeq: 2, job: { id: 1, title: 'Deep clean', status }, closesAt: CLOSES_AT, ...extra });

/** The notice near the message box, or null. */
const notice = () => screen.queryByText(/The chat closes/);

describe('the closing notice of a finished job’s room', () => {
  it('appears when the job is completed, with the day and time it closes, the message box still offered', async () => {
    const r = await openRoomWith();
    expect(notice()).toBeNull();
    act(() => r.transport.emit('room', { room: finished('completed') }));
    const shown = notice();
    expect(shown?.textContent).toMatch(/^This job is completed\. The chat closes on .+\.$/);
    expect(shown?.textContent).toContain(formatTime(CLOSES_AT));
    expect(shown?.textContent).toMatch(/Dec|12/);
    expect(screen.getByLabelText('Message')).toBeTruthy();
  });

  it('says the job was cancelled for a cancelled job, and shows in a room opened with it already set', async () => {
    const r = renderChat(<ChatRoom roomId={1} />);
    act(() => r.transport.emit('ready', { user: alice, rooms: [finished('cancelled')], totalUnread: 0 }));
    act(() => r.chat.openRoom(1));
    await flush();
    expect(notice()?.textContent).toMatch(/^This job was cancelled\. The chat closes on /);
  });

  it('is said once to a screen reader (a polite status), not again as messages and the same room arrive', async () => {
    const r = await openRoomWith();
    act(() => r.transport.emit('room', { room: finished('completed') }));
    await flush();
    const status = notice()?.closest('[role="status"]');
    if (!status) throw new Error('the notice is not in a status region');
    expect(status.getAttribute('aria-live') ?? 'polite').toBe('polite');
    const changes: MutationRecord[] = [];
    const observer = new MutationObserver((records) => changes.push(...records));
    observer.observe(status, { childList: true, subtree: true, characterData: true });
    act(() => r.transport.emit('message', { message: message(1, 3, bob, { content: 'Invoice photo tomorrow' }) }));
    act(() => r.transport.emit('room', { room: finished('completed', { lastSeq: 3, unread: 1 }) }));
    await flush();
    await new Promise((done) => setTimeout(done, 0));
    observer.disconnect();
    expect(changes).toEqual([]);
    expect(status.textContent).toMatch(/^This job is completed\. The chat closes on /);
  });

  it('is not shown for a running job, nor once the room has closed', async () => {
    const r = await openRoomWith();
    act(() => r.transport.emit('room', { room: room(1, { lastSeq: 2, job: { id: 1, title: 'Deep clean', status: 'in_progress' }, closesAt: null }) }));
    expect(notice()).toBeNull();
    act(() => r.transport.emit('room', { room: finished('completed') }));
    expect(notice()).not.toBeNull();
    act(() => r.transport.emit('room', { room: finished('completed', { isActive: false, closesAt: null }) }));
    expect(notice()).toBeNull();
    expect(screen.getByText(/This chat is closed/)).toBeTruthy();
  });
});
