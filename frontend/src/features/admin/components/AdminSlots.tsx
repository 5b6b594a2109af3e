import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ConfirmButton } from '@/components/ConfirmButton';
import { ErrorPanel } from '@/components/ErrorPanel';
import { Skeleton } from '@/components/Skeleton';
import { useExpert } from '@/lib/expertQuery';
import { ApiError } from '@/lib/http';
import { useSlots } from '@/lib/slotsQuery';
import { formatDateKey, formatTime, formatZone, groupSlotsByDate, upcomingGroups } from '@/lib/time';
import { useDeleteSlot } from '../api/adminApi';
import { ExpertPicker, useExpertParam } from './ExpertPicker';
import { AddSlotsForm } from './AddSlotsForm';

function deleteErrorText(error: unknown): string {
  if (error instanceof ApiError && error.code === 'slot_booked') {
    return 'This slot has a booking. Cancel the booking first, then delete the slot.';
  }
  return error instanceof ApiError ? error.message : 'Could not delete the slot.';
}

function SlotList({ expertId, timeZone }: { expertId: string; timeZone: string }) {
  const slots = useSlots(expertId);
  const remove = useDeleteSlot(expertId);
  const [failure, setFailure] = useState<{ start: string; message: string } | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const groups = useMemo(
    () => (slots.data ? upcomingGroups(groupSlotsByDate(slots.data.days, timeZone)) : []),
    [slots.data, timeZone],
  );

  const deleteSlot = (start: string, label: string) => {
    setFailure(null);
    remove.mutate(start, {
      onSuccess: () => setAnnouncement(`Deleted the ${label} slot.`),
      onError: (e) => setFailure({ start, message: deleteErrorText(e) }),
    });
  };

  if (slots.isPending) return <Skeleton height="10rem" />;
  if (slots.isError && !slots.data) {
    return <ErrorPanel title="We couldn't load slots" error={slots.error} onRetry={() => slots.refetch()} />;
  }
  if (groups.length === 0) return <EmptyState title="No upcoming slots">Add some with the form above.</EmptyState>;

  return (
    <div className="stack">
      <p className="sr-only" role="status" aria-live="polite">
        {announcement}
      </p>
      {groups.map((group) => (
        <section key={group.date} className="slot-day" aria-labelledby={`admin-day-${group.date}`}>
          <h4 className="slot-day__title" id={`admin-day-${group.date}`}>
            {formatDateKey(group.date)}
          </h4>
          <ul className="slot-grid admin-slots">
            {group.slots.map((slot) => {
              const label = `${formatDateKey(group.date)} ${formatTime(slot.start, timeZone)}`;
              const busy = remove.isPending && remove.variables === slot.start;
              return (
                <li
                  key={slot.start}
                  className={`admin-slot${slot.available ? '' : ' admin-slot--taken'}`}
                  data-testid="admin-slot"
                  data-start={slot.start}
                >
                  <span className="admin-slot__time">
                    {formatTime(slot.start, timeZone)}–{formatTime(slot.end, timeZone)}
                  </span>
                  <span className={`availability availability--${slot.available ? 'free' : 'taken'}`}>
                    {slot.available ? 'Available' : 'Unavailable'}
                  </span>
                  <ConfirmButton
                    className="button button--small button--danger-outline"
                    question={`Delete the slot ${label}?`}
                    confirmLabel="Yes, delete"
                    keepLabel="Keep slot"
                    busy={busy}
                    onConfirm={() => deleteSlot(slot.start, label)}
                  >
                    {busy ? 'Deleting…' : 'Delete'}
                    <span className="sr-only"> slot {label}</span>
                  </ConfirmButton>
                  {failure?.start === slot.start && (
                    <p className="notice notice--error admin-slot__error" role="alert">
                      {failure.message}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}

export function AdminSlots() {
  const [expertId] = useExpertParam();
  const expert = useExpert(expertId || undefined);

  return (
    <section className="stack" aria-labelledby="admin-slots-title">
      <h2 id="admin-slots-title">Slots</h2>
      <ExpertPicker id="slots-expert" none="Choose an expert" />
      {expertId && expert.isError && (
        <ErrorPanel title="We couldn't load this expert" error={expert.error} onRetry={() => expert.refetch()} />
      )}
      {expert.data && (
        <>
          <Link to={`/admin/availability?expertId=${encodeURIComponent(expert.data.id)}`}>Set weekly hours</Link>
          <AddSlotsForm key={expert.data.id} expert={expert.data} />
          <h3>Upcoming slots</h3>
          <p className="muted small">Times in the expert's zone: {formatZone(expert.data.timezone)}. Updates live.</p>
          <SlotList expertId={expert.data.id} timeZone={expert.data.timezone} />
        </>
      )}
    </section>
  );
}
