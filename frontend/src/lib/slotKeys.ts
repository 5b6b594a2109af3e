/**
 * Arrow keys between slots (issue 13): the picker is one Tab stop; Left/Right move to the previous/next
 * bookable time, Up/Down to the first bookable time of the previous/next day that has one, Home/End to the
 * first/last. Booked and too-soon times are skipped (they are disabled, so they cannot take focus).
 */
export interface SlotCell {
  start: string;
  day: number;
  available: boolean;
}

export const SLOT_KEYS = ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End'] as const;

export function nextSlotStart(cells: SlotCell[], current: string, key: string): string | null {
  const free = cells.filter((c) => c.available);
  const at = free.findIndex((c) => c.start === current);
  if (free.length === 0 || at < 0) return null;
  const here = free[at];
  switch (key) {
    case 'ArrowRight':
      return free[Math.min(at + 1, free.length - 1)].start;
    case 'ArrowLeft':
      return free[Math.max(at - 1, 0)].start;
    case 'Home':
      return free[0].start;
    case 'End':
      return free[free.length - 1].start;
    case 'ArrowDown':
      return (free.find((c) => c.day > here.day) ?? here).start;
    case 'ArrowUp': {
      const before = free.filter((c) => c.day < here.day);
      if (before.length === 0) return here.start;
      const day = before[before.length - 1].day;
      return before.find((c) => c.day === day)!.start;
    }
    default:
      return null;
  }
}

/** The picker's one Tab stop: the chosen time if it is still bookable, else the first bookable one. */
export function tabStop(cells: SlotCell[], selected: string | null): string | null {
  const free = cells.filter((c) => c.available);
  return free.find((c) => c.start === selected)?.start ?? free[0]?.start ?? null;
}
