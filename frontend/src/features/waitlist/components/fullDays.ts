import type { SlotDay } from '@/lib/types';

/**
 * The dates (the expert's own, as the slots route groups them without `tz`) that still have sessions ahead
 * and none free: the days one can join a waitlist for.
 */
export function fullDays(days: SlotDay[], now: number = Date.now()): string[] {
  return days
    .filter((day) => day.slots.some((s) => Date.parse(s.start) > now) && day.slots.every((s) => !s.available))
    .map((day) => day.date);
}
