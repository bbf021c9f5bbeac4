/** The real browser behind ChatEnvironment: Page Visibility, Notification API, document.title, beforeunload. */
import type { ChatEnvironment } from './transport.ts';

/**
 * How long the user's last click, wheel, key or touch on the page, made since its window lost the
 * focus, keeps it "in use": one scrolled with the wheel without a click, or read with the focus left
 * in the address bar, is being read; one left alone behind another app is not. Input from before the
 * window lost the focus does not count (the last move before clicking into another app is not
 * someone still there), nor does a pointer merely passing over it (on its way to another screen).
 */
const IN_USE_AFTER_INPUT_MS = 30_000;
const INPUT_EVENTS = ['pointerdown', 'wheel', 'keydown', 'touchstart'] as const;
const INPUT_OPTIONS = { capture: true, passive: true };
let lastInputAt = Number.NEGATIVE_INFINITY;
let lastBlurAt = Number.NEGATIVE_INFINITY;
/** Told when input puts a window not in use in use, and when its 30 s run out. */
const inUseWatchers = new Set<() => void>();
let outOfUseTimer: ReturnType<typeof setTimeout> | undefined;

function inUse(): boolean {
  if (document.hasFocus()) return true;
  return lastInputAt > lastBlurAt && performance.now() - lastInputAt < IN_USE_AFTER_INPUT_MS;
}

/** The window's own blur (capturing, so it is noted before the watchers ask; an element's blur is not it). */
function onBlur(event: Event): void {
  if (event.target === window) lastBlurAt = performance.now();
}

function tellInUseWatchers(): void {
  for (const watcher of inUseWatchers) watcher();
}

function onInput(): void {
  const was = inUse();
  lastInputAt = performance.now();
  clearTimeout(outOfUseTimer);
  outOfUseTimer = setTimeout(() => {
    if (!inUse()) tellInUseWatchers();
  }, IN_USE_AFTER_INPUT_MS + 50);
  if (!was) tellInUseWatchers();
}

function watchInput(fn: () => void): () => void {
  if (inUseWatchers.size === 0) {
    for (const type of INPUT_EVENTS) window.addEventListener(type, onInput, INPUT_OPTIONS);
    window.addEventListener('blur', onBlur, true);
  }
  inUseWatchers.add(fn);
  return () => {
    inUseWatchers.delete(fn);
    if (inUseWatchers.size > 0) return;
    for (const type of INPUT_EVENTS) window.removeEventListener(type, onInput, INPUT_OPTIONS);
    window.removeEventListener('blur', onBlur, true);
    clearTimeout(outOfUseTimer);
  };
}

export const browserEnvironment: ChatEnvironment = {
  /**
   * Seen by the user: the tab in front AND its window in use (focused, or used since it lost the focus, in the last 30 s).
   * A window left in view behind another app (a second screen, a laptop left open) would otherwise
   * read every message that came, and the sender would see "Seen" with nobody there; such messages
   * wait, counted and notified, for the window to be used again.
   */
  isVisible: () => document.visibilityState === 'visible' && inUse(),
  onVisibilityChange(fn) {
    document.addEventListener('visibilitychange', fn);
    window.addEventListener('focus', fn);
    window.addEventListener('blur', fn);
    const stopWatchingInput = watchInput(fn);
    return () => {
      document.removeEventListener('visibilitychange', fn);
      window.removeEventListener('focus', fn);
      window.removeEventListener('blur', fn);
      stopWatchingInput();
    };
  },
  notify(title, body, onClick) {
    if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
    const n = new Notification(title, { body, tag: `ecc-${title}` });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  },
  setTitle(title) {
    document.title = title;
  },
  onLeave(isRisky) {
    const ask = (e: BeforeUnloadEvent) => {
      // The browser shows its own "Leave site?" question; the text is not customisable.
      if (isRisky()) e.preventDefault();
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  },
};

/** The tab's sessionStorage, or null where the browser refuses it (some privacy modes throw on access). */
export function tabStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/** The browser's localStorage, shared by the origin's tabs; null where storage is disabled (it throws then). */
export function sharedStorage(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** Asks for notification permission once, from a user gesture (browsers ignore it otherwise). */
export function requestNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  Notification.requestPermission().catch((err: unknown) => console.warn('Notification permission request failed', err));
}
