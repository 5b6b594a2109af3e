/**
 * Booking status labels and the transitions each side may make (PRODUCT.md "Booking").
 * Statuses and the status machine come from the backend's /openapi.json (generated `statusValues` and
 * `statusMachine`; chalicelib/domain.py is the source). Only two rules live here: an admin marks a session
 * completed once it has started, and a client cancels only before it starts (the server checks both again).
 */
import { statusMachine, statusValues } from './api/schema';
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

/** The statuses an admin may set from this one now, in the schema's order (Confirm before Cancel). */
export function adminTransitions(booking: Booking, now: Date = new Date()): BookingStatus[] {
  const next = statusMachine.transitions[booking.status];
  return BOOKING_STATUSES.filter(
    (s) =>
      next.includes(s) && statusMachine.adminTargets.includes(s) && (s !== 'completed' || hasStarted(booking, now)),
  );
}

/**
 * Whether to offer the client a Cancel button. The cut-off window before the start is server
 * configuration, so the server has the last word (409 cancellation_window_closed).
 */
export function clientMayCancel(booking: Booking, now: Date = new Date()): boolean {
  return statusMachine.transitions[booking.status].includes('cancelled') && !hasStarted(booking, now);
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
