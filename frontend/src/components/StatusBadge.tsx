import { STATUS_LABELS } from '../lib/bookingStatus';
import type { BookingStatus } from '../lib/types';

/** Coloured pill with the status in words (colour is never the only signal). */
export function StatusBadge({ status }: { status: BookingStatus }) {
  return (
    <span className={`badge badge--${status}`} data-testid="status-badge">
      {STATUS_LABELS[status] ?? status}
    </span>
  );
}
