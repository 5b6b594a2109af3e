import { render, screen } from '@testing-library/react';
import { createMemoryRouter, RouterProvider } from 'react-router';
import { describe, expect, it } from 'vitest';
import type { Booking } from '@/lib/types';
import { BookingSuccess } from './BookingSuccess';

const booking = (holdExpiresAt: string | null): Booking => ({
  id: 'bk1',
  expertId: 'exp-1',
  expertName: 'Priya Nair',
  slotStart: '2099-03-29T04:30:00Z',
  slotEnd: '2099-03-29T05:15:00Z',
  name: 'Asha Rao',
  email: 'asha@example.com',
  phone: '+919876543210',
  notes: '',
  status: 'pending',
  createdAt: '2099-03-01T10:00:02Z',
  updatedAt: '2099-03-01T10:00:02Z',
  emailVerified: false,
  holdExpiresAt,
});

function renderSuccess(b: Booking) {
  const router = createMemoryRouter([{ path: '/', element: <BookingSuccess booking={b} timeZone="Europe/London" /> }]);
  render(<RouterProvider router={router} />);
}

describe('BookingSuccess', () => {
  it('asks to confirm the email within the hold, and links to My bookings', () => {
    renderSuccess(booking('2099-03-01T10:15:02Z'));
    expect(screen.getByTestId('hold-notice')).toHaveTextContent(
      'Check your email to confirm within 15 minutes, or the slot is released.',
    );
    expect(screen.getByTestId('booking-reference')).toHaveTextContent('bk1');
    expect(screen.getByRole('link', { name: 'Add to calendar (.ics)' })).toHaveAttribute('download', 'session-bk1.ics');
    expect(screen.getByRole('link', { name: 'Go to My bookings' })).toHaveAttribute('href', '/my-bookings?booking=bk1');
  });

  it('says nothing about a hold when verification is off', () => {
    renderSuccess(booking(null));
    expect(screen.queryByTestId('hold-notice')).toBeNull();
    expect(screen.queryByText(/Check your email/)).toBeNull();
  });
});
