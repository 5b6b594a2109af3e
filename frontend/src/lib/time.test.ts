import { describe, expect, it } from 'vitest';
import {
  dateKeyInZone,
  dayBoundsInZone,
  groupSlotsByDate,
  toIsoInstant,
  upcomingGroups,
  zonedTimeToUtc,
  zoneOffsetMs,
} from './time';
import type { Slot, SlotDay } from './types';

const slot = (start: string, minutes = 60, available = true): Slot => ({
  start,
  end: toIsoInstant(new Date(Date.parse(start) + minutes * 60_000)),
  available,
});

// As the server sends them: grouped by the expert's zone (here UTC), which the client regroups.
const days: SlotDay[] = [
  { date: '2026-03-28', slots: [slot('2026-03-28T20:00:00Z')] },
  {
    date: '2026-03-29',
    slots: [slot('2026-03-29T00:30:00Z'), slot('2026-03-29T01:30:00Z', 60, false), slot('2026-03-29T23:30:00Z')],
  },
];

const summary = (timeZone: string) =>
  groupSlotsByDate(days, timeZone).map((g) => [g.date, g.slots.map((s) => s.start)]);

describe('groupSlotsByDate', () => {
  it('puts 2026-03-29T00:30Z on the 29th in Kolkata but on the 28th in Los Angeles', () => {
    expect(dateKeyInZone('2026-03-29T00:30:00Z', 'Asia/Kolkata')).toBe('2026-03-29');
    expect(dateKeyInZone('2026-03-29T00:30:00Z', 'America/Los_Angeles')).toBe('2026-03-28');

    expect(summary('Asia/Kolkata')).toEqual([
      ['2026-03-29', ['2026-03-28T20:00:00Z', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z']],
      ['2026-03-30', ['2026-03-29T23:30:00Z']],
    ]);
    expect(summary('America/Los_Angeles')).toEqual([
      ['2026-03-28', ['2026-03-28T20:00:00Z', '2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z']],
      ['2026-03-29', ['2026-03-29T23:30:00Z']],
    ]);
  });

  it('handles the spring-forward day in Europe/London (clocks go 01:00 GMT → 02:00 BST on 29 March 2026)', () => {
    // 00:30Z is 00:30 GMT and 01:30Z is 02:30 BST, both on the 29th; 23:30Z is 00:30 BST on the 30th.
    expect(summary('Europe/London')).toEqual([
      ['2026-03-28', ['2026-03-28T20:00:00Z']],
      ['2026-03-29', ['2026-03-29T00:30:00Z', '2026-03-29T01:30:00Z']],
      ['2026-03-30', ['2026-03-29T23:30:00Z']],
    ]);
    expect(zoneOffsetMs(new Date('2026-03-29T00:30:00Z'), 'Europe/London')).toBe(0);
    expect(zoneOffsetMs(new Date('2026-03-29T01:30:00Z'), 'Europe/London')).toBe(3_600_000);
  });

  it('keeps availability, sorts by start and drops duplicates', () => {
    const messy: SlotDay[] = [
      { date: 'b', slots: [slot('2026-03-29T10:00:00Z'), slot('2026-03-29T09:00:00Z', 60, false)] },
      { date: 'a', slots: [slot('2026-03-29T10:00:00Z')] },
    ];
    const [group] = groupSlotsByDate(messy, 'UTC');
    expect(group.slots.map((s) => [s.start, s.available])).toEqual([
      ['2026-03-29T09:00:00Z', false],
      ['2026-03-29T10:00:00Z', true],
    ]);
  });
});

describe('zonedTimeToUtc', () => {
  it('converts wall-clock times in a zone to UTC', () => {
    expect(toIsoInstant(zonedTimeToUtc('2026-03-29', '09:00', 'Asia/Kolkata'))).toBe('2026-03-29T03:30:00Z');
    expect(toIsoInstant(zonedTimeToUtc('2026-03-28', '17:30', 'America/Los_Angeles'))).toBe('2026-03-29T00:30:00Z');
    expect(toIsoInstant(zonedTimeToUtc('2026-03-29', '00:30', 'Europe/London'))).toBe('2026-03-29T00:30:00Z');
    expect(toIsoInstant(zonedTimeToUtc('2026-03-29', '09:00', 'Europe/London'))).toBe('2026-03-29T08:00:00Z');
  });

  it('takes the earlier instant for a time that happens twice (London, 25 October 2026)', () => {
    expect(toIsoInstant(zonedTimeToUtc('2026-10-25', '01:30', 'Europe/London'))).toBe('2026-10-25T00:30:00Z');
  });
});

describe('upcomingGroups', () => {
  it('drops slots that have started, and days left empty', () => {
    const groups = groupSlotsByDate(days, 'UTC');
    const now = Date.parse('2026-03-29T01:00:00Z');
    expect(upcomingGroups(groups, now).map((g) => [g.date, g.slots.map((s) => s.start)])).toEqual([
      ['2026-03-29', ['2026-03-29T01:30:00Z', '2026-03-29T23:30:00Z']],
    ]);
  });
});

describe('dayBoundsInZone', () => {
  it('covers the calendar day in that zone, including 23-hour DST days', () => {
    expect(dayBoundsInZone('2026-03-29', 'Europe/London')).toEqual({
      start: '2026-03-29T00:00:00Z',
      end: '2026-03-29T22:59:59Z',
    });
    expect(dayBoundsInZone('2026-12-31', 'Asia/Kolkata')).toEqual({
      start: '2026-12-30T18:30:00Z',
      end: '2026-12-31T18:29:59Z',
    });
  });
});
