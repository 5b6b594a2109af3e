import { Rating } from '@/components/Rating';
import { formatZone } from '@/lib/time';
import type { Expert } from '@/lib/types';

export function ExpertProfile({ expert }: { expert: Expert }) {
  return (
    <div className="card profile">
      <p className="chip">{expert.category}</p>
      <dl className="facts">
        <div>
          <dt>Experience</dt>
          <dd>
            {expert.experienceYears} {expert.experienceYears === 1 ? 'year' : 'years'}
          </dd>
        </div>
        <div>
          <dt>Rating</dt>
          <dd>
            <Rating value={expert.rating} />
          </dd>
        </div>
        <div>
          <dt>Session length</dt>
          <dd>{expert.sessionMinutes} minutes</dd>
        </div>
        <div>
          <dt>Based in</dt>
          <dd>{formatZone(expert.timezone)}</dd>
        </div>
      </dl>
      {expert.bio && <p className="profile__bio">{expert.bio}</p>}
    </div>
  );
}
