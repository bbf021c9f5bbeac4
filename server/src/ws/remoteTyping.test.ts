import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClusterEvent, Topic } from '../fanout/bus.ts';
import { REMOTE_TYPING_GRACE_MS, RemoteTypingExpiry } from './remoteTyping.ts';

const typing = (isTyping: boolean, userId = 1, roomId = 9): ClusterEvent => ({
  kind: 'frame',
  frame: { type: 'typing', roomId, userId, username: `u${userId}`, isTyping },
  exceptUserId: userId,
});

describe('RemoteTypingExpiry', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  function setUp() {
    vi.useFakeTimers();
    const delivered: { topic: Topic; event: ClusterEvent }[] = [];
    const expiry = new RemoteTypingExpiry((topic, event) => delivered.push({ topic, event }), 6000);
    return { delivered, expiry, window: 6000 + REMOTE_TYPING_GRACE_MS };
  }

  it('ends a true from another node that nothing refreshed or ended, for the local sockets but the typer’s', () => {
    const { delivered, expiry, window } = setUp();
    expiry.observe('room:9', typing(true));
    vi.advanceTimersByTime(window - 1);
    expect(delivered).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(delivered).toEqual([{ topic: 'room:9', event: typing(false) }]);
  });

  it('waits again after each refreshing true, and forgets a true its node ended', () => {
    const { delivered, expiry, window } = setUp();
    expiry.observe('room:9', typing(true));
    vi.advanceTimersByTime(window - 1000);
    expiry.observe('room:9', typing(true));
    vi.advanceTimersByTime(window - 1);
    expect(delivered).toEqual([]);
    expiry.observe('room:9', typing(false));
    // Another user and room are their own.
    expiry.observe('room:7', typing(true, 2, 7));
    vi.advanceTimersByTime(window);
    expect(delivered).toEqual([{ topic: 'room:7', event: typing(false, 2, 7) }]);
    expiry.observe('room:7', typing(true, 2, 7));
    expiry.close();
    vi.advanceTimersByTime(window);
    expect(delivered).toHaveLength(1);
  });
});
