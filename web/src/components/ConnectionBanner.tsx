/** Tells the user when the chat is offline or reconnecting, and that typed messages will wait. */
import { useEffect, useState } from 'react';
import { useChatSelector } from '../chat/ChatContext.tsx';

export function ConnectionBanner() {
  const text = useConnectionNotice();
  return (
    <div role="status" aria-live="polite" className={text ? 'connection-banner visible' : 'connection-banner'}>
      {text}
    </div>
  );
}

/**
 * The same words at the top of the chat panel, shown on a phone only: there the panel fills the
 * screen and covers the page's banner. Hidden from screen readers, which hear the page's banner
 * (a live region, covered but not gone), so it is not said twice.
 */
export function PanelConnectionNotice() {
  const text = useConnectionNotice();
  if (!text) return null;
  return (
    <p className="panel-connection-notice" aria-hidden="true">
      {text}
    </p>
  );
}

/** What to tell about the connection, or null while it works. */
function useConnectionNotice(): string | null {
  const connection = useChatSelector((s) => s.connection);
  const everReady = useChatSelector((s) => s.everReady);
  const tooManyTabs = useChatSelector((s) => s.tooManyTabs);
  const online = useBrowserOnline();
  if (!online) return 'You are offline. Messages you send will go out when the connection is back.';
  if (tooManyTabs) return 'Chat is open in too many tabs. This one connects when you close another.';
  if (connection === 'closed' && everReady) return 'Disconnected from chat. Please sign in again.';
  if (everReady && connection !== 'open') return 'Reconnecting to chat…';
  if (!everReady && connection === 'reconnecting') return 'Connecting to chat…';
  return null;
}

function useBrowserOnline(): boolean {
  const [online, setOnline] = useState(() => typeof navigator === 'undefined' || navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    window.addEventListener('online', update);
    window.addEventListener('offline', update);
    return () => {
      window.removeEventListener('online', update);
      window.removeEventListener('offline', update);
    };
  }, []);
  return online;
}
