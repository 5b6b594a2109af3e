import { useDeferredValue, useMemo, type ComponentType } from 'react';
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
  // Two weeks of times (~160 buttons) render as an interruptible background update that yields to the
  // browser, not one long task on a phone (issue 14). Everything below reads this one value, so the list,
  // the range controls and the booking bar change together and nothing shifts in between. The initial
  // value matters: this panel mounts once the expert has loaded, and by then the slots usually have too;
  // without it the first render would build every time at once.
  const data = useDeferredValue(slots.data ?? null, null);
  const groups = useMemo(
    () => (data ? upcomingGroups(groupSlotsByDate(data.days, zone.zone)) : []),
    [data, zone.zone],
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

      {!data && !slots.isError ? (
        <div className="stack reserve-screen" aria-busy="true">
          <span className="sr-only">Loading available times…</span>
          <Skeleton height="5rem" />
          <Skeleton height="5rem" />
        </div>
      ) : !data ? (
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
      {data && <SlotRange expertId={expert.id} data={data} {...range} noneFree={noneFree} />}

      {Addon && data && <Addon expert={expert} days={data.days} />}

      {/* Only with times to choose from: on a phone an empty bar would cover the zone switch and last row. */}
      {!noneFree && data && (
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
