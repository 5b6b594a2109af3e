import type { AvailabilityChange } from '@/lib/slotChanges';
import { dateKeyInZone, formatDateKey, formatTime } from '@/lib/time';

const when = (start: string, timeZone: string) =>
  `${formatDateKey(dateKeyInZone(start, timeZone), 'short')} at ${formatTime(start, timeZone)}`;

/** Sentence for the aria-live region, e.g. "Tue 31 Mar at 10:00 is no longer available." */
export function describeChange({ taken, freed }: AvailabilityChange, timeZone: string): string {
  const parts: string[] = [];
  if (taken.length === 1) parts.push(`${when(taken[0].start, timeZone)} is no longer available.`);
  else if (taken.length > 1) parts.push(`${taken.length} times are no longer available.`);
  if (freed.length === 1) parts.push(`${when(freed[0].start, timeZone)} just became available.`);
  else if (freed.length > 1) parts.push(`${freed.length} more times just became available.`);
  return parts.join(' ');
}
