import { describe, expect, it } from 'vitest';
import { FetchStatus } from './fetchStatus.ts';
import { FIRST_ITEM_INDEX_START, nextFirstItemIndex } from './firstItemIndex.ts';

describe('FetchStatus', () => {
  it('asks for the first page once, then allows one older page at a time until the oldest', () => {
    let f = FetchStatus.empty;
    expect(f.needsInitial()).toBe(true);
    expect(f.canLoadOlder()).toBe(false);
    f = f.startInitial();
    expect(f.needsInitial()).toBe(false);
    f = f.finishInitial(true);
    expect(f.canLoadOlder()).toBe(true);
    f = f.startOlder();
    expect(f.canLoadOlder()).toBe(false);
    f = f.finishOlder(false);
    expect(f.foundOldest).toBe(true);
    expect(f.canLoadOlder()).toBe(false);
  });

  it('remembers that the first page failed until it is asked for again', () => {
    let f = FetchStatus.empty.startInitial().failed();
    expect(f.initialFailed).toBe(true);
    expect(f.needsInitial()).toBe(true);
    f = f.startInitial();
    expect(f.initialFailed).toBe(false);
    expect(f.finishInitial(false).initialFailed).toBe(false);
  });

  it('knows a room whose first page holds everything has nothing older', () => {
    expect(FetchStatus.empty.startInitial().finishInitial(false).canLoadOlder()).toBe(false);
  });
});

describe('nextFirstItemIndex', () => {
  it('drops by exactly the number of prepended messages and stays put otherwise', () => {
    let index = FIRST_ITEM_INDEX_START;
    index = nextFirstItemIndex(index, undefined, 151);
    expect(index).toBe(FIRST_ITEM_INDEX_START);
    index = nextFirstItemIndex(index, 151, 101);
    expect(index).toBe(FIRST_ITEM_INDEX_START - 50);
    index = nextFirstItemIndex(index, 101, 101);
    expect(index).toBe(FIRST_ITEM_INDEX_START - 50);
  });
});
