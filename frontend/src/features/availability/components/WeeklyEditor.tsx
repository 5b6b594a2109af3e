import { DAY_NAMES, WEEKDAYS, type Interval, type Rule } from '../api/availabilityApi';
import { IntervalList } from './IntervalList';

interface Props {
  weekly: Rule['weekly'];
  onChange: (weekly: Rule['weekly']) => void;
}

/** Monday to Sunday, each with its working hours in the expert's zone. */
export function WeeklyEditor({ weekly, onChange }: Props) {
  const set = (day: string, intervals: Interval[]) => onChange({ ...weekly, [day]: intervals });
  return (
    <fieldset className="fieldset">
      <legend>Weekly hours</legend>
      <ul className="stack stack--tight plain-list">
        {WEEKDAYS.map((day) => (
          <li key={day} className="week__day" data-testid={`weekday-${day}`}>
            <span className="week__name">{DAY_NAMES[day]}</span>
            <IntervalList
              id={`weekly-${day}`}
              label={DAY_NAMES[day]}
              intervals={weekly[day] ?? []}
              onChange={(intervals) => set(day, intervals)}
              emptyText="Not working"
            />
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
