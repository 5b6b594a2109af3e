import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import axe from 'axe-core';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { readTokens, saveBookingToken } from '@/lib/accessTokens';
import { iso, makeBooking } from '@/test/booking';
import { MyBookingsPage } from './MyBookingsPage';

const DAY = 86_400_000;
const midnight = Math.floor(Date.now() / DAY) * DAY;
const OLD = midnight + 3 * DAY + 9 * 3_600_000; // 09:00 UTC in three days
const FREE = midnight + 4 * DAY + 10 * 3_600_000; // 10:00 UTC the day after
const TAKEN = FREE + 3_600_000;
const slot = (start: number, available: boolean) => ({
  start: iso(start),
  end: iso(start + 45 * 60_000),
  available,
  reason: available ? null : 'booked',
});
const SLOTS = {
  expertId: 'exp-1',
  timezone: 'UTC',
  days: [
    { date: iso(OLD).slice(0, 10), slots: [slot(OLD, false)] },
    { date: iso(FREE).slice(0, 10), slots: [slot(FREE, true), slot(TAKEN, false)] },
  ],
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
const fetchMock = vi.fn<typeof fetch>();
const key = (input: unknown, init?: RequestInit) => `${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`;
function answer(reschedule: () => Response) {
  fetchMock.mockImplementation(async (input, init) => {
    const routes: Record<string, () => Response> = {
      'GET /bookings/bk1': () => json(200, makeBooking(OLD)),
      'GET /experts/exp-1/slots': () => json(200, SLOTS),
      'POST /bookings/bk1/reschedule': reschedule,
    };
    return routes[key(input, init)]?.() ?? json(599, { error: { code: 'unexpected', message: key(input, init) } });
  });
}
const moveCall = () => fetchMock.mock.calls.find(([input, init]) => key(input, init) === 'POST /bookings/bk1/reschedule');

async function openPanel() {
  const router = createMemoryRouter([{ path: '/my-bookings', element: <MyBookingsPage /> }], {
    initialEntries: ['/my-bookings'],
  });
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  render(
    <QueryClientProvider client={client}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  const user = userEvent.setup();
  const [item] = await screen.findAllByTestId('my-booking');
  await user.click(within(item).getByRole('button', { name: 'Reschedule' }));
  const panel = await screen.findByTestId('reschedule-panel');
  await waitFor(() => expect(panel.querySelector(`button[data-start="${iso(FREE)}"]`)).not.toBeNull());
  return { user, item, panel };
}

beforeEach(() => {
  fetchMock.mockReset();
  vi.stubGlobal('fetch', fetchMock);
  window.__APP_CONFIG__ = { apiBaseUrl: 'http://api.test' };
  saveBookingToken('bk1', 'asha@example.com', 'old-tok', iso(OLD + DAY));
});

describe('Reschedule in My bookings', () => {
  it('moves the booking to a chosen free time with its token and keeps the fresh token it gets back', async () => {
    answer(() => json(200, { ...makeBooking(FREE), accessToken: 'fresh-tok' }));
    const { user, item, panel } = await openPanel();
    expect(within(panel).getByRole('heading', { name: 'Choose a new time' })).toHaveFocus();
    expect(panel.querySelector<HTMLButtonElement>(`button[data-start="${iso(TAKEN)}"]`)).toBeDisabled();

    await user.click(panel.querySelector<HTMLButtonElement>(`button[data-start="${iso(FREE)}"]`)!);
    await user.click(within(panel).getByRole('button', { name: /^Move to / }));

    expect(await within(item).findByRole('status')).toHaveTextContent(/^Moved to .*Your old time is free/);
    const [, init] = moveCall()!;
    expect(JSON.parse(String(init?.body))).toEqual({ slotStart: iso(FREE) });
    expect((init?.headers as Record<string, string>).Authorization).toBe('Bearer old-tok');
    expect(readTokens().bookings.bk1.token).toBe('fresh-tok');
    expect(screen.queryByTestId('reschedule-panel')).toBeNull();
    expect(within(item).getByRole('heading', { name: /Session with Priya Nair/ })).toHaveFocus();
  });

  it('says the time was just taken on a 409 and lets the client choose again', async () => {
    answer(() => json(409, { error: { code: 'slot_unavailable', message: 'That slot is no longer available.' } }));
    const { user, panel } = await openPanel();
    await user.click(panel.querySelector<HTMLButtonElement>(`button[data-start="${iso(FREE)}"]`)!);
    await user.click(within(panel).getByRole('button', { name: /^Move to / }));

    expect(await within(panel).findByRole('alert')).toHaveTextContent('That time was just taken, choose another.');
    expect(screen.getByTestId('reschedule-panel')).toBe(panel); // still open
    expect(readTokens().bookings.bk1.token).toBe('old-tok');
  });

  it('closes on Escape, returning focus to the Reschedule button, and has no axe violations', async () => {
    answer(() => json(500, {}));
    const { user, item, panel } = await openPanel();
    const results = await axe.run(panel, { rules: { 'color-contrast': { enabled: false } } });
    expect(results.violations.map((v) => v.id)).toEqual([]);

    await user.keyboard('{Escape}');
    expect(screen.queryByTestId('reschedule-panel')).toBeNull();
    const button = within(item).getByRole('button', { name: 'Reschedule' });
    expect(button).toHaveFocus();
    expect(button).toHaveAttribute('aria-expanded', 'false');
    expect(moveCall()).toBeUndefined();
  });

  it('is not offered once the session has started', async () => {
    fetchMock.mockImplementation(async () => json(200, makeBooking(Date.now() - 60_000)));
    const router = createMemoryRouter([{ path: '/my-bookings', element: <MyBookingsPage /> }], {
      initialEntries: ['/my-bookings'],
    });
    render(
      <QueryClientProvider client={new QueryClient()}>
        <RouterProvider router={router} />
      </QueryClientProvider>,
    );
    const [item] = await screen.findAllByTestId('my-booking');
    expect(within(item).queryByRole('button', { name: 'Reschedule' })).toBeNull();
  });
});
