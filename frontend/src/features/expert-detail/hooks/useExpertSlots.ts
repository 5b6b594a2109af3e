import { useEffect, useState } from 'react';
import { useLocation, useSearchParams } from 'react-router';
import { useSlots } from '@/lib/slotsQuery';
import { sameInstant } from '@/lib/time';
import type { SlotsResponse } from '@/lib/types';
import { useAvailabilityChanges } from '../utils/slotChanges';
import { describeChange } from '../components/describeChange';

/** The slot the visitor picked, and what they are told when slots change under them. */
export interface SlotSelection {
  selected: string | null;
  onSelect: (start: string) => void;
  /** A slot the user had chosen that someone else just booked. */
  lostSlot: string | null;
  /** Slots booked or freed elsewhere while the page is open, for the polite live region. */
  announcement: string;
}

/** The first date shown ('' = today) and how to move it. */
export interface SlotRangeControl {
  from: string;
  onFrom: (from: string) => void;
}

function isAvailable(data: SlotsResponse, start: string): boolean {
  return data.days.some((day) => day.slots.some((s) => s.available && sameInstant(s.start, start)));
}

/** The selected slot lives in the URL (?slot=) so Back from the booking form keeps it. */
function useSelectedSlot() {
  const [params, setParams] = useSearchParams();
  const selected = params.get('slot');
  const select = (start: string | null) => {
    const next = new URLSearchParams(params);
    if (start) next.set('slot', start);
    else next.delete('slot');
    // Keep the scroll position: picking a slot far down the list must not jump to the top.
    setParams(next, { replace: true, preventScrollReset: true });
  };
  return [selected, select] as const;
}

export function useSlotSelection(data: SlotsResponse | undefined, zone: string): SlotSelection {
  const location = useLocation();
  const [selected, select] = useSelectedSlot();
  const [announcement, setAnnouncement] = useState('');
  // Set when the booking form bounced back with 409 slot_unavailable, or the chosen slot went while here.
  const [lostSlot, setLostSlot] = useState<string | null>(
    (location.state as { slotTaken?: string } | null)?.slotTaken ?? null,
  );

  useAvailabilityChanges(data, (change) => setAnnouncement(describeChange(change, zone)));

  // The selected slot was booked by someone else (or is no longer offered): say so and clear it.
  useEffect(() => {
    if (selected && data && !isAvailable(data, selected)) {
      setLostSlot(selected);
      select(null);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps -- select is recreated each render; these two are the real inputs
  }, [data, selected]);

  const onSelect = (start: string) => {
    setLostSlot(null);
    select(start);
  };
  return { selected, onSelect, lostSlot, announcement };
}

/** The first date shown lives in the URL (?from=); moving it drops the selected slot. */
export function useSlotRange(): SlotRangeControl {
  const [params, setParams] = useSearchParams();
  const onFrom = (next: string) => {
    const updated = new URLSearchParams(params);
    if (next) updated.set('from', next);
    else updated.delete('from');
    updated.delete('slot');
    setParams(updated, { preventScrollReset: true });
  };
  return { from: params.get('from') ?? '', onFrom };
}

/** Everything the slot panel shows and changes: the slots query, its date range, and the chosen slot. */
export interface ExpertSlots {
  slots: ReturnType<typeof useSlots>;
  range: SlotRangeControl;
  selection: SlotSelection;
}

/** Starts the slots query beside the expert's (not after it), so `zone` is the zone shown once it loads. */
export function useExpertSlots(expertId: string, zone: string): ExpertSlots {
  const range = useSlotRange();
  const slots = useSlots(expertId, { from: range.from });
  const selection = useSlotSelection(slots.data, zone);
  return { slots, range, selection };
}
