import type { Interval } from '../api/availabilityApi';

interface Props {
  /** Unique per list: prefixes the inputs' ids. */
  id: string;
  /** The day the hours belong to, e.g. "Monday" or "24 December 2026" (for labels read aloud). */
  label: string;
  intervals: Interval[];
  onChange: (intervals: Interval[]) => void;
  /** Shown when there are no intervals, e.g. "Not working" or "Day off". */
  emptyText: string;
}

/** One day's working hours: start and end times (HH:MM, the expert's zone), added and removed in place. */
export function IntervalList({ id, label, intervals, onChange, emptyText }: Props) {
  const update = (index: number, change: Partial<Interval>) =>
    onChange(intervals.map((interval, i) => (i === index ? { ...interval, ...change } : interval)));
  const last = intervals[intervals.length - 1];
  const next: Interval =
    last && last.end < '22:00' ? { start: last.end, end: laterBy(last.end, 2) } : { start: '09:00', end: '17:00' };

  return (
    <div className="hours">
      {intervals.length === 0 && <span className="muted small">{emptyText}</span>}
      {intervals.map((interval, index) => {
        const name = `${label} hours ${index + 1}`;
        return (
          <div className="hours__row" key={index}>
            <TimeInput
              id={`${id}-${index}-start`}
              label={`${name} start`}
              value={interval.start}
              onChange={(start) => update(index, { start })}
            />
            <span aria-hidden="true">–</span>
            <TimeInput
              id={`${id}-${index}-end`}
              label={`${name} end`}
              value={interval.end}
              onChange={(end) => update(index, { end })}
            />
            <button
              type="button"
              className="button button--small button--secondary"
              onClick={() => onChange(intervals.filter((_, i) => i !== index))}
            >
              Remove<span className="sr-only"> {name}</span>
            </button>
          </div>
        );
      })}
      <button
        type="button"
        className="button button--small button--link"
        onClick={() => onChange([...intervals, next])}
      >
        Add hours<span className="sr-only"> on {label}</span>
      </button>
    </div>
  );
}

interface TimeInputProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
}

function TimeInput({ id, label, value, onChange }: TimeInputProps) {
  return (
    <>
      <label className="sr-only" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        className="input input--time"
        type="time"
        step={300}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </>
  );
}

/** "HH:MM" moved on by `hours`, at most "23:55". */
function laterBy(time: string, hours: number): string {
  const [h, m] = time.split(':').map(Number);
  const minutes = Math.min(h * 60 + m + hours * 60, 23 * 60 + 55);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
