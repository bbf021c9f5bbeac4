/** The top navigation: brand, who is signed in, Contact support, the Chats button and Sign out. */
import { useState } from 'react';
import type { ApiClient } from '@ecc/client';
import type { User } from '@ecc/protocol';
import { describeError } from '../chat/describeError.ts';
import { useChat } from '../chat/ChatContext.tsx';
import { ChatButton } from './ChatButton.tsx';
import { showRoom } from './showRoom.ts';

const ROLE_LABEL: Record<User['role'], string> = { client: 'Client', cleaner: 'Cleaner', support: 'Support' };
/** A role a newer server added (the client library keeps its string) has no badge. */
const roleLabel = (role: string): string | undefined => (Object.hasOwn(ROLE_LABEL, role) ? ROLE_LABEL[role as User['role']] : undefined);

export function NavBar({ user, api, onSignOut }: { user: User; api: ApiClient; onSignOut: () => void }) {
  const chat = useChat();
  const [busy, setBusy] = useState(false);

  const contactSupport = async () => {
    setBusy(true);
    try {
      const room = await api.openSupport();
      showRoom(chat, room);
    } catch (err) {
      chat.showNotice(`Could not open the support chat: ${describeError(err)}`);
      chat.togglePanel(true);
    } finally {
      setBusy(false);
    }
  };

  return (
    <header className="navbar">
      <nav aria-label="Main">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">✦</span> E-Cleaner
        </div>
        <div className="nav-actions">
          <span className="nav-user">
            <span className="nav-user-name" title={user.displayName} dir="auto">
              {user.displayName}
            </span>{' '}
            {roleLabel(user.role) && <span className="role-chip">{roleLabel(user.role)}</span>}
          </span>
          {user.role !== 'support' && (
            <button type="button" className="ghost" aria-label="Contact support" onClick={() => void contactSupport()} disabled={busy}>
              <span className="nav-long">Contact </span>
              <span className="nav-short">support</span>
            </button>
          )}
          <ChatButton />
          <button type="button" className="ghost" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </nav>
    </header>
  );
}
