/** The conversation's keys are told, not left to be found: the arrow keys and Enter do what a Tab used to. */
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { openRoomWith } from '../test/renderChat.tsx';
import { bob, message } from '../test/fixtures.ts';

describe('the conversation says how to move in it by keyboard', () => {
  it('is described by a hint naming the arrow keys and Enter', async () => {
    await openRoomWith([message(1, 1, bob, { content: 'Where are the keys?' })]);
    const described = (screen.getByRole('log', { name: 'Conversation' }).getAttribute('aria-describedby') ?? '')
      .split(' ')
      .map((id) => document.getElementById(id)?.textContent ?? '')
      .join(' ');
    expect(described).toMatch(/arrow keys/i);
    expect(described).toMatch(/Enter/);
  });
});
