import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ReactNode } from 'react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { formatDateKey } from '@/lib/time';
import type { Expert, SlotDay } from '@/lib/types';
import { fullDays } from './fullDays';
import { WaitlistPanel } from './WaitlistPanel';
import { WaitlistVerifyPage } from './WaitlistVerifyPage';

const fetchMock = vi.fn<typeof fetch>();
const json = (status: number, body: unknown) =>
  new Response(body === undefined ? '' : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
const EXPERT = { id: 'exp-1', name: 'Ada Lovelace', timezone: 'Europe/London' } as Expert;
const slot = (start: string, available: boolean) => ({ start, end: start, available });
const DAYS: SlotDay[] = [
  { date: '2099-03-21', slots: [slot('2099-03-21T09:00:00Z', false), slot('2099-03-21T10:00:00Z', false)] },
  { date: '2099-03-22', slots: [slot('2099-03-22T09:00:00Z', true), slot('2099-03-22T10:00:00Z', false)] },
  { date: '2099-03-23', slots: [] },
  { date: '2099-03-24', slots: [slot('2099-03-24T09:00:00Z', false)] },
];

function wrap(children: ReactNode, path = '/') {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter([{ path: '*', element: children }], { initialEntries: [path] });
  const view = render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...view, router };
}

describe('waitlist', () => {
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
  });

  it('offers only days with sessions ahead and none free', () => {
    expect(fullDays(DAYS, Date.parse('2099-01-01T00:00:00Z'))).toEqual(['2099-03-21', '2099-03-24']);
    expect(fullDays(DAYS, Date.parse('2099-03-21T12:00:00Z'))).toEqual(['2099-03-24']); // the 21st is over
  });

  it('joins the chosen full day and says to check the inbox', async () => {
    fetchMock.mockResolvedValueOnce(json(202, undefined));
    const user = userEvent.setup();
    wrap(<WaitlistPanel expert={EXPERT} days={DAYS} />);
    expect(screen.getByRole('heading', { name: `Join the waitlist for ${formatDateKey('2099-03-21')}` })).toBeVisible();
    await user.selectOptions(screen.getByLabelText('Day'), '2099-03-24');
    expect(screen.getByRole('heading', { name: `Join the waitlist for ${formatDateKey('2099-03-24')}` })).toBeVisible();
    await user.click(screen.getByRole('button', { name: 'Join the waitlist' }));
    expect(await screen.findByText(/Enter your email address/)).toBeVisible();
    expect(fetchMock).not.toHaveBeenCalled();
    await user.click(screen.getByLabelText('Email'));
    await user.paste('wait@example.com');
    await user.click(screen.getByRole('button', { name: 'Join the waitlist' }));
    expect(await screen.findByRole('status')).toHaveTextContent('We have sent a link to wait@example.com');
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toMatch(/\/experts\/exp-1\/waitlist$/);
    expect(JSON.parse(String(init?.body))).toEqual({ email: 'wait@example.com', date: '2099-03-24' });
  }, 30_000); // a busy 2-core machine renders slowly; this bounds a hang, it measures nothing

  it('shows nothing when no day is full', () => {
    const { container } = wrap(<WaitlistPanel expert={EXPERT} days={[DAYS[1]]} />);
    expect(container).toBeEmptyDOMElement();
  });

  it('confirms from the emailed link and drops the token from the address', async () => {
    fetchMock.mockResolvedValueOnce(json(200, { expertId: 'exp-1', date: '2099-03-21' }));
    const { router } = wrap(<WaitlistVerifyPage />, '/waitlist/verify?expert=exp-1&token=abc');
    expect(await screen.findByRole('status')).toHaveTextContent(`You're on the waitlist for ${formatDateKey('2099-03-21')}`);
    const [url, init] = fetchMock.mock.calls[0];
    expect(String(url)).toMatch(/\/experts\/exp-1\/waitlist\/verify$/);
    expect(JSON.parse(String(init?.body))).toEqual({ token: 'abc' });
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(router.state.location.search).toBe('?expert=exp-1');
    expect(screen.getByRole('link', { name: "See this expert's times" })).toHaveAttribute('href', '/experts/exp-1');
  });

  it('says when the link expired or is not valid', async () => {
    fetchMock.mockResolvedValueOnce(json(404, { error: { code: 'waitlist_entry_not_found', message: 'x' } }));
    wrap(<WaitlistVerifyPage />, '/waitlist/verify?expert=exp-1&token=old');
    expect(await screen.findByRole('alert')).toHaveTextContent('has expired');
    fetchMock.mockResolvedValueOnce(json(401, { error: { code: 'unauthorized', message: 'x' } }));
    wrap(<WaitlistVerifyPage />, '/waitlist/verify?expert=exp-1&token=forged');
    await waitFor(() => expect(screen.getAllByRole('alert')[1]).toHaveTextContent('not valid'));
  });
});
