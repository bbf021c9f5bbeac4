/** Sign in with username and password; a clear message on wrong credentials or throttling, and why the user is here (`notice`: the session ended). */
import { useRef, useState, type FormEvent } from 'react';
import { HttpChatError } from '@ecc/client';
import { ChatError } from '@ecc/protocol';

export function SignInPage({ onSignIn, notice }: { onSignIn: (username: string, password: string) => Promise<void>; notice?: string }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordRef = useRef<HTMLInputElement>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError('Please enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSignIn(username.trim(), password);
    } catch (err) {
      setError(messageFor(err));
      setBusy(false);
      // The button, disabled while signing in, lost the keyboard (to <body>): back to the password, selected to be typed over.
      passwordRef.current?.focus();
      passwordRef.current?.select();
    }
  };

  return (
    <main className="sign-in">
      <div className="sign-in-card">
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true">✦</span> E-Cleaner
        </div>
        <h1>Welcome back</h1>
        <p className="muted">Sign in to manage your cleaning jobs and chat with your cleaner.</p>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <label htmlFor="username">Username</label>
          {/* Usernames are matched exactly: a phone keyboard's capital first letter ("Client1") or correction would be refused. */}
          <input
            id="username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
          />
          <label htmlFor="password">Password</label>
          <input
            ref={passwordRef}
            id="password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
          {!error && notice && (
            <p className="form-error" role="alert">
              {notice}
            </p>
          )}
          {error && (
            <p className="form-error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
        <p className="demo-hint">
          Demo accounts: <code>client1</code>, <code>client2</code>, <code>cleaner1</code>, <code>cleaner2</code>, <code>support1</code> — password{' '}
          <code>demo</code>
        </p>
      </div>
    </main>
  );
}

function messageFor(err: unknown): string {
  if (err instanceof ChatError) {
    if (err.code === 'INVALID_CREDENTIALS' || err.code === 'UNAUTHORIZED') return 'Wrong username or password. Please try again.';
    if (err.code === 'RATE_LIMITED') return `Too many attempts. Please try again ${waitText(err)}.`;
    if (err.code === 'BAD_REQUEST') return 'Please enter your username and password.';
    return `Could not sign in: ${err.message}`;
  }
  return 'Could not sign in. Please try again.';
}

/** How long the server said to wait (its Retry-After: up to the whole 15-minute failure window), in words. */
function waitText(err: ChatError): string {
  const seconds = err instanceof HttpChatError ? err.retryAfterSeconds : undefined;
  if (seconds === undefined) return 'later';
  if (seconds <= 60) return 'in a minute';
  return `in ${Math.ceil(seconds / 60)} minutes`;
}
