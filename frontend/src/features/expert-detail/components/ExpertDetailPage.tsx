import { useEffect, useMemo, useState } from 'react';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import { Skeleton } from '@/components/Skeleton';
import { useExpert } from '@/lib/expertQuery';
import { ApiError } from '@/lib/http';
import { useAvailabilityChanges } from '../utils/slotChanges';
import { useSlots } from '@/lib/slotsQuery';
import { groupSlotsByDate, sameInstant, upcomingGroups } from '@/lib/time';
import type { SlotsResponse } from '@/lib/types';
import { useDisplayZone } from '@/lib/useDisplayZone';
import { describeChange } from './describeChange';
import { ExpertProfile } from './ExpertProfile';
import { SlotsPanel, type SlotsAddon } from './SlotsPanel';

function isAvailable(data: SlotsResponse, start: string): boolean {
  return data.days.some((day) => day.slots.some((s) => s.available && sameInstant(s.start, start)));
}

/** The selected slot lives in the URL (?slot=) so Back from the booking form keeps it. */
function useSelectedSlot() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('slot');
  const select = (start: string | null) => {
    const next = new URLSearchParams(params);
    if (start) next.set('slot', start);
    else next.delete('slot');
    // Keep the scroll position: picking a slot far down the list must not jump to the top.
    setParams(next, { replace: true, preventScrollReset: true });
  };
  return [selected, select] as const;
}

export function ExpertDetailPage({ slotsAddon }: { slotsAddon?: SlotsAddon } = {}) {
  const { expertId = '' } = useParams();
  const location = useLocation();
  const [selected, select] = useSelectedSlot();
  const expert = useExpert(expertId);
  const [params, setParams] = useSearchParams();
  const from = params.get('from') ?? '';
  const slots = useSlots(expertId, { from });
  const zone = useDisplayZone(expert.data?.timezone);
  const [announcement, setAnnouncement] = useState('');
  // Set when the booking form bounced back with 409 slot_unavailable, or the chosen slot went while here.
  const [lostSlot, setLostSlot] = useState<string | null>(
    (location.state as { slotTaken?: string } | null)?.slotTaken ?? null,
  );
  const groups = useMemo(
    () => (slots.data ? upcomingGroups(groupSlotsByDate(slots.data.days, zone.zone)) : []),
    [slots.data, zone.zone],
  );

  useAvailabilityChanges(slots.data, (change) => setAnnouncement(describeChange(change, zone.zone)));

  // The selected slot was booked by someone else (or is no longer offered): say so and clear it.
  useEffect(() => {
    if (selected && slots.data && !isAvailable(slots.data, selected)) {
      setLostSlot(selected);
      select(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- select is recreated each render; these two are the real inputs
  }, [slots.data, selected]);

  const choose = (start: string) => {
    setLostSlot(null);
    select(start);
  };

  const notFound = expert.error instanceof ApiError && expert.error.status === 404;
  const title = expert.data?.name ?? (notFound ? 'Expert not found' : expert.isError ? 'Expert' : 'Loading expert…');

  // One tree for every state, so the h1 stays mounted (it receives focus after navigation).
  return (
    <section className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Experts</Link> <span aria-hidden="true">/</span> <span>{expert.data?.name ?? '…'}</span>
      </nav>
      <PageTitle title={title}>{title}</PageTitle>
      {expert.isPending ? (
        <div className="detail-layout reserve-screen" aria-busy="true">
          <Skeleton height="16rem" />
          <Skeleton height="16rem" />
        </div>
      ) : notFound ? (
        <p>
          This expert does not exist or is no longer listed. <Link to="/">Browse all experts</Link>
        </p>
      ) : expert.isError ? (
        <ErrorPanel title="We couldn't load this expert" error={expert.error} onRetry={() => expert.refetch()} />
      ) : (
        <div className="detail-layout">
          <ExpertProfile expert={expert.data} />
          <SlotsPanel
            expert={expert.data}
            slots={slots}
            groups={groups}
            zone={zone}
            selected={selected}
            onSelect={choose}
            lostSlot={lostSlot}
            announcement={announcement}
            from={from}
            onFrom={(next) => {
              const updated = new URLSearchParams(params);
              if (next) updated.set('from', next);
              else updated.delete('from');
              updated.delete('slot');
              setParams(updated, { preventScrollReset: true });
            }}
            Addon={slotsAddon}
          />
        </div>
      )}
    </section>
  );
}
