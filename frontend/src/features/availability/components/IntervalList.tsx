import type { Interval } from '../api/availabilityApi';

interface Props {
  /** Unique per list: prefixes the inputs' ids. */
  id: string;
  /** The day the hours belong to, e.g. "Monday" or "24 December 2026" (for labels read aloud). */
  label: string;
  intervals: Interval[];
  onChange: (intervals: Interval[]) => void;
  /** Shown when there are no intervals, e.g. "Closed" or "Day off". */
  emptyText: string;
}

/** One day's working hours: start and end times (HH:MM, the expert's zone), added and removed in place. */
export function IntervalList({ id, label, intervals, onChange, emptyText }: Props) {
  const update = (index: number, change: Partial<Interval>) =>
    onChange(intervals.map((interval, i) => (i === index ? { ...interval, ...change } : interval)));
  const last = intervals[intervals.length - 1];
  const next: Interval = last && last.end < '22:00' ? { start: last.end, end: laterBy(last.end, 2) } : { start: '09:00', end: '17:00' };

  return (
    <div className="hours">
      {intervals.length === 0 && <span className="muted small">{emptyText}</span>}
      {intervals.map((interval, index) => (
        <div className="hours__row" key={index}>
          <label className="sr-only" htmlFor={`${id}-${index}-start`}>
            {label} hours {index + 1} start
          </label>
          <input
            id={`${id}-${index}-start`}
            className="input input--time"
            type="time"
            step={300}
            value={interval.start}
            onChange={(e) => update(index, { start: e.target.value })}
          />
          <span aria-hidden="true">–</span>
          <label className="sr-only" htmlFor={`${id}-${index}-end`}>
            {label} hours {index + 1} end
          </label>
          <input
            id={`${id}-${index}-end`}
            className="input input--time"
            type="time"
            step={300}
            value={interval.end}
            onChange={(e) => update(index, { end: e.target.value })}
          />
          <button
            type="button"
            className="button button--small button--secondary"
            onClick={() => onChange(intervals.filter((_, i) => i !== index))}
          >
            Remove<span className="sr-only"> {label} hours {index + 1}</span>
          </button>
        </div>
      ))}
      <button type="button" className="button button--small button--link" onClick={() => onChange([...intervals, next])}>
        Add hours<span className="sr-only"> on {label}</span>
      </button>
    </div>
  );
}

/** "HH:MM" moved on by `hours`, at most "23:55". */
function laterBy(time: string, hours: number): string {
  const [h, m] = time.split(':').map(Number);
  const minutes = Math.min(h * 60 + m + hours * 60, 23 * 60 + 55);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
