import { SelectField } from '@/components/SelectField';
import { TextField } from '@/components/TextField';
import { BOOKING_STATUSES, STATUS_LABELS } from '@/lib/bookingStatus';
import type { Expert } from '@/lib/types';
import type { BookingFiltersState } from '../hooks/useBookingFilters';

interface Props extends BookingFiltersState {
  experts: Expert[] | undefined;
}

/** Expert, status and date range of the admin bookings list (kept in the URL by `useBookingFilters`). */
export function BookingFiltersForm({ filters, setFilter, isDefault, reset, experts }: Props) {
  const dateField = (key: 'from' | 'to', label: string, bounds: { min?: string; max?: string }) => (
    <TextField
      {...bounds}
      id={`filter-${key}`}
      label={label}
      type="date"
      value={filters[key]}
      onValueChange={(v) => setFilter(key, v)}
    />
  );
  return (
    <form className="filters filters--four" onSubmit={(e) => e.preventDefault()} aria-label="Filter bookings">
      <SelectField id="filter-expert" label="Expert" value={filters.expertId} onValueChange={(v) => setFilter('expertId', v)}>
        <option value="">All experts</option>
        {experts?.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </SelectField>
      <SelectField id="filter-status" label="Status" value={filters.status} onValueChange={(v) => setFilter('status', v)}>
        <option value="">All statuses</option>
        {BOOKING_STATUSES.map((s) => (
          <option key={s} value={s}>
            {STATUS_LABELS[s]}
          </option>
        ))}
      </SelectField>
      {dateField('from', 'From date', { max: filters.to || undefined })}
      {dateField('to', 'To date', { min: filters.from || undefined })}
      {(filters.from || !isDefault) && (
        <div className="filters__reset">
          {filters.from && (
            <button type="button" className="button button--link" onClick={() => setFilter('from', '')}>
              Include past dates
            </button>
          )}
          {!isDefault && (
            <button type="button" className="button button--link" onClick={reset}>
              Reset filters
            </button>
          )}
        </div>
      )}
    </form>
  );
}
