/** The real browser behind ChatEnvironment: Page Visibility, Notification API, document.title. */
import type { ChatEnvironment } from './transport.ts';

export const browserEnvironment: ChatEnvironment = {
  isVisible: () => document.visibilityState === 'visible',
  onVisibilityChange(fn) {
    document.addEventListener('visibilitychange', fn);
    window.addEventListener('focus', fn);
    return () => {
      document.removeEventListener('visibilitychange', fn);
      window.removeEventListener('focus', fn);
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
};

/** Asks for notification permission once, from a user gesture (browsers ignore it otherwise). */
export function requestNotificationPermission(): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'default') return;
  Notification.requestPermission().catch((err: unknown) => console.warn('Notification permission request failed', err));
}
