/** The real browser behind ChatEnvironment: Page Visibility, Notification API, document.title, beforeunload. */
import type { ChatEnvironment } from './transport.ts';

export const browserEnvironment: ChatEnvironment = {
  /**
   * Seen by the user: the tab in front AND the window in use. A window left visible behind another
   * app (a second screen, a laptop left open) would otherwise read every message that came, and the
   * sender would see "Seen" with nobody there; such messages wait, counted and notified, for the
   * window to be used again.
   */
  isVisible: () => document.visibilityState === 'visible' && document.hasFocus(),
  onVisibilityChange(fn) {
    document.addEventListener('visibilitychange', fn);
    window.addEventListener('focus', fn);
    window.addEventListener('blur', fn);
    return () => {
      document.removeEventListener('visibilitychange', fn);
      window.removeEventListener('focus', fn);
      window.removeEventListener('blur', fn);
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
