/** Several messages in a row from one person: their name heads the run instead of every message. */
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openRoomWith } from '../test/renderChat.tsx';
import { alice, bob, message } from '../test/fixtures.ts';

const at = (hour: number, minute: number) => new Date(2026, 10, 25, hour, minute).toISOString();

describe('message runs', () => {
  it('names the sender once per run of close messages, again after a pause or another sender', async () => {
    const messages = [
      message(1, 1, bob, { content: 'On my way', createdAt: at(10, 0) }),
      message(1, 2, bob, { content: 'Traffic is bad', createdAt: at(10, 1) }),
      message(1, 3, bob, { content: 'There in 20', createdAt: at(10, 4) }),
      message(1, 4, alice, { content: 'No rush', createdAt: at(10, 5) }),
      message(1, 5, alice, { content: 'Door code 4512', createdAt: at(10, 5) }),
      message(1, 6, bob, { content: 'Arrived', createdAt: at(10, 30) }),
      message(1, 7, bob, { content: 'Starting with the kitchen', createdAt: at(10, 40) }),
    ];
    await openRoomWith(messages);

    const log = screen.getByRole('log', { name: 'Conversation' });
    const articles = within(log).getAllByRole('article');
    expect(articles.map((a) => a.getAttribute('aria-label'))).toEqual([
      'From Bob Cleaner',
      'From Bob Cleaner',
      'From Bob Cleaner',
      'From You',
      'From You',
      'From Bob Cleaner',
      'From Bob Cleaner',
    ]);
    // The name shown: at the start of each run; every message keeps its own time.
    const named = articles.map((a) => /^(Bob Cleaner|You)/.exec(a.textContent ?? '')?.[1] ?? null);
    expect(named).toEqual(['Bob Cleaner', null, null, 'You', null, 'Bob Cleaner', 'Bob Cleaner']);
    expect(articles.every((a) => a.querySelector('time') !== null)).toBe(true);
  });

  it('keeps one run under one day when nodes whose clocks differ a little stored the messages, across midnight', async () => {
    // In seq order; the second went through a node two seconds behind: its time is before the first's, and before midnight.
    const messages = [
      message(1, 1, bob, { content: 'Almost done', createdAt: new Date(2026, 10, 26, 0, 0, 1).toISOString() }),
      message(1, 2, bob, { content: 'Just the floor left', createdAt: new Date(2026, 10, 25, 23, 59, 59).toISOString() }),
      message(1, 3, bob, { content: 'Done!', createdAt: new Date(2026, 10, 26, 0, 0, 30).toISOString() }),
    ];
    await openRoomWith(messages);

    const log = screen.getByRole('log', { name: 'Conversation' });
    expect(within(log).getAllByRole('separator')).toHaveLength(1);
    const named = within(log).getAllByRole('article').map((a) => /^Bob Cleaner/.test(a.textContent ?? ''));
    expect(named).toEqual([true, false, false]);
  });
});
