import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import { Skeleton } from '@/components/Skeleton';
import { ZoneSwitch } from '@/components/ZoneSwitch';
import { saveBookingToken } from '@/lib/accessTokens';
import { useExpert } from '@/lib/expertQuery';
import { allSlotsKey, useSlots } from '@/lib/slotsQuery';
import type { Booking } from '@/lib/types';
import { useDisplayZone } from '@/lib/useDisplayZone';
import { BookingForm } from './BookingForm';
import { BookingSuccess } from './BookingSuccess';

export function BookingPage() {
  const { expertId = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const expert = useExpert(expertId);
  const slots = useSlots(expertId, { from: params.get('from') ?? '' });
  const { zone, choice, setChoice, viewerZone, expertZone } = useDisplayZone(expert.data?.timezone);
  const [booked, setBooked] = useState<Booking | null>(null);

  if (booked) return <BookingSuccess booking={booked} timeZone={zone} />;

  const expertHref = `/experts/${encodeURIComponent(expertId)}`;
  const backToPicker = (slotStart: string) => {
    void queryClient.invalidateQueries({ queryKey: allSlotsKey(expertId) });
    navigate(expertHref, { state: { slotTaken: slotStart } });
  };

  return (
    <section className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Experts</Link> <span aria-hidden="true">/</span>{' '}
        <Link to={expertHref}>{expert.data?.name ?? 'Expert'}</Link> <span aria-hidden="true">/</span> <span>Book</span>
      </nav>
      <PageTitle title="Book a session">
        {expert.data ? `Book a session with ${expert.data.name}` : 'Book a session'}
      </PageTitle>
      {expert.isError ? (
        <ErrorPanel title="We couldn't load this expert" error={expert.error} onRetry={() => expert.refetch()} />
      ) : slots.isError && !slots.data ? (
        <ErrorPanel title="We couldn't load available times" error={slots.error} onRetry={() => slots.refetch()} />
      ) : !expert.data || !slots.data ? (
        <div className="stack" aria-busy="true">
          <span className="sr-only">Loading…</span>
          <Skeleton height="3rem" />
          <Skeleton height="12rem" />
        </div>
      ) : (
        <>
          <ZoneSwitch
            viewerZone={viewerZone}
            expertZone={expertZone}
            choice={choice}
            onChange={setChoice}
            zone={zone}
          />
          <BookingForm
            expert={expert.data}
            slots={slots.data}
            timeZone={zone}
            initialSlot={params.get('slot') ?? ''}
            onBooked={({ booking, accessToken }) => {
              saveBookingToken(booking.id, booking.email, accessToken, booking.slotEnd);
              void queryClient.invalidateQueries({ queryKey: allSlotsKey(expertId) });
              setBooked(booking);
            }}
            onSlotTaken={backToPicker}
          />
        </>
      )}
    </section>
  );
}
