/**
 * Whether the open chat panel covers the page: on a phone it fills the screen (screens.css), and
 * the page under it must then be out of reach of Tab and screen readers too (`inert`), or focus
 * wanders off to controls nobody can see.
 */
import { useSyncExternalStore } from 'react';
import { useChatSelector } from '../chat/ChatContext.tsx';

/** Where screens.css has the panel fill the screen (a phone, upright or sideways): keep the two in step. */
const PHONE_LAYOUT = '(max-width: 640px), (max-height: 500px) and (max-width: 932px)';

export function usePanelCoversPage(): boolean {
  const open = useChatSelector((s) => s.panelOpen);
  const phone = useSyncExternalStore(subscribeToLayout, isPhoneLayout, () => false);
  return open && phone;
}

function isPhoneLayout(): boolean {
  return typeof window.matchMedia === 'function' && window.matchMedia(PHONE_LAYOUT).matches;
}

function subscribeToLayout(onChange: () => void): () => void {
  if (typeof window.matchMedia !== 'function') return () => undefined;
  const query = window.matchMedia(PHONE_LAYOUT);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
