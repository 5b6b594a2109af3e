import { useState } from 'react';
import { Link, useLocation, useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import { Skeleton } from '@/components/Skeleton';
import { useClientTokens } from '@/lib/accessTokens';
import { useDisplayZone } from '@/lib/useDisplayZone';
import { isDeadToken, useCancelBooking, useDeviceBookings, useRescheduleBooking } from '../api/myBookings';
import { useAccessLink } from '../hooks/useAccessLink';
import { useForgetDeadTokens } from '../hooks/useForgetDeadTokens';
import { AccessLinkPanel } from './AccessLinkPanel';
import { BookingLists } from './BookingLists';

/** Set by the verification page when it sends the user here. */
export interface MyBookingsState {
  verified?: string;
}

export function MyBookingsPage() {
  const link = useAccessLink();
  const verified = (useLocation().state as MyBookingsState | null)?.verified;
  const targetId = useSearchParams()[0].get('booking') ?? undefined;
  const tokens = useClientTokens();
  const device = useDeviceBookings(tokens);
  const cancel = useCancelBooking(tokens);
  const reschedule = useRescheduleBooking(tokens);
  const lostEmails = useForgetDeadTokens(device.failures);
  const [askForLink, setAskForLink] = useState(false);
  const { zone } = useDisplayZone(undefined); // the zone picked on an expert's page, else the viewer's

  const emails = Object.keys(tokens.emails).sort();
  const deviceOnly = Object.values(tokens.bookings).filter((b) => !tokens.emails[b.email]);
  const hasAccess = emails.length > 0 || deviceOnly.length > 0;
  const otherFailures = device.failures.filter((f) => !isDeadToken(f.error));
  const suggestedEmail = lostEmails[0] ?? deviceOnly[0]?.email ?? '';
  const header = <PageTitle title="My bookings">My bookings</PageTitle>;

  if (link.state.phase === 'exchanging') {
    return (
      <section className="stack" aria-busy="true">
        {header}
        <p className="muted">Opening your bookings…</p>
      </section>
    );
  }

  if (link.state.phase === 'failed' || askForLink || !hasAccess) {
    const back = () => {
      link.dismiss();
      setAskForLink(false);
    };
    return (
      <AccessLinkPanel
        header={header}
        link={link}
        lostEmails={lostEmails}
        suggestedEmail={suggestedEmail}
        onBack={hasAccess ? back : undefined}
      />
    );
  }

  return (
    <section className="stack">
      {header}
      {verified && (
        <p className="notice notice--success" role="status">
          Your email is confirmed; your booking is kept.
        </p>
      )}
      <div className="toolbar">
        <div className="stack stack--tight" data-testid="my-bookings-scope">
          {emails.map((email) => (
            <p key={email}>
              All bookings for <strong>{email}</strong>
            </p>
          ))}
          {deviceOnly.length > 0 && (
            <p className={emails.length ? 'small muted' : undefined}>
              {emails.length ? 'Also: bookings made on this device.' : 'Bookings made on this device.'}{' '}
              {emails.length === 0 && 'To see every booking for your email, on any device, ask for a link by email.'}
            </p>
          )}
        </div>
        <button type="button" className="button button--link" onClick={() => setAskForLink(true)}>
          {emails.length ? 'Use a different email' : 'Email me a link to all my bookings'}
        </button>
      </div>

      {otherFailures.length > 0 && (
        <ErrorPanel title="We couldn't load some of your bookings" error={otherFailures[0].error} onRetry={device.refetch} />
      )}
      {device.isPending && device.bookings.length === 0 ? (
        <div className="stack" aria-busy="true">
          <span className="sr-only">Loading your bookings…</span>
          <Skeleton height="6rem" />
          <Skeleton height="6rem" />
        </div>
      ) : device.bookings.length === 0 ? (
        otherFailures.length === 0 && (
          <EmptyState title="No bookings yet">
            <p>
              <Link to="/">Find an expert</Link> and book your first session.
            </p>
          </EmptyState>
        )
      ) : (
        <BookingLists
          bookings={device.bookings}
          zone={zone}
          onCancel={(x) => cancel.mutateAsync(x)}
          onReschedule={(booking, slotStart) => reschedule.mutateAsync({ booking, slotStart })}
          targetId={targetId}
        />
      )}
    </section>
  );
}
