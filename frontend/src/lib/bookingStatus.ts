/**
 * Booking status labels and the transitions each side may make (PRODUCT.md "Booking").
 * The statuses themselves come from the generated schema (`Status` enum). The transition rules below are the
 * one place the SPA keeps them until the backend exports its status machine into /openapi.json; the server
 * checks every change again (409 invalid_transition), so a stale rule here only shows or hides a button.
 */
import { statusValues } from './api/schema';
import type { Booking, BookingStatus } from './types';

export const STATUS_LABELS: Record<BookingStatus, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  completed: 'Completed',
  cancelled: 'Cancelled',
  expired: 'Expired',
};

export const BOOKING_STATUSES: readonly BookingStatus[] = statusValues;

const hasStarted = (booking: Booking, now: Date) => Date.parse(booking.slotStart) <= now.getTime();

/**
 * Transitions an admin may make: pending→confirmed|cancelled, confirmed→completed (only once the session
 * has started)|cancelled. Completed, cancelled and expired are final.
 */
export function adminTransitions(booking: Booking, now: Date = new Date()): BookingStatus[] {
  switch (booking.status) {
    case 'pending':
      return ['confirmed', 'cancelled'];
    case 'confirmed':
      return hasStarted(booking, now) ? ['completed', 'cancelled'] : ['cancelled'];
    default:
      return [];
  }
}

/**
 * Whether to offer the client a Cancel button. The cut-off window before the start is server
 * configuration, so the server has the last word (409 cancellation_window_closed).
 */
export function clientMayCancel(booking: Booking, now: Date = new Date()): boolean {
  return (booking.status === 'pending' || booking.status === 'confirmed') && !hasStarted(booking, now);
}

/** A new booking whose email is not confirmed yet: it holds its slot only until `holdExpiresAt`. */
export function awaitingEmail(booking: Booking): booking is Booking & { holdExpiresAt: string } {
  return booking.status === 'pending' && !booking.emailVerified && booking.holdExpiresAt !== null;
}

/** How many minutes a new booking holds its slot unconfirmed (null when verification is off or done). */
export function holdMinutes(booking: Booking): number | null {
  if (!awaitingEmail(booking)) return null;
  return Math.max(1, Math.round((Date.parse(booking.holdExpiresAt) - Date.parse(booking.createdAt)) / 60_000));
}
