import { describe, expect, it } from 'vitest';
import { adminTransitions, clientMayCancel } from './bookingStatus';
import type { Booking, BookingStatus } from './types';

const now = new Date('2026-04-01T12:00:00Z');
const booking = (status: BookingStatus, slotStart: string): Booking => ({
  id: 'b1',
  expertId: 'e1',
  expertName: 'Expert',
  slotStart,
  slotEnd: slotStart,
  name: 'A',
  email: 'a@example.com',
  phone: '+441234567890',
  notes: null,
  status,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
});

describe('adminTransitions', () => {
  it('offers only the valid transitions', () => {
    const future = '2026-04-02T09:00:00Z';
    const past = '2026-03-31T09:00:00Z';
    expect(adminTransitions(booking('pending', future), now)).toEqual(['confirmed', 'cancelled']);
    expect(adminTransitions(booking('confirmed', future), now)).toEqual(['cancelled']);
    expect(adminTransitions(booking('confirmed', past), now)).toEqual(['completed', 'cancelled']);
    expect(adminTransitions(booking('completed', past), now)).toEqual([]);
    expect(adminTransitions(booking('cancelled', future), now)).toEqual([]);
  });

  it('lets clients cancel only live, future bookings', () => {
    expect(clientMayCancel(booking('pending', '2026-04-02T09:00:00Z'), now)).toBe(true);
    expect(clientMayCancel(booking('confirmed', '2026-03-31T09:00:00Z'), now)).toBe(false);
    expect(clientMayCancel(booking('cancelled', '2026-04-02T09:00:00Z'), now)).toBe(false);
  });
});
