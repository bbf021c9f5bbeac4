/** Tells the user when the chat is offline or reconnecting, and that typed messages will wait. */
import { useEffect, useState } from 'react';
import { useChatSelector } from '../chat/ChatContext.tsx';

export function ConnectionBanner() {
  const connection = useChatSelector((s) => s.connection);
  const everReady = useChatSelector((s) => s.everReady);
  const tooManyTabs = useChatSelector((s) => s.tooManyTabs);
  const online = useBrowserOnline();
  let text: string | null = null;
  if (!online) text = 'You are offline. Messages you send will go out when the connection is back.';
  else if (tooManyTabs) text = 'Chat is open in too many tabs. This one connects when you close another.';
  else if (connection === 'closed' && everReady) text = 'Disconnected from chat. Please sign in again.';
  else if (everReady && connection !== 'open') text = 'Reconnecting to chat…';
  else if (!everReady && connection === 'reconnecting') text = 'Connecting to chat…';
  return (
    <div role="status" aria-live="polite" className={text ? 'connection-banner visible' : 'connection-banner'}>
      {text}
    </div>
  );
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
