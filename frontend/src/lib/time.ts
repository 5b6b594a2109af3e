/**
 * Time-zone helpers built on Intl only. The API sends UTC instants; everything the user sees is rendered
 * in an explicit IANA zone (the viewer's or the expert's), never in an implicit local time.
 */
import type { Slot, SlotDay } from './types';

/** User's locale for display; undefined lets Intl use the browser's. */
const LOCALE: string | undefined = undefined;

let viewerZone: string | undefined;

/**
 * The browser's IANA zone. Asked once per page load: every call made a default Intl.DateTimeFormat, and the
 * expert page asks on each render (~140 ms of the mobile profile's blocking time, issue 14).
 */
export function viewerTimeZone(): string {
  viewerZone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  return viewerZone;
}

// Making an Intl.DateTimeFormat costs far more than using one, and a slot list formats hundreds of
// times per render: one formatter per kind and zone, made on first use (issue 14, Lighthouse TBT).
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(
  key: string,
  options: () => Intl.DateTimeFormatOptions,
  locale: string | undefined = LOCALE,
): Intl.DateTimeFormat {
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options());
    formatters.set(key, found);
  }
  return found;
}

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  const options = () =>
    ({
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    }) as const;
  return formatter(`parts:${timeZone}`, options, 'en-US');
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(instant: Date, timeZone: string): WallClock {
  const out: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(instant)) {
    if (part.type !== 'literal') out[part.type] = Number(part.value);
  }
  return out as unknown as WallClock;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Calendar date ("YYYY-MM-DD") of an instant, as seen in `timeZone`. */
export function dateKeyInZone(instant: Date | string, timeZone: string): string {
  const w = wallClock(new Date(instant), timeZone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** Today's date in `timeZone`. */
export function todayInZone(timeZone: string, now: Date = new Date()): string {
  return dateKeyInZone(now, timeZone);
}

/** Offset of `timeZone` from UTC at `instant`, in milliseconds (e.g. +19 800 000 for Asia/Kolkata). */
export function zoneOffsetMs(instant: Date, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/**
 * The instant at which clocks in `timeZone` show `date` `time` ("YYYY-MM-DD", "HH:MM"). For a wall time
 * skipped by a DST jump, the result lands just after the jump; for a repeated one, the earlier instant.
 */
export function zonedTimeToUtc(date: string, time: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wallAsUtc = Date.UTC(y, m - 1, d, hh, mm);
  const firstGuess = wallAsUtc - zoneOffsetMs(new Date(wallAsUtc), timeZone);
  const offset = zoneOffsetMs(new Date(firstGuess), timeZone);
  const candidate = wallAsUtc - offset;
  // Prefer the earlier of two valid instants (autumn overlap).
  const earlier = wallAsUtc - zoneOffsetMs(new Date(candidate - 3_600_000), timeZone);
  if (earlier < candidate && wallMatches(earlier, date, time, timeZone)) return new Date(earlier);
  return new Date(candidate);
}

function wallMatches(instant: number, date: string, time: string, timeZone: string): boolean {
  const w = wallClock(new Date(instant), timeZone);
  return dateKeyInZone(new Date(instant), timeZone) === date && `${pad(w.hour)}:${pad(w.minute)}` === time;
}

/** The calendar date after "YYYY-MM-DD". */
export function nextDateKey(date: string): string {
  return addDays(date, 1);
}

/** "YYYY-MM-DD" moved by `days` calendar days (negative: back). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** First and last second of calendar day `date` in `timeZone`, as UTC instants (DST-safe: 23 or 25 h days). */
export function dayBoundsInZone(date: string, timeZone: string): { start: string; end: string } {
  const start = zonedTimeToUtc(date, '00:00', timeZone);
  const next = zonedTimeToUtc(nextDateKey(date), '00:00', timeZone);
  return { start: toIsoInstant(start), end: toIsoInstant(new Date(next.getTime() - 1000)) };
}

/** ISO instant without milliseconds, the way the API writes them: "2026-03-29T00:30:00Z". */
export function toIsoInstant(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Same instant, whatever the spelling ("...00Z" vs "...00.000Z" vs "+00:00"). */
export function sameInstant(a: string, b: string): boolean {
  return new Date(a).getTime() === new Date(b).getTime();
}

export interface SlotGroup {
  /** "YYYY-MM-DD" in the zone the slots were grouped by. */
  date: string;
  slots: Slot[];
}

/**
 * Regroup slots by calendar date in `timeZone`. The server groups by the expert's zone; the viewer may be
 * in another, where a slot can fall on a different date. Slots are sorted by start, duplicates dropped.
 */
export function groupSlotsByDate(days: SlotDay[], timeZone: string): SlotGroup[] {
  const byStart = new Map<number, Slot>();
  for (const day of days) for (const slot of day.slots) byStart.set(new Date(slot.start).getTime(), slot);
  const groups = new Map<string, Slot[]>();
  for (const [, slot] of [...byStart].sort(([a], [b]) => a - b)) {
    const key = dateKeyInZone(slot.start, timeZone);
    const list = groups.get(key);
    if (list) list.push(slot);
    else groups.set(key, [slot]);
  }
  return [...groups].map(([date, slots]) => ({ date, slots }));
}

/**
 * Slot groups without the slots that have already started. The API keeps today's earlier slots (as
 * unavailable); showing a morning of struck-through times reads as "fully booked", which it is not.
 */
export function upcomingGroups(groups: SlotGroup[], now: number = Date.now()): SlotGroup[] {
  return groups
    .map((group) => ({ ...group, slots: group.slots.filter((slot) => Date.parse(slot.start) > now) }))
    .filter((group) => group.slots.length > 0);
}

const DATE_STYLES = {
  long: { weekday: 'long', month: 'long', year: 'numeric' }, // Sunday 29 March 2026
  medium: { weekday: 'short', month: 'long', year: 'numeric' }, // Sun 29 March 2026
  short: { weekday: 'short', month: 'short' }, // Sun 29 Mar
} as const;

/** A "YYYY-MM-DD" key as words (a calendar date, so no zone conversion). */
export function formatDateKey(dateKey: string, style: keyof typeof DATE_STYLES = 'long'): string {
  const [y, m, d] = dateKey.split('-').map(Number);
  return formatter(`date:${style}`, () => ({ timeZone: 'UTC', day: 'numeric', ...DATE_STYLES[style] })).format(
    new Date(Date.UTC(y, m - 1, d, 12)),
  );
}

/** "10:30" (or "10:30 AM", by locale) in `timeZone`. */
export function formatTime(instant: string | Date, timeZone: string): string {
  return formatter(`time:${timeZone}`, () => ({ timeZone, hour: 'numeric', minute: '2-digit' })).format(
    new Date(instant),
  );
}

/** "Sun 29 Mar 2026, 10:30" in `timeZone`. */
export function formatDateTime(instant: string | Date, timeZone: string): string {
  return formatter(`datetime:${timeZone}`, () => ({
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: 'numeric',
    minute: '2-digit',
  })).format(new Date(instant));
}

/** "Asia/Kolkata (GMT+5:30)": the IANA name people recognise plus the current offset. */
export function formatZone(timeZone: string, at: Date = new Date()): string {
  const offset = formatter(`offset:${timeZone}`, () => ({ timeZone, timeZoneName: 'shortOffset' }), 'en-US')
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName')?.value;
  const name = timeZone.replace(/_/g, ' ');
  return offset ? `${name} (${offset})` : name;
}

/** ICU's canonical id, so that aliases compare equal (Chromium reports "Asia/Calcutta" for Asia/Kolkata). */
const canonical = new Map<string, string>(); // a zone's canonical id never changes: ask Intl once per name

export function canonicalZone(timeZone: string): string {
  let found = canonical.get(timeZone);
  if (found === undefined) {
    try {
      found = new Intl.DateTimeFormat('en-US', { timeZone }).resolvedOptions().timeZone;
    } catch {
      found = timeZone;
    }
    canonical.set(timeZone, found);
  }
  return found;
}

export function sameZone(a: string, b: string): boolean {
  return a === b || canonicalZone(a) === canonicalZone(b);
}

/** Is `timeZone` a zone this browser knows? */
const valid = new Map<string, boolean>();

export function isValidTimeZone(timeZone: string): boolean {
  let known = valid.get(timeZone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone });
      known = true;
    } catch {
      known = false;
    }
    valid.set(timeZone, known);
  }
  return known;
}
