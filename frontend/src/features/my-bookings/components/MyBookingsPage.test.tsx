import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readTokens, saveBookingToken, saveEmailToken } from '@/lib/accessTokens';
import type { Booking } from '@/lib/types';
import { iso, makeBooking } from '@/test/booking';
import { MyBookingsPage } from './MyBookingsPage';
import { VerifyPage } from './VerifyPage';

const FUTURE = new Date(Date.now() + 3 * 86_400_000);
const booking = (over: Partial<Booking> = {}) => makeBooking(FUTURE.getTime(), { status: 'pending', ...over });
const TOMORROW = iso(Date.now() + 86_400_000);

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** fetch() answering by "METHOD path?query"; unknown requests fail the test with a 599. */
const fetchMock = vi.fn<typeof fetch>();
function answer(routes: Record<string, () => Response>) {
  fetchMock.mockImplementation(async (input, init) => {
    const url = new URL(String(input));
    const key = `${init?.method ?? 'GET'} ${url.pathname}${url.search}`;
    return routes[key]?.() ?? json(599, { error: { code: 'unexpected', message: key } });
  });
}
const call = (key: string) =>
  fetchMock.mock.calls.find(([input, init]) => {
    const url = new URL(String(input));
    return `${init?.method ?? 'GET'} ${url.pathname}${url.search}` === key;
  });
const bearer = (key: string) => (call(key)?.[1]?.headers as Record<string, string> | undefined)?.Authorization;

function renderAt(path: string) {
  const router = createMemoryRouter(
    [
      { path: '/my-bookings', element: <MyBookingsPage /> },
      { path: '/verify', element: <VerifyPage /> },
      { path: '/experts/:id', element: <p>Expert page</p> },
    ],
    { initialEntries: [path] },
  );
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return router;
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  window.__APP_CONFIG__ = { apiBaseUrl: 'http://api.test' };
});

describe('My bookings', () => {
  it('exchanges an access link, drops it from the address, and lists that email’s bookings', async () => {
    answer({
      'POST /bookings/access-token': () =>
        json(200, { email: 'asha@example.com', accessToken: 'email-tok', expiresAt: TOMORROW }),
      'GET /bookings?email=asha%40example.com': () => json(200, { items: [booking(), booking({ id: 'bk2' })] }),
    });
    const router = renderAt('/my-bookings?token=link-tok');

    expect(await screen.findAllByTestId('my-booking')).toHaveLength(2);
    expect(router.state.location.search).toBe('');
    expect(JSON.parse(String(call('POST /bookings/access-token')?.[1]?.body))).toEqual({ token: 'link-tok' });
    expect(bearer('GET /bookings?email=asha%40example.com')).toBe('Bearer email-tok');
    expect(screen.getByTestId('my-bookings-scope')).toHaveTextContent('All bookings for asha@example.com');
    expect(readTokens().emails['asha@example.com'].token).toBe('email-tok');
  });

  it('keeps a reminder’s manage link as that booking’s token and shows that booking', async () => {
    answer({ 'GET /bookings/bk1': () => json(200, booking({ status: 'confirmed' })) });
    const router = renderAt('/my-bookings?booking=bk1&manage=bk1-tok');

    const [item] = await screen.findAllByTestId('my-booking');
    expect(within(item).getByTestId('status-badge')).toHaveTextContent('Confirmed');
    expect(router.state.location.search).toBe('?booking=bk1'); // the token left the address; the booking stays
    expect(bearer('GET /bookings/bk1')).toBe('Bearer bk1-tok');
    expect(call('POST /bookings/access-token')).toBeUndefined();
    expect(readTokens().bookings.bk1).toMatchObject({ email: 'asha@example.com', token: 'bk1-tok' });
    expect(readTokens().emails).toEqual({});
  });

  it('explains an expired access link and offers a new one', async () => {
    answer({
      'POST /bookings/access-token': () => json(401, { error: { code: 'unauthorized', message: 'expired' } }),
    });
    const router = renderAt('/my-bookings?token=old');
    expect(await screen.findByRole('alert')).toHaveTextContent('This link has expired or is not valid');
    expect(screen.getByRole('heading', { name: 'Get a link to your bookings' })).toBeInTheDocument();
    expect(router.state.location.search).toBe('');
  });

  it('shows the bookings this device made, with their hold, and never asks for the email’s list', async () => {
    const holdUntil = new Date(Date.now() + 10 * 60_000);
    saveBookingToken('bk1', 'asha@example.com', 'bk1-tok', iso(FUTURE.getTime()));
    saveBookingToken('bk3', 'asha@example.com', 'bk3-tok', iso(FUTURE.getTime()));
    answer({
      'GET /bookings/bk1': () => json(200, booking({ emailVerified: false, holdExpiresAt: iso(holdUntil.getTime()) })),
      'GET /bookings/bk3': () => json(200, booking({ id: 'bk3', status: 'expired' })),
    });
    renderAt('/my-bookings');

    const items = await screen.findAllByTestId('my-booking');
    expect(items).toHaveLength(2);
    const [held, expired] = items;
    expect(within(held).getByTestId('status-badge')).toHaveTextContent('Pending');
    expect(held).toHaveTextContent(/Awaiting email confirmation until \d{1,2}:\d{2}/);
    expect(within(expired).getByTestId('status-badge')).toHaveTextContent('Expired');
    expect(expired).toHaveTextContent('The email was not confirmed in time, so the slot was released.');
    expect(within(expired).queryByRole('button', { name: 'Cancel booking' })).toBeNull();
    // The expired booking is out of Upcoming; calendar links only on the one still to come.
    expect(within(screen.getByTestId('past-bookings')).getByTestId('my-booking')).toBe(expired);
    expect(within(held).getByRole('link', { name: 'Add to calendar (.ics)' })).toHaveAttribute('download', 'session-bk1.ics');
    expect(within(held).getByRole('link', { name: /Google Calendar/ }).getAttribute('href')).toContain('booking%3Dbk1');
    expect(within(expired).queryByRole('link', { name: /Outlook/ })).toBeNull();
    expect(bearer('GET /bookings/bk1')).toBe('Bearer bk1-tok');
    expect(fetchMock.mock.calls.some(([input]) => String(input).includes('email='))).toBe(false);
    expect(screen.getByTestId('my-bookings-scope')).toHaveTextContent('Bookings made on this device.');
  });

  it('forgets an email token the API refuses and asks for a new link', async () => {
    saveEmailToken('asha@example.com', 'stale', TOMORROW);
    answer({
      'GET /bookings?email=asha%40example.com': () => json(401, { error: { code: 'unauthorized', message: 'x' } }),
    });
    renderAt('/my-bookings');
    expect(await screen.findByText(/access to the bookings of asha@example.com has expired/)).toBeInTheDocument();
    expect(screen.getByLabelText('Email')).toHaveValue('asha@example.com');
    expect(readTokens().emails).toEqual({});
  });

  it('keeps the booking a link points at while dropping its token, and moves a cancelled booking out of Upcoming', async () => {
    let status: Booking['status'] = 'confirmed';
    answer({
      'POST /bookings/access-token': () =>
        json(200, { email: 'asha@example.com', accessToken: 'email-tok', expiresAt: TOMORROW }),
      'GET /bookings?email=asha%40example.com': () =>
        json(200, { items: [booking({ status }), booking({ id: 'bk2', status: 'confirmed' })] }),
      'POST /bookings/bk2/cancel': () => {
        status = 'cancelled';
        return json(200, booking({ id: 'bk2', status: 'cancelled' }));
      },
    });
    const router = renderAt('/my-bookings?token=link-tok&booking=bk2');
    const upcoming = await screen.findByTestId('upcoming-bookings');
    expect(router.state.location.search).toBe('?booking=bk2');
    const target = within(upcoming).getAllByTestId('my-booking')[1];
    expect(target).toHaveAttribute('data-booking-id', 'bk2');
    expect(target).toHaveClass('booking-item--focus');

    within(target).getByRole('button', { name: 'Cancel booking' }).click();
    (await within(target).findByRole('button', { name: 'Yes, cancel booking' })).click();
    const past = await screen.findByTestId('past-bookings');
    await waitFor(() => expect(within(past).getByTestId('my-booking')).toHaveAttribute('data-booking-id', 'bk2'));
    expect(within(screen.getByTestId('upcoming-bookings')).getAllByTestId('my-booking')).toHaveLength(1);
    await waitFor(() => expect(within(past).getByRole('heading', { level: 3 })).toHaveFocus());
  });
});

describe('Verification link', () => {
  it('confirms the email, keeps the token for that email, and shows My bookings', async () => {
    answer({
      'POST /bookings/bk1/verify': () =>
        json(200, { booking: booking({ emailVerified: true }), accessToken: 'email-tok', expiresAt: TOMORROW }),
      'GET /bookings?email=asha%40example.com': () => json(200, { items: [booking()] }),
    });
    const router = renderAt('/verify?booking=bk1&token=verify-tok');

    expect(await screen.findByRole('status')).toHaveTextContent('Your email is confirmed; your booking is kept.');
    expect(router.state.location.pathname).toBe('/my-bookings');
    expect(router.state.location.search).toBe('?booking=bk1'); // the token left the address; the booking stays
    expect(JSON.parse(String(call('POST /bookings/bk1/verify')?.[1]?.body))).toEqual({ token: 'verify-tok' });
    const item = await screen.findByTestId('my-booking');
    expect(item).toHaveClass('booking-item--focus');
    await waitFor(() => expect(within(item).getByRole('heading', { level: 3 })).toHaveFocus());
    expect(item).not.toHaveTextContent('Awaiting email confirmation');
    expect(bearer('GET /bookings?email=asha%40example.com')).toBe('Bearer email-tok');
  });

  it('explains a hold that ran out and offers to book the same expert again', async () => {
    saveBookingToken('bk1', 'asha@example.com', 'bk1-tok', iso(FUTURE.getTime()));
    answer({
      'POST /bookings/bk1/verify': () => json(409, { error: { code: 'hold_expired', message: 'too late' } }),
      'GET /bookings/bk1': () => json(200, booking({ status: 'expired' })),
    });
    renderAt('/verify?booking=bk1&token=verify-tok');

    expect(await screen.findByRole('alert')).toHaveTextContent("This booking's hold ran out.");
    const again = await screen.findByRole('link', { name: 'Book again with Priya Nair' });
    expect(again).toHaveAttribute('href', '/experts/exp-1');
    expect(readTokens().emails).toEqual({});
  });

  it('offers the expert the server names, on any device', async () => {
    const details = { expertId: 'exp-9', expertName: 'Ada Lovelace' };
    answer({
      'POST /bookings/bk1/verify': () => json(409, { error: { code: 'hold_expired', message: 'too late', details } }),
    });
    renderAt('/verify?booking=bk1&token=verify-tok');
    const again = await screen.findByRole('link', { name: 'Book again with Ada Lovelace' });
    expect(again).toHaveAttribute('href', '/experts/exp-9');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it('still offers to book again when this device did not make the booking', async () => {
    answer({ 'POST /bookings/bk1/verify': () => json(409, { error: { code: 'hold_expired', message: 'too late' } }) });
    renderAt('/verify?booking=bk1&token=verify-tok');
    expect(await screen.findByRole('link', { name: 'Find an expert to book again' })).toHaveAttribute('href', '/');
  });

  it('says when a link is not valid', async () => {
    answer({ 'POST /bookings/bk1/verify': () => json(401, { error: { code: 'unauthorized', message: 'bad' } }) });
    renderAt('/verify?booking=bk1&token=forged');
    expect(await screen.findByRole('alert')).toHaveTextContent('This confirmation link is not valid or has expired.');
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
  });
});
