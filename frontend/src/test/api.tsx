import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { afterEach, beforeEach, type Mock, vi } from 'vitest';

export const API_BASE_URL = 'http://api.test';

/**
 * For the tests of the file that calls it: `fetch` is a fresh mock and the app's API is at API_BASE_URL
 * before each test; both are removed after. Returns the mock, to answer and inspect the requests.
 */
export function stubApi(): Mock<typeof fetch> {
  const fetchMock = vi.fn<typeof fetch>();
  beforeEach(() => {
    fetchMock.mockReset();
    vi.stubGlobal('fetch', fetchMock);
    window.__APP_CONFIG__ = { apiBaseUrl: API_BASE_URL };
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    delete window.__APP_CONFIG__;
  });
  return fetchMock;
}

/** A wrapper giving the hooks under test a QueryClient of their own that does not retry failed queries. */
export function queryWrapper() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
