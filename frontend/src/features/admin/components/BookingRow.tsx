import { ConfirmButton } from '@/components/ConfirmButton';
import { StatusBadge } from '@/components/StatusBadge';
import { adminTransitions } from '@/lib/bookingStatus';
import { formatDateTime, formatTime } from '@/lib/time';
import type { Booking, BookingStatus } from '@/lib/types';

const ACTION_LABELS: Partial<Record<BookingStatus, string>> = {
  confirmed: 'Confirm',
  completed: 'Mark completed',
  cancelled: 'Cancel',
};

interface Props {
  booking: Booking;
  zone: string;
  now: Date;
  /** A status change for this row is in flight. */
  busy: boolean;
  onChangeStatus: (booking: Booking, status: BookingStatus) => void;
}

/** One booking in the admin table, with the status changes an admin may make now. */
/** Why "Mark completed" is not offered yet: a confirmed session that has not started. */
function completeLater(b: Booking, now: Date, zone: string): string | null {
  if (b.status !== 'confirmed' || Date.parse(b.slotStart) <= now.getTime()) return null;
  return `Can be marked completed once the session starts (${formatDateTime(b.slotStart, zone)}).`;
}

export function BookingRow({ booking: b, zone, now, busy, onChangeStatus }: Props) {
  const actions = adminTransitions(b, now);
  const later = completeLater(b, now, zone);
  return (
    <tr data-testid="admin-booking-row" data-booking-id={b.id} data-start={b.slotStart}>
      <td data-label="Session">
        {formatDateTime(b.slotStart, zone)}–{formatTime(b.slotEnd, zone)}
        <div className="muted small">
          Ref <code>{b.id}</code>
        </div>
      </td>
      <td data-label="Expert">{b.expertName}</td>
      <td data-label="Client">
        {b.name}
        <div className="muted small">{b.email}</div>
        <div className="muted small">{b.phone}</div>
      </td>
      <td data-label="Status">
        <StatusBadge status={b.status} />
      </td>
      <td data-label="Actions">
        {actions.length === 0 ? (
          <span className="muted small">No actions</span>
        ) : (
          <div className="actions actions--tight">
            {actions.map((status) =>
              status === 'cancelled' ? (
                <ConfirmButton
                  key={status}
                  className="button button--small button--danger-outline"
                  question={`Cancel ${b.name}'s booking?`}
                  confirmLabel="Yes, cancel"
                  keepLabel="Keep booking"
                  busy={busy}
                  onConfirm={() => onChangeStatus(b, status)}
                >
                  Cancel
                  <span className="sr-only"> booking for {b.name}</span>
                </ConfirmButton>
              ) : (
                <button
                  key={status}
                  type="button"
                  className="button button--small"
                  aria-disabled={busy}
                  onClick={busy ? undefined : () => onChangeStatus(b, status)}
                >
                  {ACTION_LABELS[status]}
                  <span className="sr-only"> booking for {b.name}</span>
                </button>
              ),
            )}
          </div>
        )}
        {later && (
          <p className="muted small" data-testid="complete-later">
            {later}
          </p>
        )}
      </td>
    </tr>
  );
}
