import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../lib/http';

/** Retry only what may succeed next time (network failures, 5xx); a 4xx answer will not change. */
export function shouldRetry(failureCount: number, error: unknown): boolean {
  return error instanceof ApiError && error.isTransient && failureCount < 2;
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 30_000 },
      mutations: { retry: false },
    },
  });
}
