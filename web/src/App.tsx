/** The app shell: restores the session from the cookie, shows sign in or the marketplace with its chat. */
import { useEffect, useRef, useState } from 'react';
import { ApiClient } from '@ecc/client';
import { ChatError, type User } from '@ecc/protocol';
import { ChatProvider } from './chat/ChatContext.tsx';
import type { ChatController } from './chat/controller.ts';
import { createChatController, forgetEndedSession, holdUnsent, type HeldUnsent } from './session.ts';
import { isEmpty } from './chat/savedChat.ts';
import { syncPanelHistory } from './chat/panelHistory.ts';
import { useSessionRestore } from './restoreSession.ts';
import { guardFileDrops } from './fileDropGuard.ts';
import { SignInPage } from './pages/SignInPage.tsx';
import { JobsPage } from './pages/JobsPage.tsx';
import { NavBar } from './components/NavBar.tsx';
import { FloatingChatPanel } from './components/FloatingChatPanel.tsx';
import { ConnectionBanner } from './components/ConnectionBanner.tsx';
import { UnderChatPanel } from './components/UnderChatPanel.tsx';

type Session =
  | { status: 'loading' }
  | { status: 'signed-out'; notice?: string; held?: HeldUnsent }
  | { status: 'signed-in'; user: User; chat: ChatController };

export function App({ api }: { api: ApiClient }) {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [signOutError, setSignOutError] = useState<string | null>(null);
  // Signing out here ends the socket with 4401 too: that is not a session ended elsewhere to tell about.
  const signingOut = useRef(false);

  // A file dropped beside the open room must not make the browser leave the app for it.
  useEffect(() => guardFileDrops(window), []);

  // A 401 alone means no session: the server restarting or the network gone says nothing about it.
  const restore = useSessionRestore(
    api,
    (user) => setSession(user ? signIn(user, api) : { status: 'signed-out' }),
    // Kept for a reload only while the session lives.
    forgetEndedSession,
  );

  // The server ends the socket with 4401 when the session ends (sign out in
  // another tab, expiry): confirm with /api/me and return to the sign-in page.
  useEffect(() => {
    if (session.status !== 'signed-in') return;
    const { chat } = session;
    let checking = false;
    return chat.store.subscribe(() => {
      const s = chat.state;
      if (checking || s.connection !== 'closed' || !s.everReady) return;
      checking = true;
      api.me().then(
        () => {
          checking = false;
        },
        (err: unknown) => {
          if (err instanceof ChatError && err.code === 'UNAUTHORIZED') {
            if (signingOut.current) return;
            // Said on the sign-in page: the user was typing here a moment ago and must know why it is gone.
            // What was not sent waits in memory (not in the tab's storage) for the same user to sign in again here.
            const held = hasUnsent(chat) ? holdUnsent(session.user.id) : undefined;
            // Held only through the tab's storage: when it is unavailable (disabled, full) they are gone.
            const kept = !held ? '' : !isEmpty(held.data) ? ' What you had not sent yet (messages, drafts, edits, deletions) comes back when you sign in again here.' : ' What you had not sent yet was not kept.';
            chat.disconnect();
            setSession({ status: 'signed-out', notice: `You were signed out: your session ended. Please sign in again.${kept}`, held });
          } else {
            checking = false;
            console.warn('Could not check the session', err);
          }
        },
      );
    });
  }, [api, session]);

  // The browser's Back steps out of the chat panel (room → list → closed) instead of leaving the page;
  // a reload comes back to the room or list it was on (this user's only).
  useEffect(() => (session.status === 'signed-in' ? syncPanelHistory(session.chat, window, session.user.id) : undefined), [session]);

  if (session.status === 'loading') {
    if (!restore.unreachable) return <p className="page-loading">Loading…</p>;
    return (
      <div className="page-loading" role="status">
        <p>Cannot reach the server. Trying again…</p>
        <button type="button" onClick={restore.retryNow}>
          Try now
        </button>
      </div>
    );
  }
  if (session.status === 'signed-out') {
    return (
      <SignInPage
        notice={session.notice}
        onSignIn={async (username, password) => {
          const { user } = await api.login(username, password);
          // The HttpOnly cookie authenticates from here on; no token kept in JS.
          api.setToken(undefined);
          signingOut.current = false;
          setSession(signIn(user, api, session.held));
          // A new page, seen from its top: the browser would keep the sign-in form's scroll (on a
          // small or zoomed screen, scrolled down to its button), hiding the jobs page's heading.
          window.scrollTo(0, 0);
        }}
      />
    );
  }

  const signOut = async () => {
    const { chat } = session;
    if (chat.isSending() && !window.confirm('A message or an edit is still being sent and will be lost if you sign out now. Sign out anyway?')) return;
    signingOut.current = true;
    try {
      await api.logout();
    } catch (err) {
      // Unless the session has ended already, it lives on in the cookie: showing the sign-in page now
      // would sign the user back in on the next visit (a shared computer).
      if (!(err instanceof ChatError && err.code === 'UNAUTHORIZED')) {
        console.warn('Sign out request failed', err);
        const why = err instanceof ChatError ? 'the server could not end the session' : 'the server cannot be reached';
        setSignOutError(`Could not sign out: ${why}. You are still signed in; please try again.`);
        signingOut.current = false;
        return;
      }
    }
    setSignOutError(null);
    chat.disconnect();
    setSession({ status: 'signed-out' });
  };

  return (
    <ChatProvider controller={session.chat}>
      <UnderChatPanel>
        <NavBar user={session.user} api={api} onSignOut={() => void signOut()} />
        {signOutError && (
          <div className="notice" role="alert">
            {signOutError}
            <button type="button" aria-label="Dismiss" onClick={() => setSignOutError(null)}>
              ×
            </button>
          </div>
        )}
      </UnderChatPanel>
      {/* Never inert: a screen reader hears it on a phone too (the panel shows its words: PanelConnectionNotice). */}
      <ConnectionBanner />
      <UnderChatPanel>
        <main className="page">
          <JobsPage user={session.user} api={api} />
        </main>
      </UnderChatPanel>
      <FloatingChatPanel />
    </ChatProvider>
  );
}

/** Typed or picked and not sent: a message on its way or failed, a draft, an edit in progress or on its way, a deletion on its way. */
function hasUnsent(chat: ChatController): boolean {
  const { roomMessages, drafts, deleting } = chat.state;
  return (
    deleting.length > 0 ||
    Object.values(roomMessages).some((rm) => rm.pending.length > 0) ||
    Object.values(drafts).some((d) => d.text.trim() !== '' || d.attachment !== null || d.edit !== null || d.saving.length > 0)
  );
}

function signIn(user: User, api: ApiClient, held?: HeldUnsent): Session {
  const chat = createChatController(user, api, held);
  chat.connect();
  return { status: 'signed-in', user, chat };
}
