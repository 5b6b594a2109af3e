import { useState, type FormEvent } from 'react';
import { ErrorNotice } from '@/components/ErrorPanel';
import { SubmitButton } from '@/components/SubmitButton';
import { TextField, VERBATIM_INPUT } from '@/components/TextField';
import { PageTitle } from '@/components/PageTitle';
import { ApiError } from '@/lib/http';
import { answerMfa, isChallenge, signIn, type AdminSession } from '../api/session';

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
  // Set once the password was accepted and Cognito asks for the authenticator app's code.
  const [mfaSession, setMfaSession] = useState<string | null>(null);
  const [code, setCode] = useState('');

  const submitPassword = async () => {
    if (!username.trim() || !password) {
      setError('Enter your username and password.');
      return;
    }
    const result = await signIn(username.trim(), password);
    setPassword('');
    if (isChallenge(result)) setMfaSession(result.session);
    else onSignedIn(result);
  };

  const submitCode = async (session: string) => {
    if (!/^[0-9]{6}$/.test(code.trim())) {
      setError('Enter the 6-digit code from your authenticator app.');
      return;
    }
    onSignedIn(await answerMfa(username.trim(), session, code.trim()));
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      if (mfaSession) await submitCode(mfaSession);
      else await submitPassword();
    } catch (e) {
      setError(mfaSession ? 'That code was not accepted. Sign in again.' : loginError(e));
      setPassword('');
      setCode('');
      setMfaSession(null);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="stack narrow">
      <PageTitle title="Admin sign-in">Admin sign-in</PageTitle>
      <form className="card form stack" noValidate onSubmit={submit} aria-label="Admin sign-in">
        {notice && <p className="notice notice--info">{notice}</p>}
        <ErrorNotice>{error}</ErrorNotice>
        {mfaSession ? (
          <TextField
            id="admin-code"
            label="Code from your authenticator app"
            inputMode="numeric"
            autoComplete="one-time-code"
            maxLength={6}
            autoFocus
            value={code}
            onValueChange={setCode}
          />
        ) : (
          <>
            <TextField
              id="admin-username"
              label="Username"
              autoComplete="username"
              {...VERBATIM_INPUT}
              value={username}
              onValueChange={setUsername}
            />
            <TextField
              id="admin-password"
              label="Password"
              type="password"
              autoComplete="current-password"
              value={password}
              onValueChange={setPassword}
            />
          </>
        )}
        <div>
          <SubmitButton busy={busy} busyLabel="Signing in…">
            {mfaSession ? 'Verify code' : 'Sign in'}
          </SubmitButton>
        </div>
      </form>
    </section>
  );
}
