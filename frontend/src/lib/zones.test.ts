import { describe, expect, it } from 'vitest';
import { allZones, findZone, modernZone, zoneLabel, zoneOption } from './zones';

const JAN = new Date('2026-01-15T12:00:00Z');

describe('allZones', () => {
  const zones = allZones(['Asia/Calcutta', 'Asia/Kolkata'], JAN);

  it('lists every zone the browser knows, each once, Kolkata under its current name', () => {
    const ids = zones.map((z) => z.id);
    expect(ids.length).toBeGreaterThan(300);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => id === 'Asia/Kolkata')).toHaveLength(1);
    expect(ids).not.toContain('Asia/Calcutta');
    expect(ids).toContain('Europe/London');
    expect(ids).toContain('UTC');
  });

  it('orders zones west to east by their offset', () => {
    const offsets = zones.map((z) => z.offsetMinutes);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
  });
});

describe('zoneOption', () => {
  it('gives a friendly name and the offset at that moment', () => {
    const kolkata = zoneOption('Asia/Calcutta', JAN);
    expect(kolkata).toMatchObject({ id: 'Asia/Kolkata', offset: 'GMT+5:30', offsetMinutes: 330 });
    expect(zoneLabel(kolkata)).toBe('Asia/Kolkata — India Standard Time (GMT+5:30)');
    expect(zoneOption('America/New_York', JAN).offsetMinutes).toBe(-300);
    expect(zoneOption('America/New_York', new Date('2026-07-01T12:00:00Z')).offsetMinutes).toBe(-240);
  });

  it('maps old names to current ones', () => {
    expect(modernZone('Europe/Kiev')).toBe('Europe/Kyiv');
    expect(modernZone('Europe/London')).toBe('Europe/London');
  });
});

describe('findZone', () => {
  const zones = allZones([], JAN);
  it('matches an id or a label, ignoring case and spaces for underscores', () => {
    expect(findZone(zones, 'asia/tokyo')?.id).toBe('Asia/Tokyo');
    expect(findZone(zones, 'America/New York')?.id).toBe('America/New_York');
    expect(findZone(zones, zoneLabel(zoneOption('Asia/Kolkata', JAN)))?.id).toBe('Asia/Kolkata');
    expect(findZone(zones, 'Mars/Olympus')).toBeNull();
    expect(findZone(zones, '')).toBeNull();
  });
});
