/** Booking status labels and the transitions each side may make (PRODUCT.md "Booking"). */
import type { Booking, BookingStatus } from './types';

export const STATUS_LABELS: Record<BookingStatus, string> = {
  pending: 'Pending',
  confirmed: 'Confirmed',
  completed: 'Completed',
  cancelled: 'Cancelled',
};

export const BOOKING_STATUSES = Object.keys(STATUS_LABELS) as BookingStatus[];

const hasStarted = (booking: Booking, now: Date) => Date.parse(booking.slotStart) <= now.getTime();

/**
 * Transitions an admin may make: pending→confirmed|cancelled, confirmed→completed (only once the session
 * has started)|cancelled. Completed and cancelled are final.
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
