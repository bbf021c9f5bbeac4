import { describe, expect, it } from 'vitest';
import { targetIndex } from './listNavigation.ts';

describe('targetIndex', () => {
  it('moves one row with the arrows, stopping at either end', () => {
    expect(targetIndex('ArrowDown', 3, 10)).toBe(4);
    expect(targetIndex('ArrowUp', 3, 10)).toBe(2);
    expect(targetIndex('ArrowDown', 9, 10)).toBe(9);
    expect(targetIndex('ArrowUp', 0, 10)).toBe(0);
  });

  it('jumps to the first and the last row with Home and End', () => {
    expect(targetIndex('Home', 7, 3000)).toBe(0);
    expect(targetIndex('End', 7, 3000)).toBe(2999);
  });

  it('ignores other keys and empty lists', () => {
    expect(targetIndex('Enter', 3, 10)).toBeNull();
    expect(targetIndex('a', 3, 10)).toBeNull();
    expect(targetIndex('ArrowDown', 0, 0)).toBeNull();
  });
});
