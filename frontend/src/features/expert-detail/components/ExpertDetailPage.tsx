import { Link, useParams } from 'react-router';
import { ErrorPanel } from '@/components/ErrorPanel';
import { PageTitle } from '@/components/PageTitle';
import { Skeleton } from '@/components/Skeleton';
import { useExpert } from '@/lib/expertQuery';
import { ApiError } from '@/lib/http';
import { useDisplayZone } from '@/lib/useDisplayZone';
import { ExpertProfile } from './ExpertProfile';
import { SlotsPanel, type SlotsAddon } from './SlotsPanel';
import { useExpertSlots } from '../hooks/useExpertSlots';

export function ExpertDetailPage({ slotsAddon }: { slotsAddon?: SlotsAddon } = {}) {
  const { expertId = '' } = useParams();
  const expert = useExpert(expertId);
  const zone = useDisplayZone(expert.data?.timezone);
  const expertSlots = useExpertSlots(expertId, zone.zone);

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
          <SlotsPanel expert={expert.data} zone={zone} state={expertSlots} Addon={slotsAddon} />
        </div>
      )}
    </section>
  );
}
