import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Expert, SlotsResponse } from '@/lib/types';
import { stubApi } from '@/test/api';
import { BookingForm } from './BookingForm';

const expert: Expert = {
  id: 'exp-1',
  name: 'Priya Nair',
  category: 'Career',
  experienceYears: 9,
  rating: 4.8,
  bio: '',
  timezone: 'Asia/Kolkata',
  sessionMinutes: 45,
};

const SLOT = '2099-03-29T04:30:00Z';
const slots: SlotsResponse = {
  expertId: 'exp-1',
  timezone: 'Asia/Kolkata',
  days: [
    {
      date: '2099-03-29',
      slots: [
        { start: SLOT, end: '2099-03-29T05:15:00Z', available: true },
        { start: '2099-03-29T05:30:00Z', end: '2099-03-29T06:15:00Z', available: false },
      ],
    },
  ],
};

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

const fetchMock = stubApi();

function formElement(current: SlotsResponse, onBooked: () => void, onSlotTaken: () => void) {
  return (
    <QueryClientProvider client={new QueryClient()}>
      <BookingForm
        expert={expert}
        slots={current}
        timeZone="Europe/London"
        initialSlot={SLOT}
        onBooked={onBooked}
        onSlotTaken={onSlotTaken}
      />
    </QueryClientProvider>
  );
}

function renderForm() {
  const onBooked = vi.fn();
  const onSlotTaken = vi.fn();
  render(formElement(slots, onBooked, onSlotTaken));
  return { onBooked, onSlotTaken };
}

async function fillValidDetails(user: ReturnType<typeof userEvent.setup>) {
  await user.type(screen.getByLabelText('Full name'), 'Asha Rao');
  await user.type(screen.getByLabelText('Email'), 'asha@example.com');
  await user.type(screen.getByLabelText('Phone number'), '+91 98765 43210');
}

const requestInit = (call: number) => fetchMock.mock.calls[call][1] as RequestInit & { headers: Record<string, string> };

afterEach(() => {
  vi.useRealTimers();
});

describe('BookingForm while our own booking is in flight', () => {
  const taken: SlotsResponse = {
    ...slots,
    days: [{ ...slots.days[0], slots: slots.days[0].slots.map((s) => ({ ...s, available: false })) }],
  };

  it('does not call the slot taken when a poll sees our own booking before its answer arrives', async () => {
    let answer: (response: Response) => void = () => undefined;
    fetchMock.mockReturnValueOnce(new Promise<Response>((resolve) => (answer = resolve)));
    const onBooked = vi.fn();
    const onSlotTaken = vi.fn();
    const user = userEvent.setup();
    const view = render(formElement(slots, onBooked, onSlotTaken));
    await fillValidDetails(user);
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));

    view.rerender(formElement(taken, onBooked, onSlotTaken)); // the poll: our slot is no longer free
    expect(screen.queryByText('That slot was just taken.')).toBeNull();

    const booking = { id: 'bk1', slotStart: SLOT, status: 'pending', email: 'asha@example.com' };
    answer(json(201, { booking, accessToken: 'tok' }));
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith({ booking, accessToken: 'tok' }));
    expect(onSlotTaken).not.toHaveBeenCalled();
    expect(screen.queryByText('That slot was just taken.')).toBeNull();
  });

  it('says the slot was taken once our own request is answered with a conflict', async () => {
    let answer: (response: Response) => void = () => undefined;
    fetchMock.mockReturnValueOnce(new Promise<Response>((resolve) => (answer = resolve)));
    const onSlotTaken = vi.fn();
    const user = userEvent.setup();
    const view = render(formElement(slots, vi.fn(), onSlotTaken));
    await fillValidDetails(user);
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(1));
    view.rerender(formElement(taken, vi.fn(), onSlotTaken));
    expect(onSlotTaken).not.toHaveBeenCalled();
    answer(json(409, { error: { code: 'slot_unavailable', message: 'This slot is no longer available.' } }));
    await waitFor(() => expect(onSlotTaken).toHaveBeenCalledWith(SLOT));
  });
});

describe('BookingForm', () => {
  it('preselects the chosen slot, offering only free times, in the viewer zone', () => {
    renderForm();
    const time = screen.getByLabelText('Time') as HTMLSelectElement;
    expect(time.value).toBe(SLOT);
    // 04:30Z is 05:30 in London (BST); the booked 05:30Z slot is not offered.
    expect([...time.options].map((o) => o.value)).toEqual(['', SLOT]);
    expect(time.selectedOptions[0].textContent).toMatch(/5:30/);
  });

  it('checks the rules as the user types', async () => {
    const user = userEvent.setup();
    renderForm();
    const phone = screen.getByLabelText('Phone number');
    await user.type(phone, '98765');
    await user.tab();
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(phone).toHaveAccessibleDescription(/international format.*\+91 98765 43210/i);

    await user.clear(phone);
    await user.type(phone, '+91 98765 43210');
    expect(phone).not.toHaveAttribute('aria-invalid');
  });

  it('does not submit an invalid form and focuses the first problem', async () => {
    const user = userEvent.setup();
    renderForm();
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    expect(fetchMock).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Full name')).toHaveFocus();
    expect(screen.getByLabelText('Full name')).toHaveAccessibleDescription('Enter your name.');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/Enter your email address/);
  });

  it('shows server validation errors on their fields', async () => {
    fetchMock.mockResolvedValueOnce(
      json(400, {
        error: {
          code: 'validation_failed',
          message: 'Some fields are invalid.',
          details: [
            { field: 'phone', message: 'This is not a valid number for India.' },
            { field: 'body.email', message: 'This email address cannot receive mail.' },
          ],
        },
      }),
    );
    const user = userEvent.setup();
    renderForm();
    await fillValidDetails(user);
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));

    const phone = screen.getByLabelText('Phone number');
    await waitFor(() => expect(phone).toHaveAccessibleDescription(/not a valid number for India/));
    expect(phone).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Email')).toHaveAccessibleDescription(/cannot receive mail/);
    expect(screen.getByLabelText('Full name')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByRole('alert')).toHaveTextContent('Please correct the highlighted fields.');
    expect(screen.getByLabelText('Email')).toHaveFocus();

    const [url] = fetchMock.mock.calls[0];
    const init = requestInit(0);
    expect(url).toBe('http://api.test/bookings');
    expect(init.method).toBe('POST');
    expect(init.headers['Idempotency-Key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(String(init.body))).toEqual({
      expertId: 'exp-1',
      slotStart: SLOT,
      name: 'Asha Rao',
      email: 'asha@example.com',
      phone: '+91 98765 43210',
    });

    // Editing a field clears its server error.
    await user.type(phone, '1');
    expect(phone).not.toHaveAccessibleDescription(/not a valid number for India/);
  });

  it('sends the user back to the slot picker on 409 slot_unavailable', async () => {
    fetchMock.mockResolvedValueOnce(json(409, { error: { code: 'slot_unavailable', message: 'Slot taken.' } }));
    const user = userEvent.setup();
    const { onSlotTaken, onBooked } = renderForm();
    await fillValidDetails(user);
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await waitFor(() => expect(onSlotTaken).toHaveBeenCalledWith(SLOT));
    expect(onBooked).not.toHaveBeenCalled();
  });

  it('shows the server message on 429 too_many_holds and keeps what was typed', async () => {
    const message = 'You already have 3 unconfirmed bookings. Confirm one from the email we sent, or try again in 9 minutes.';
    fetchMock.mockResolvedValueOnce(json(429, { error: { code: 'too_many_holds', message } }));
    const user = userEvent.setup();
    const { onSlotTaken, onBooked } = renderForm();
    await fillValidDetails(user);
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));

    expect(await screen.findByRole('alert')).toHaveTextContent(message);
    expect(onSlotTaken).not.toHaveBeenCalled();
    expect(onBooked).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Full name')).toHaveValue('Asha Rao');
    expect(screen.getByLabelText('Email')).toHaveValue('asha@example.com');
    expect(screen.getByLabelText('Time')).toHaveValue(SLOT);
  });

  it('retries a failed submit with the same Idempotency-Key', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    fetchMock.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    const booking = { id: 'bk_1', email: 'asha@example.com' };
    fetchMock.mockResolvedValueOnce(json(201, { booking, accessToken: 'tok' }));
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const { onBooked } = renderForm();
    await fillValidDetails(user);

    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await vi.advanceTimersByTimeAsync(10_000); // automatic retries with back-off
    expect(await screen.findByRole('alert')).toHaveTextContent(/not be booked twice/);
    expect(fetchMock).toHaveBeenCalledTimes(3);

    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await waitFor(() => expect(onBooked).toHaveBeenCalledWith({ booking, accessToken: 'tok' }));
    const keys = fetchMock.mock.calls.map((_, i) => requestInit(i).headers['Idempotency-Key']);
    expect(new Set(keys).size).toBe(1);
  });
});
