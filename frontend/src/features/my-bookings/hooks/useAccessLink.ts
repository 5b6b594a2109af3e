import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { exchangeAccessLink, openManageLink } from '../api/myBookings';

export type LinkState = { phase: 'idle' } | { phase: 'exchanging' } | { phase: 'failed'; error: unknown };

/**
 * An access link lands on /my-bookings?token=<link token>: drop the token from the address bar (and so
 * from history) at once, then exchange it for a token for My bookings of its email. A reminder's manage
 * link (?booking=<id>&manage=<booking token>) carries that booking's own token: it is kept for that booking.
 * Either way ?booking=<id>, the booking the link points at, stays.
 */
export function useAccessLink() {
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const manage = params.get('manage');
  const token = manage ?? params.get('token');
  const bookingId = manage ? params.get('booking') : null;
  const held = useRef<string | null>(null);
  const heldBooking = useRef<string | null>(null);
  const [state, setState] = useState<LinkState>(token ? { phase: 'exchanging' } : { phase: 'idle' });

  const exchange = useCallback(
    (linkToken: string, forBooking: string | null) => {
      setState({ phase: 'exchanging' });
      const opened = forBooking
        ? openManageLink(queryClient, forBooking, linkToken)
        : exchangeAccessLink(queryClient, linkToken);
      opened.then(
        () => setState({ phase: 'idle' }),
        (error: unknown) => setState({ phase: 'failed', error }),
      );
    },
    [queryClient],
  );

  useEffect(() => {
    if (!token || held.current === token) return;
    held.current = token;
    heldBooking.current = bookingId;
    setParams(
      (current) => {
        const kept = new URLSearchParams(current);
        kept.delete('token'); // keep ?booking=<id>, the booking the link points at
        kept.delete('manage');
        return kept;
      },
      { replace: true },
    );
    exchange(token, bookingId);
  }, [token, bookingId, setParams, exchange]);

  const retry = () => held.current && exchange(held.current, heldBooking.current);
  const dismiss = () => setState({ phase: 'idle' });
  return { state, retry, dismiss };
}

export type AccessLink = ReturnType<typeof useAccessLink>;
