import type { Booking } from '@/lib/types';

/** Pending and confirmed sessions that have not ended: the ones a client still has to attend. */
export function isUpcoming(booking: Booking, now: number = Date.now()): boolean {
  return (booking.status === 'pending' || booking.status === 'confirmed') && Date.parse(booking.slotEnd) > now;
}

/**
 * Upcoming (soonest first) and "past and cancelled" (latest first): cancelled and expired bookings leave
 * Upcoming at once, whatever their time (issue 13).
 */
export function splitBookings(items: Booking[], now: number = Date.now()) {
  const upcoming = items
    .filter((b) => isUpcoming(b, now))
    .sort((a, b) => Date.parse(a.slotStart) - Date.parse(b.slotStart));
  const past = items
    .filter((b) => !isUpcoming(b, now))
    .sort((a, b) => Date.parse(b.slotStart) - Date.parse(a.slotStart));
  return { upcoming, past };
}
