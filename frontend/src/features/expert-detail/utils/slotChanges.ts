import { useEffect, useEffectEvent, useRef } from 'react';
import type { Slot, SlotsResponse } from '@/lib/types';

export interface AvailabilityChange {
  /** Slots that were bookable and no longer are (booked, or removed). */
  taken: Slot[];
  /** Slots that became bookable (a cancellation, or newly added). */
  freed: Slot[];
}

function availableStarts(data: SlotsResponse): Map<number, Slot> {
  const map = new Map<number, Slot>();
  for (const day of data.days) for (const slot of day.slots) if (slot.available) map.set(Date.parse(slot.start), slot);
  return map;
}

export function diffAvailability(previous: SlotsResponse, next: SlotsResponse): AvailabilityChange {
  const before = availableStarts(previous);
  const after = availableStarts(next);
  return {
    taken: [...before].filter(([start]) => !after.has(start)).map(([, slot]) => slot),
    freed: [...after].filter(([start]) => !before.has(start)).map(([, slot]) => slot),
  };
}

/** Calls `onChange` when bookable slots change between two successive versions of `data`. */
export function useAvailabilityChanges(
  data: SlotsResponse | undefined,
  onChange: (change: AvailabilityChange) => void,
): void {
  const previous = useRef<SlotsResponse | undefined>(undefined);
  const notify = useEffectEvent(onChange);
  useEffect(() => {
    const before = previous.current;
    previous.current = data;
    if (!before || !data || before === data) return;
    const change = diffAvailability(before, data);
    if (change.taken.length || change.freed.length) notify(change);
  }, [data]);
}
