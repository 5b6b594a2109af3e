import { useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { formatDateKey, formatTime, sameInstant, type SlotGroup } from '@/lib/time';
import type { Slot } from '@/lib/types';
import { nextSlotStart, SLOT_KEYS, tabStop, type SlotCell } from '@/lib/slotKeys';
import './slot-picker.css';

interface Props {
  groups: SlotGroup[];
  timeZone: string;
  selectedStart: string | null;
  onSelect: (start: string) => void;
  /** What sits under the chosen day, e.g. a "Continue" link or a "Move here" button. */
  action: (start: string) => ReactNode;
  /** Prefix of the day headings' ids, unique per picker on a page. */
  idPrefix?: string;
  /** The day headings' level: 3 under a page's h2, deeper inside a nested panel. */
  level?: 3 | 5;
}

const REASONS = { booked: ' (booked)', too_soon: ' (too soon to book)' } as const;

/** Accessible name of a slot button: the full date and the time, e.g. "Sunday 29 March 2026, 10:30". */
export function slotLabel(dateKey: string, slot: Slot, timeZone: string): string {
  const why = slot.available ? '' : slot.reason ? REASONS[slot.reason] : ' (unavailable)';
  return `${formatDateKey(dateKey)}, ${formatTime(slot.start, timeZone)}${why}`;
}

function slotClass(slot: Slot): string {
  return slot.available ? 'slot' : `slot slot--${slot.reason ?? 'booked'}`;
}

export function SlotLegend() {
  return (
    <ul className="slot-legend" aria-label="Key to the times">
      <li><span className="slot slot--swatch" aria-hidden="true">9:00</span> Free</li>
      <li><span className="slot slot--booked slot--swatch" aria-hidden="true">9:00</span> Booked</li>
      <li><span className="slot slot--too_soon slot--swatch" aria-hidden="true">9:00</span> Too soon to book</li>
    </ul>
  );
}

/** One Tab stop for every time; arrow keys move between bookable ones; `action` sits under the chosen day. */
export function SlotPicker({ groups, timeZone, selectedStart, onSelect, action, idPrefix = 'day', level = 3 }: Props) {
  const root = useRef<HTMLDivElement>(null);
  const Heading = level === 3 ? 'h3' : 'h5';
  const cells = useMemo<SlotCell[]>(
    () => groups.flatMap((g, day) => g.slots.map((s) => ({ start: s.start, day, available: s.available }))),
    [groups],
  );
  const [focused, setFocused] = useState<string | null>(null);
  const stop = tabStop(cells, focused && cells.some((c) => c.start === focused && c.available) ? focused : selectedStart);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const start = (event.target as HTMLElement).dataset.start;
    if (!start || !(SLOT_KEYS as readonly string[]).includes(event.key)) return;
    const next = nextSlotStart(cells, start, event.key);
    if (!next) return;
    event.preventDefault();
    setFocused(next);
    root.current?.querySelector<HTMLButtonElement>(`button[data-start="${CSS.escape(next)}"]`)?.focus();
  };

  return (
    <div className="slot-days" ref={root} onKeyDown={onKeyDown}>
      {groups.map((group) => {
        const headingId = `${idPrefix}-${group.date}`;
        const free = group.slots.filter((s) => s.available).length;
        const chosen = group.slots.find((s) => selectedStart !== null && sameInstant(s.start, selectedStart));
        return (
          <section key={group.date} className="slot-day" aria-labelledby={headingId}>
            <Heading className="slot-day__title" id={headingId}>
              {formatDateKey(group.date)}
              <span className="slot-day__count">{free === 0 ? 'Fully booked' : `${free} available`}</span>
            </Heading>
            <ul className="slot-grid">
              {group.slots.map((slot) => (
                <li key={slot.start}>
                  <button
                    type="button"
                    className={slotClass(slot)}
                    aria-pressed={chosen === slot}
                    disabled={!slot.available}
                    tabIndex={slot.start === stop ? 0 : -1}
                    aria-label={slotLabel(group.date, slot, timeZone)}
                    data-start={slot.start}
                    onClick={() => onSelect(slot.start)}
                    onFocus={() => setFocused(slot.start)}
                  >
                    {formatTime(slot.start, timeZone)}
                  </button>
                </li>
              ))}
            </ul>
            {chosen?.available && (
              <div className="slot-day__continue">{action(chosen.start)}</div>
            )}
          </section>
        );
      })}
    </div>
  );
}
