/**
 * Every IANA time zone the browser knows, once each, with a friendly name and its offset now (issue 13).
 * Chromium's ICU lists the old spelling of some zones (Asia/Calcutta for Asia/Kolkata); those are shown
 * under their current IANA name, and any two names for the same zone collapse into one entry.
 */
import { canonicalZone } from './time';

/** Old IANA names still used by ICU as canonical ids, and their current names. */
const RENAMED: Record<string, string> = {
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Europe/Kiev': 'Europe/Kyiv',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Pacific/Truk': 'Pacific/Chuuk',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'America/Godthab': 'America/Nuuk',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Louisville': 'America/Kentucky/Louisville',
  'Asia/Ulan_Bator': 'Asia/Ulaanbaatar',
  'Asia/Thimbu': 'Asia/Thimphu',
  'Asia/Dacca': 'Asia/Dhaka',
  'Asia/Macao': 'Asia/Macau',
  'Asia/Ujung_Pandang': 'Asia/Makassar',
};

export interface ZoneOption {
  /** The IANA name shown and stored (the current spelling). */
  id: string;
  /** "India Standard Time" (the browser's words for it). */
  name: string;
  /** "GMT+5:30" now. */
  offset: string;
  offsetMinutes: number;
}

/** The current IANA spelling of a zone name. */
export function modernZone(timeZone: string): string {
  return RENAMED[timeZone] ?? RENAMED[canonicalZone(timeZone)] ?? timeZone;
}

function zoneNamePart(timeZone: string, style: 'longGeneric' | 'shortOffset', at: Date): string {
  return (
    new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: style })
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? ''
  );
}

function offsetMinutes(offset: string): number {
  const match = /GMT([+-])(\d{1,2})(?::(\d{2}))?/.exec(offset);
  if (!match) return 0;
  const minutes = Number(match[2]) * 60 + Number(match[3] ?? 0);
  return match[1] === '-' ? -minutes : minutes;
}

export function zoneOption(timeZone: string, at: Date = new Date()): ZoneOption {
  const id = modernZone(timeZone);
  const offset = zoneNamePart(id, 'shortOffset', at) || 'GMT';
  return { id, name: zoneNamePart(id, 'longGeneric', at), offset, offsetMinutes: offsetMinutes(offset) };
}

/** "Asia/Kolkata — India Standard Time (GMT+5:30)". */
export function zoneLabel(option: ZoneOption): string {
  const place = option.id.replace(/_/g, ' ');
  return option.name && option.name !== option.id ? `${place} — ${option.name} (${option.offset})` : `${place} (${option.offset})`;
}

/** All zones once each, west to east, then by name; `extra` (e.g. the expert's zone) joins the list. */
export function allZones(extra: string[] = [], at: Date = new Date()): ZoneOption[] {
  const supported = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  const byCanonical = new Map<string, ZoneOption>();
  for (const id of [...supported, ...extra, 'UTC']) {
    const key = canonicalZone(modernZone(id));
    if (!byCanonical.has(key)) byCanonical.set(key, zoneOption(id, at));
  }
  return [...byCanonical.values()].sort((a, b) => a.offsetMinutes - b.offsetMinutes || a.id.localeCompare(b.id));
}

/** The zone a typed text names: an option's id or its full label, case-insensitive; null if none. */
export function findZone(options: ZoneOption[], text: string): ZoneOption | null {
  const wanted = text.trim().toLowerCase().replace(/ /g, '_');
  if (!wanted) return null;
  return (
    options.find((o) => o.id.toLowerCase() === wanted) ??
    options.find((o) => zoneLabel(o).toLowerCase().replace(/ /g, '_') === wanted) ??
    null
  );
}
