import { render } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Avatar, initialsOf } from './Avatar.tsx';

describe('Avatar', () => {
  it('shows the first letters of the first two words', () => {
    expect(initialsOf('Bob Cleaner')).toBe('BC');
    expect(initialsOf('  ann   marie  smith ')).toBe('AM');
    expect(initialsOf('محمد علي')).toBe('مع');
  });

  it('never shows half an emoji, nor an invisible zero-width character, as an initial', () => {
    const { container } = render(<Avatar name={'😀 Carol Client'} />);
    expect(container.textContent).toBe('CC');
    expect(initialsOf('\u200BDan\u200B Cleaner')).toBe('DC');
    expect(initialsOf('\u{1D49C}lice Stone')).toBe('\u{1D49C}S');
  });

  it('shows "?" for a name without letters or digits', () => {
    const { container } = render(<Avatar name="😀 ✨" />);
    expect(container.textContent).toBe('?');
  });
});
