import { useSearchParams } from 'react-router';
import { dateKeyInZone } from '@/lib/time';
import type { BookingFilters } from '../api/adminApi';

const FILTER_KEYS: (keyof BookingFilters)[] = ['expertId', 'status', 'from', 'to'];

/**
 * Filters live in the URL. Upcoming first: with no `from` in the URL the list starts today (in the
 * viewer's zone); an explicit empty one (`from=`) means every date, past sessions included.
 */
export function useBookingFilters(zone: string) {
  const [params, setParams] = useSearchParams();
  const filters = Object.fromEntries(FILTER_KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as BookingFilters;
  if (!params.has('from')) filters.from = dateKeyInZone(new Date(), zone);
  const setFilter = (key: keyof BookingFilters, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else if (key === 'from') next.set(key, '');
    else next.delete(key);
    setParams(next, { replace: true, preventScrollReset: true });
  };
  const isDefault = !params.has('from') && FILTER_KEYS.every((k) => k === 'from' || !filters[k]);
  return { filters, setFilter, isDefault, reset: () => setParams({}, { replace: true, preventScrollReset: true }) };
}

export type BookingFiltersState = ReturnType<typeof useBookingFilters>;
