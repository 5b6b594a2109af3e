import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { exchangeAccessLink } from '../api/myBookings';

export type LinkState = { phase: 'idle' } | { phase: 'exchanging' } | { phase: 'failed'; error: unknown };

/**
 * An access link lands on /my-bookings?token=<link token>: drop the token from the address bar (and so
 * from history) at once, then exchange it for a token for My bookings of its email.
 */
export function useAccessLink() {
  const [params, setParams] = useSearchParams();
  const queryClient = useQueryClient();
  const token = params.get('token');
  const held = useRef<string | null>(null);
  const [state, setState] = useState<LinkState>(token ? { phase: 'exchanging' } : { phase: 'idle' });

  const exchange = useCallback(
    (linkToken: string) => {
      setState({ phase: 'exchanging' });
      exchangeAccessLink(queryClient, linkToken).then(
        () => setState({ phase: 'idle' }),
        (error: unknown) => setState({ phase: 'failed', error }),
      );
    },
    [queryClient],
  );

  useEffect(() => {
    if (!token || held.current === token) return;
    held.current = token;
    setParams(
      (current) => {
        const kept = new URLSearchParams(current);
        kept.delete('token'); // keep ?booking=<id>, the booking the link points at
        return kept;
      },
      { replace: true },
    );
    exchange(token);
  }, [token, setParams, exchange]);

  const retry = () => held.current && exchange(held.current);
  const dismiss = () => setState({ phase: 'idle' });
  return { state, retry, dismiss };
}

export type AccessLink = ReturnType<typeof useAccessLink>;
