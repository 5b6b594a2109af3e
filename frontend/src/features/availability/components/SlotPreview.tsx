import { formatDateKey, formatTime, formatZone } from '@/lib/time';
import type { Preview } from '../api/availabilityApi';

/** The slots a rule makes over its first two weeks, by the expert's local date (nothing saved yet). */
export function SlotPreview({ preview }: { preview: Preview }) {
  const total = preview.days.reduce((n, day) => n + day.slots.length, 0);
  return (
    <section className="stack" aria-labelledby="preview-title" data-testid="availability-preview">
      <h3 id="preview-title">Preview: {total === 1 ? '1 slot' : `${total} slots`} in the next two weeks</h3>
      <p className="muted small">Times in the expert's zone: {formatZone(preview.timezone)}.</p>
      {preview.days.length === 0 && <p className="muted">These hours make no slots in the next two weeks.</p>}
      {preview.days.map((day) => (
        <section key={day.date} className="slot-day" aria-labelledby={`preview-${day.date}`}>
          <h4 className="slot-day__title" id={`preview-${day.date}`}>
            {formatDateKey(day.date)}
          </h4>
          <ul className="preview-slots plain-list">
            {day.slots.map((slot) => (
              <li key={slot.start} className="chip" data-testid="preview-slot" data-start={slot.start}>
                {formatTime(slot.start, preview.timezone)}–{formatTime(slot.end, preview.timezone)}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}
