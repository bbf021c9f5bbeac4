/** Runs a callback each time the chat's socket is back after being lost (not on the first connect). */
import { useEffect, useRef } from 'react';
import { useChatSelector } from '../chat/ChatContext.tsx';

/**
 * `onBack` runs when the connection is open again after having been open and lost (a server
 * restart, the network gone). What the page loaded over HTTP may be stale by then: changes made
 * meanwhile sent their events to a socket that was not there.
 */
export function useOnReconnect(onBack: () => void): void {
  const connection = useChatSelector((s) => s.connection);
  const seen = useRef<'never-open' | 'open' | 'lost'>('never-open');
  useEffect(() => {
    if (connection === 'open') {
      if (seen.current === 'lost') onBack();
      seen.current = 'open';
    } else if (seen.current === 'open') {
      seen.current = 'lost';
    }
  }, [connection, onBack]);
}
