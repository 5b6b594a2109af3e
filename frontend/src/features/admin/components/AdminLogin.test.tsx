import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { AdminLogin } from './AdminLogin';

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const fetchMock = vi.fn<typeof fetch>();
const SESSION = 'c'.repeat(40);

function bodies(): unknown[] {
  return fetchMock.mock.calls.map(([, init]) => JSON.parse(String(init?.body)));
}

/** Renders the sign-in form and submits a username and password. */
async function signInAs(password: string) {
  const onSignedIn = vi.fn();
  const user = userEvent.setup();
  render(<AdminLogin notice={null} onSignedIn={onSignedIn} />);
  await user.type(screen.getByLabelText('Username'), 'admin');
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
  return { onSignedIn, user };
}

describe('AdminLogin', () => {
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });

  it('asks for the authenticator code when the password step answers mfaRequired', async () => {
    fetchMock
      .mockResolvedValueOnce(json(200, { mfaRequired: true, session: SESSION }))
      .mockResolvedValueOnce(json(200, { token: 'id-token', expiresAt: '2099-01-01T00:00:00Z' }));
    const { onSignedIn, user } = await signInAs('Secret-password-1');
    const code = await screen.findByLabelText('Code from your authenticator app');
    expect(onSignedIn).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Verify code' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('6-digit code');
    await user.type(code, '123456');
    await user.click(screen.getByRole('button', { name: 'Verify code' }));
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledWith({ token: 'id-token', expiresAt: '2099-01-01T00:00:00Z' }));
    expect(bodies()).toEqual([
      { username: 'admin', password: 'Secret-password-1' },
      { username: 'admin', session: SESSION, code: '123456' },
    ]);
  });

  it('signs in at once when the pool asks no code, and starts over after a refused code', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { token: 't', expiresAt: '2099-01-01T00:00:00Z' }));
    const { onSignedIn, user } = await signInAs('pw');
    await waitFor(() => expect(onSignedIn).toHaveBeenCalledTimes(1));

    fetchMock
      .mockResolvedValueOnce(json(200, { mfaRequired: true, session: SESSION }))
      .mockResolvedValueOnce(json(401, { error: { code: 'invalid_credentials', message: 'The code is wrong.' } }));
    await user.type(screen.getByLabelText('Password'), 'pw');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await user.type(await screen.findByLabelText('Code from your authenticator app'), '000000');
    await user.click(screen.getByRole('button', { name: 'Verify code' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('not accepted');
    expect(screen.getByLabelText('Password')).toHaveValue('');
    expect(onSignedIn).toHaveBeenCalledTimes(1);
  });
});
