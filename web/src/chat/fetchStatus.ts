/**
 * The infinite-scroll state of one room's message list (after Zulip's
 * fetch_status): whether the first page was loaded, whether an older page is
 * being fetched, and whether the oldest message was reached. Immutable, so the
 * store can keep it and React can compare it by reference.
 */
export class FetchStatus {
  private constructor(
    /** The first page (the latest messages) has arrived. */
    readonly initialLoaded: boolean,
    /** A request for the first page is in flight. */
    readonly loadingInitial: boolean,
    /** A request for an older page is in flight. */
    readonly loadingOlder: boolean,
    /** The room's first message is loaded: scrolling up has nothing more to fetch. */
    readonly foundOldest: boolean,
    /** The last request for the first page failed: there is nothing to show but the error and a retry. */
    readonly initialFailed: boolean,
  ) {}

  static readonly empty = new FetchStatus(false, false, false, false, false);

  /** True when the first page should be requested now. */
  needsInitial(): boolean {
    return !this.initialLoaded && !this.loadingInitial;
  }

  startInitial(): FetchStatus {
    return new FetchStatus(this.initialLoaded, true, this.loadingOlder, this.foundOldest, false);
  }

  /** `hasMore` is the server's answer: older messages exist before the page. */
  finishInitial(hasMore: boolean): FetchStatus {
    return new FetchStatus(true, false, this.loadingOlder, !hasMore, false);
  }

  /** True when scrolling up may fetch an older page now (one request at a time). */
  canLoadOlder(): boolean {
    return this.initialLoaded && !this.loadingOlder && !this.foundOldest;
  }

  startOlder(): FetchStatus {
    return new FetchStatus(this.initialLoaded, this.loadingInitial, true, this.foundOldest, this.initialFailed);
  }

  finishOlder(hasMore: boolean): FetchStatus {
    return new FetchStatus(this.initialLoaded, this.loadingInitial, false, !hasMore, this.initialFailed);
  }

  /** A failed request ends its loading flag so the user can try again. */
  failed(): FetchStatus {
    const initialFailed = this.initialFailed || (this.loadingInitial && !this.initialLoaded);
    return new FetchStatus(this.initialLoaded, false, false, this.foundOldest, initialFailed);
  }
}
