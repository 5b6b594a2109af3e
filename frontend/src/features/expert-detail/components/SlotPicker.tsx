import { formatDateKey, formatTime, sameInstant, type SlotGroup } from '@/lib/time';

interface Props {
  groups: SlotGroup[];
  timeZone: string;
  selectedStart: string | null;
  onSelect: (start: string) => void;
}

/** Accessible name of a slot button: the full date and the time, e.g. "Sunday 29 March 2026, 10:30". */
export function slotLabel(dateKey: string, start: string, timeZone: string, available: boolean): string {
  return `${formatDateKey(dateKey)}, ${formatTime(start, timeZone)}${available ? '' : ' (unavailable)'}`;
}

export function SlotPicker({ groups, timeZone, selectedStart, onSelect }: Props) {
  return (
    <div className="slot-days">
      {groups.map((group) => {
        const headingId = `day-${group.date}`;
        const free = group.slots.filter((s) => s.available).length;
        return (
          <section key={group.date} className="slot-day" aria-labelledby={headingId}>
            <h3 className="slot-day__title" id={headingId}>
              {formatDateKey(group.date)}
              <span className="slot-day__count">{free === 0 ? 'Fully booked' : `${free} available`}</span>
            </h3>
            <ul className="slot-grid">
              {group.slots.map((slot) => {
                const selected = selectedStart !== null && sameInstant(slot.start, selectedStart);
                return (
                  <li key={slot.start}>
                    <button
                      type="button"
                      className="slot"
                      aria-pressed={selected}
                      disabled={!slot.available}
                      aria-label={slotLabel(group.date, slot.start, timeZone, slot.available)}
                      data-start={slot.start}
                      onClick={() => onSelect(slot.start)}
                    >
                      {formatTime(slot.start, timeZone)}
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        );
      })}
    </div>
  );
}
