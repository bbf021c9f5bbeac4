/** Page content the chat panel covers on a phone: inert while it does (panelCoversPage.ts). */
import type { ReactNode } from 'react';
import { usePanelCoversPage } from './panelCoversPage.ts';

export function UnderChatPanel({ children }: { children: ReactNode }) {
  const covered = usePanelCoversPage();
  // display: contents: a wrapper for the attribute only, no box of its own (the navigation stays sticky).
  return (
    <div className="under-chat-panel" inert={covered}>
      {children}
    </div>
  );
}
