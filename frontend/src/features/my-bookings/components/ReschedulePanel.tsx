import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { ErrorPanel } from '@/components/ErrorPanel';
import { SlotLegend, SlotPicker } from '@/components/SlotPicker';
import { ApiError } from '@/lib/http';
import { useSlots } from '@/lib/slotsQuery';
import { formatDateTime, formatTime, formatZone, groupSlotsByDate, upcomingGroups } from '@/lib/time';
import type { Booking } from '@/lib/types';

interface Props {
  booking: Booking;
  timeZone: string;
  /** Moves the booking; rejects with the API's error. */
  onMove: (slotStart: string) => Promise<unknown>;
  onClose: () => void;
}

export function moveErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'slot_unavailable') {
    return 'That time was just taken, choose another.';
  }
  if (error instanceof ApiError && error.code === 'cancellation_window_closed') {
    return `It is too late to move this session online: ${error.message}`;
  }
  if (error instanceof ApiError && error.code === 'invalid_transition') {
    return `This booking can no longer be moved: ${error.message}`;
  }
  return error instanceof ApiError ? error.message : 'Could not move the booking. Please try again.';
}

/**
 * The expert's free times (live, two weeks) in the shared slot picker; "Move to …" under the chosen day moves
 * the booking in one request. The current time stays held until then. Escape or "Keep current time" closes.
 */
export function ReschedulePanel({ booking, timeZone, onMove, onClose }: Props) {
  const slots = useSlots(booking.expertId);
  const groups = useMemo(
    () => (slots.data ? upcomingGroups(groupSlotsByDate(slots.data.days, timeZone)) : []),
    [slots.data, timeZone],
  );
  const [selected, setSelected] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const titleId = `reschedule-${booking.id}-title`;
  const noneFree = groups.every((g) => g.slots.every((s) => !s.available));

  useEffect(() => heading.current?.focus(), []);

  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    onClose();
  };

  const move = async (start: string) => {
    setPending(true);
    setError(null);
    try {
      await onMove(start);
    } catch (e) {
      setError(moveErrorText(e));
      setSelected(null);
      void slots.refetch(); // show who took it
      heading.current?.focus(); // the chosen time's button is gone; the alert below the heading is read
    } finally {
      setPending(false);
    }
  };

  return (
    <section
      className="reschedule-panel stack"
      aria-labelledby={titleId}
      id={`reschedule-${booking.id}`}
      data-testid="reschedule-panel"
      onKeyDown={onKeyDown}
    >
      <h4 id={titleId} ref={heading} tabIndex={-1}>
        Choose a new time
      </h4>
      <p className="small muted">
        Now booked for {formatDateTime(booking.slotStart, timeZone)}; times in {formatZone(timeZone)}. Your current
        time stays yours until you move.
      </p>
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
      {slots.isPending ? (
        <p className="muted" aria-busy="true">
          Loading free times…
        </p>
      ) : slots.isError && !slots.data ? (
        <ErrorPanel title="We couldn't load free times" error={slots.error} onRetry={() => slots.refetch()} />
      ) : noneFree ? (
        <p className="muted">No free times with {booking.expertName} in the next two weeks.</p>
      ) : (
        <>
          <SlotLegend />
          <SlotPicker
            groups={groups}
            timeZone={timeZone}
            selectedStart={selected}
            onSelect={setSelected}
            idPrefix={`move-${booking.id}`}
            level={5}
            action={(start) => (
              <button
                type="button"
                className="button"
                onClick={pending ? undefined : () => move(start)}
                aria-disabled={pending}
              >
                {pending ? 'Moving…' : `Move to ${formatTime(start, timeZone)}`}
              </button>
            )}
          />
        </>
      )}
      <div className="actions">
        <button type="button" className="button button--secondary" onClick={onClose}>
          Keep current time
        </button>
      </div>
    </section>
  );
}
