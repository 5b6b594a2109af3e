import { useState } from 'react';
import { SLOT_DAYS } from '@/lib/publicPaths';
import { nextAvailableDate } from '@/lib/slotsQuery';
import { addDays, formatDateKey } from '@/lib/time';
import type { SlotsResponse } from '@/lib/types';

interface Props {
  expertId: string;
  data: SlotsResponse;
  /** The window's first date ('' = today). */
  from: string;
  onFrom: (from: string) => void;
  noneFree: boolean;
}

/**
 * Two weeks at a time (the slots route serves up to 60 days from any date): earlier and later dates, and a
 * "next available" jump when this window has no free time (issue 13).
 */
export function SlotRange({ expertId, data, from, onFrom, noneFree }: Props) {
  const [searching, setSearching] = useState(false);
  const [nothing, setNothing] = useState(false);
  const first = data.days[0]?.date;
  const last = data.days[data.days.length - 1]?.date;
  if (!first || !last) return null;
  const after = addDays(last, 1);

  const jump = async () => {
    setSearching(true);
    setNothing(false);
    try {
      const date = await nextAvailableDate(expertId, after);
      if (date) onFrom(date);
      else setNothing(true);
    } finally {
      setSearching(false);
    }
  };

  return (
    <div className="slot-range stack stack--tight">
      <p className="small muted" data-testid="slot-range">
        {formatDateKey(first, 'short')} – {formatDateKey(last, 'short')}
      </p>
      <div className="actions actions--tight">
        {from && (
          <button type="button" className="button button--secondary" onClick={() => onFrom(earlier(from))}>
            Earlier dates
          </button>
        )}
        <button type="button" className="button button--secondary" onClick={() => onFrom(after)}>
          Later dates
        </button>
        {noneFree && (
          <button type="button" className="button" onClick={searching ? undefined : jump} aria-disabled={searching}>
            {searching ? 'Looking…' : 'Next available time'}
          </button>
        )}
      </div>
      {nothing && (
        <p className="small" role="status">
          No free times in the 60 days after {formatDateKey(last, 'short')}.
        </p>
      )}
    </div>
  );
}

/** Two weeks back; '' (today) once that reaches today or earlier. */
function earlier(from: string): string {
  const back = addDays(from, -SLOT_DAYS);
  return back <= new Date().toISOString().slice(0, 10) ? '' : back;
}
