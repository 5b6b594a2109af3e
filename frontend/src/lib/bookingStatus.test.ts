import { describe, expect, it } from 'vitest';
import { adminTransitions, awaitingEmail, clientMayCancel, holdMinutes } from './bookingStatus';
import { statusMachine, statusValues } from './api/schema';
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
  notes: '',
  status,
  createdAt: now.toISOString(),
  updatedAt: now.toISOString(),
  emailVerified: true,
  holdExpiresAt: null,
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
    expect(adminTransitions(booking('expired', future), now)).toEqual([]);
  });

  it('never offers a change the published status machine does not allow', () => {
    const past = '2026-03-31T09:00:00Z';
    for (const status of statusValues) {
      for (const target of adminTransitions(booking(status, past), now)) {
        expect(statusMachine.transitions[status]).toContain(target);
        expect(statusMachine.adminTargets).toContain(target);
      }
    }
    expect(adminTransitions(booking('pending', past), now)).not.toContain('expired'); // the sweep's, not an admin's
  });

  it('lets clients cancel only live, future bookings', () => {
    expect(clientMayCancel(booking('pending', '2026-04-02T09:00:00Z'), now)).toBe(true);
    expect(clientMayCancel(booking('confirmed', '2026-03-31T09:00:00Z'), now)).toBe(false);
    expect(clientMayCancel(booking('cancelled', '2026-04-02T09:00:00Z'), now)).toBe(false);
    expect(clientMayCancel(booking('expired', '2026-04-02T09:00:00Z'), now)).toBe(false);
  });
});

describe('unverified holds', () => {
  const unverified = (holdExpiresAt: string | null): Booking => ({
    ...booking('pending', '2026-04-02T09:00:00Z'),
    emailVerified: false,
    createdAt: '2026-04-01T12:00:07Z',
    holdExpiresAt,
  });

  it('counts the hold in whole minutes from creation', () => {
    expect(holdMinutes(unverified('2026-04-01T12:15:07Z'))).toBe(15);
    expect(holdMinutes(unverified('2026-04-01T12:00:20Z'))).toBe(1); // never "0 minutes"
  });

  it('says nothing when verification is off, done, or the booking is no longer pending', () => {
    expect(holdMinutes(unverified(null))).toBeNull();
    expect(holdMinutes({ ...unverified('2026-04-01T12:15:07Z'), emailVerified: true })).toBeNull();
    expect(awaitingEmail({ ...unverified('2026-04-01T12:15:07Z'), status: 'expired' })).toBe(false);
    expect(awaitingEmail(unverified('2026-04-01T12:15:07Z'))).toBe(true);
  });
});
