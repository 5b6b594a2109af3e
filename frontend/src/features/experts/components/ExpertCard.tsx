import { Link } from 'react-router';
import { ExpertFacts } from '@/components/ExpertFacts';
import { Skeleton } from '@/components/Skeleton';
import type { Expert } from '@/lib/types';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((part) => part[0]?.toUpperCase())
    .join('');
}

export function ExpertCard({ expert }: { expert: Expert }) {
  return (
    <article className="card expert-card" data-testid="expert-card">
      <div className="expert-card__head">
        <span className="avatar disc" aria-hidden="true">
          {initials(expert.name)}
        </span>
        <div>
          <h2 className="expert-card__name">
            {/* The link's ::after covers the card, so the whole card is clickable but announced once. */}
            <Link className="card-link" to={`/experts/${encodeURIComponent(expert.id)}`}>
              {expert.name}
            </Link>
          </h2>
          <p className="chip">{expert.category}</p>
        </div>
      </div>
      <ExpertFacts expert={expert} className="expert-card__facts" />
      {expert.bio && <p className="expert-card__bio">{expert.bio}</p>}
    </article>
  );
}

export function ExpertCardSkeleton() {
  return (
    <div className="card expert-card" aria-hidden="true">
      <div className="expert-card__head">
        <Skeleton width="3rem" height="3rem" />
        <div className="stack stack--tight" style={{ flex: 1 }}>
          <Skeleton width="70%" height="1.25rem" />
          <Skeleton width="40%" />
        </div>
      </div>
      <span className="expert-card__skeleton-facts">
        <Skeleton width="40%" height="0.75rem" />
        <Skeleton width="60%" />
      </span>
      <span className="expert-card__skeleton-bio">
        <Skeleton height="0.75rem" />
        <Skeleton width="80%" height="0.75rem" />
      </span>
    </div>
  );
}
