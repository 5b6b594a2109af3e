import { Link, useSearchParams } from 'react-router';
import { EmptyState } from '@/components/EmptyState';
import { ErrorPanel } from '@/components/ErrorPanel';
import { Skeleton } from '@/components/Skeleton';
import { useExpert } from '@/lib/expertQuery';
import { formatZone } from '@/lib/time';
import { emptyRule, useAvailability, type AdminAccess } from '../api/availabilityApi';
import { RuleEditor } from './RuleEditor';
import '../availability.css';

/** /admin/availability?expertId=…: an expert's weekly hours, date overrides and a preview of their slots. */
export function AvailabilityPage(access: AdminAccess) {
  const [params] = useSearchParams();
  const expertId = params.get('expertId') ?? '';
  const expert = useExpert(expertId || undefined);
  const availability = useAvailability(expertId, access);

  if (!expertId) {
    return (
      <EmptyState title="Choose an expert first">
        Pick one under <Link to="/admin/slots">Slots</Link>, then open their weekly hours.
      </EmptyState>
    );
  }
  if (expert.isError || availability.isError) {
    const error = expert.error ?? availability.error;
    const retry = () => void (expert.isError ? expert.refetch() : availability.refetch());
    return <ErrorPanel title="We couldn't load this expert's hours" error={error} onRetry={retry} />;
  }
  if (!expert.data || !availability.data) return <Skeleton height="20rem" />;

  const view = availability.data;
  return (
    <section className="stack" aria-labelledby="availability-title">
      <h2 id="availability-title">Weekly hours: {expert.data.name}</h2>
      <p className="muted small">
        Times in the expert's zone, {formatZone(view.timezone)}. Sessions last {view.sessionMinutes} minutes. Saving
        makes the slots for the days ahead and keeps them rolling; free slots outside the new hours are removed, booked
        ones are kept. <Link to={`/admin/slots?expertId=${encodeURIComponent(expertId)}`}>See the slots</Link>
      </p>
      {!view.availability && <p className="notice notice--info">No weekly hours yet: slots are added by hand.</p>}
      <RuleEditor
        key={expertId}
        expertId={expertId}
        initial={view.availability ?? emptyRule()}
        zone={view.timezone}
        access={access}
      />
    </section>
  );
}
