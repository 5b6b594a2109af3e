import { formatZone } from '@/lib/time';
import type { Expert } from '@/lib/types';
import { Rating } from './Rating';

interface Props {
  expert: Expert;
  className: string;
  /** Also the session length and the expert's zone (the profile page; the card shows only the first two). */
  full?: boolean;
}

/** An expert's facts as a description list: experience and rating, and with `full` session length and zone. */
export function ExpertFacts({ expert, className, full = false }: Props) {
  const years = expert.experienceYears;
  return (
    <dl className={className}>
      <div>
        <dt>Experience</dt>
        <dd>
          {years} {years === 1 ? 'year' : 'years'}
        </dd>
      </div>
      <div>
        <dt>Rating</dt>
        <dd>
          <Rating value={expert.rating} />
        </dd>
      </div>
      {full && (
        <>
          <div>
            <dt>Session length</dt>
            <dd>{expert.sessionMinutes} minutes</dd>
          </div>
          <div>
            <dt>Based in</dt>
            <dd>{formatZone(expert.timezone)}</dd>
          </div>
        </>
      )}
    </dl>
  );
}
