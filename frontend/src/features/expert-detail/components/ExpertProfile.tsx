import { ExpertFacts } from '@/components/ExpertFacts';
import type { Expert } from '@/lib/types';

export function ExpertProfile({ expert }: { expert: Expert }) {
  return (
    <div className="card panel profile">
      <p className="chip">{expert.category}</p>
      <ExpertFacts expert={expert} className="facts" full />
      {expert.bio && <p className="profile__bio">{expert.bio}</p>}
    </div>
  );
}
