import { formatDateKey, nextDateKey } from '@/lib/time';
import type { Override } from '../api/availabilityApi';
import { IntervalList } from './IntervalList';

interface Props {
  overrides: Override[];
  onChange: (overrides: Override[]) => void;
  /** "YYYY-MM-DD" today in the expert's zone: the first date worth overriding. */
  today: string;
}

/** Dates whose hours differ from their weekday's; with no hours, a day off. */
export function OverridesEditor({ overrides, onChange, today }: Props) {
  const update = (index: number, change: Partial<Override>) =>
    onChange(overrides.map((o, i) => (i === index ? { ...o, ...change } : o)));
  const taken = new Set(overrides.map((o) => o.date));
  const add = () => {
    let date = today;
    while (taken.has(date)) date = nextDateKey(date);
    onChange([...overrides, { date, intervals: [] }]);
  };

  return (
    <fieldset className="fieldset">
      <legend>Date overrides</legend>
      <p className="muted small">A date here uses its own hours instead of its weekday's; no hours means a day off.</p>
      <ul className="week">
        {overrides.map((override, index) => {
          const label = override.date ? formatDateKey(override.date) : `Override ${index + 1}`;
          return (
            <li key={index} className="week__day" data-testid="override">
              <span className="week__name">
                <label className="sr-only" htmlFor={`override-${index}-date`}>
                  Override {index + 1} date
                </label>
                <input
                  id={`override-${index}-date`}
                  className="input"
                  type="date"
                  min={today}
                  value={override.date}
                  onChange={(e) => update(index, { date: e.target.value })}
                />
              </span>
              <IntervalList
                id={`override-${index}`}
                label={label}
                intervals={override.intervals}
                onChange={(intervals) => update(index, { intervals })}
                emptyText="Day off"
              />
              <button
                type="button"
                className="button button--small button--danger-outline"
                onClick={() => onChange(overrides.filter((_, i) => i !== index))}
              >
                Remove override<span className="sr-only"> for {label}</span>
              </button>
            </li>
          );
        })}
      </ul>
      <button type="button" className="button button--small button--secondary" onClick={add}>
        Add a date
      </button>
    </fieldset>
  );
}

