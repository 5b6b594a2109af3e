import { useState, type FormEvent } from 'react';
import { Field } from '../../../components/Field';
import { PageTitle } from '../../../components/PageTitle';
import { ApiError } from '../../../lib/http';
import { signIn, type AdminSession } from '../api/session';

function loginError(error: unknown): string {
  if (error instanceof ApiError && (error.code === 'invalid_credentials' || error.status === 401)) {
    return 'Incorrect username or password.';
  }
  return error instanceof ApiError ? error.message : 'Could not sign in. Please try again.';
}

export function AdminLogin({ notice, onSignedIn }: { notice: string | null; onSignedIn: (s: AdminSession) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (!username.trim() || !password) {
      setError('Enter your username and password.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      onSignedIn(await signIn(username.trim(), password));
    } catch (e) {
      setError(loginError(e));
      setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="stack narrow">
      <PageTitle title="Admin sign-in">Admin sign-in</PageTitle>
      <form className="card form stack" noValidate onSubmit={submit} aria-label="Admin sign-in">
        {notice && <p className="notice notice--info">{notice}</p>}
        {error && (
          <p className="notice notice--error" role="alert">
            {error}
          </p>
        )}
        <Field id="admin-username" label="Username">
          {(control) => (
            <input
              {...control}
              className="input"
              autoComplete="username"
              autoCapitalize="none"
              spellCheck={false}
              value={username}
              onChange={(e) => setUsername(e.target.value)}
            />
          )}
        </Field>
        <Field id="admin-password" label="Password">
          {(control) => (
            <input
              {...control}
              className="input"
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
        <div>
          <button type="submit" className="button" aria-disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </div>
      </form>
    </section>
  );
}
