import { useMemo, type ComponentType } from 'react';
import { Link } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';
import { Skeleton } from '@/components/Skeleton';
import { SlotLegend, SlotPicker } from '@/components/SlotPicker';
import { ZoneSwitch } from '@/components/ZoneSwitch';
import { formatDateTime, formatTime, groupSlotsByDate, upcomingGroups } from '@/lib/time';
import type { Expert, SlotDay } from '@/lib/types';
import type { useDisplayZone } from '@/lib/useDisplayZone';
import { SlotRange } from './SlotRange';
import type { ExpertSlots } from '../hooks/useExpertSlots';

interface Props {
  expert: Expert;
  zone: ReturnType<typeof useDisplayZone>;
  state: ExpertSlots;
  /** Shown under the times (the app mounts the waitlist here: features never import each other). */
  Addon?: SlotsAddon;
}

export type SlotsAddon = ComponentType<{ expert: Expert; days: SlotDay[] }>;

export function SlotsPanel(props: Props) {
  const { expert, zone, state, Addon } = props;
  const { slots, range, selection } = state;
  const groups = useMemo(
    () => (slots.data ? upcomingGroups(groupSlotsByDate(slots.data.days, zone.zone)) : []),
    [slots.data, zone.zone],
  );
  const { selected, onSelect, lostSlot, announcement } = selection;
  const { from } = range;
  const noneFree = groups.every((g) => g.slots.every((s) => !s.available));
  const bookHref = (start: string) =>
    `/experts/${encodeURIComponent(expert.id)}/book?${new URLSearchParams(from ? { slot: start, from } : { slot: start })}`;
  const live = !slots.isError;
  return (
    <div className="stack">
      <div className="slots-header spread">
        <h2>Choose a time</h2>
        <p className="live-indicator" data-testid="live-indicator">
          <span className={`live-dot${live ? '' : ' live-dot--off'}`} aria-hidden="true" />
          {live ? 'Updates live' : slots.data ? 'Reconnecting…' : 'Not updating'}
        </p>
      </div>
      <ZoneSwitch
        viewerZone={zone.viewerZone}
        expertZone={zone.expertZone}
        choice={zone.choice}
        onChange={zone.setChoice}
        zone={zone.zone}
      />

      {lostSlot && (
        <div className="notice notice--warning" role="alert">
          <strong>That slot was just taken.</strong> {formatDateTime(lostSlot, zone.zone)} was booked by someone
          else. Please choose another time.
        </div>
      )}
      {/* Polite live region: announces slots booked or freed elsewhere while this page is open. */}
      <p className="sr-only" role="status" aria-live="polite" data-testid="slot-announcer">
        {announcement}
      </p>

      {slots.isPending ? (
        <div className="stack reserve-screen" aria-busy="true">
          <span className="sr-only">Loading available times…</span>
          <Skeleton height="5rem" />
          <Skeleton height="5rem" />
        </div>
      ) : slots.isError && !slots.data ? (
        <ErrorPanel title="We couldn't load available times" error={slots.error} onRetry={() => slots.refetch()} />
      ) : noneFree ? (
        <EmptyState title={from ? 'No free times in these two weeks' : 'No free times in the next two weeks'}>
          <p>New times are added regularly. This page updates by itself.</p>
        </EmptyState>
      ) : (
        <>
          <SlotLegend />
          <SlotPicker
            groups={groups}
            timeZone={zone.zone}
            selectedStart={selected}
            onSelect={onSelect}
            action={(start) => (
              <Link className="button" to={bookHref(start)}>
                Continue with {formatTime(start, zone.zone)}
              </Link>
            )}
          />
        </>
      )}
      {slots.data && (
        <SlotRange expertId={expert.id} data={slots.data} {...range} noneFree={noneFree} />
      )}

      {Addon && slots.data && <Addon expert={expert} days={slots.data.days} />}

      {/* Only with times to choose from: on a phone an empty bar would cover the zone switch and last row. */}
      {!noneFree && slots.data && (
        <div className="booking-bar" data-testid="booking-bar">
          {selected ? (
            <>
              <p>
                Selected: <strong>{formatDateTime(selected, zone.zone)}</strong>
              </p>
              <Link className="button" to={bookHref(selected)}>
                Continue to booking
              </Link>
            </>
          ) : (
            <p className="muted">Select an available time to continue.</p>
          )}
        </div>
      )}
    </div>
  );
}
