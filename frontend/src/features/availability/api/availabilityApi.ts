import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type * as api from '@/lib/api/schema';
import { ApiError, apiRequest, type RequestOptions } from '@/lib/http';
import { slotsQueryKey } from '@/lib/slotsQuery';

export type Rule = api.AvailabilityRule;
export type Interval = api.Interval;
export type Override = api.Override;
export type AvailabilityView = api.AvailabilityOut;
export type Applied = api.AvailabilityAppliedOut;
export type Preview = api.AvailabilityPreviewOut;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

/** What the admin screens pass in: the session's token, and what to do when it is refused. */
export interface AdminAccess {
  token: string;
  onUnauthorized: () => void;
}

export function emptyRule(): Rule {
  return { weekly: Object.fromEntries(WEEKDAYS.map((d) => [d, []])), overrides: [], bufferMinutes: 0, horizonDays: 60 };
}

function requester({ token, onUnauthorized }: AdminAccess) {
  return async <T,>(path: string, options: RequestOptions = {}): Promise<T> => {
    try {
      return await apiRequest<T>(path, { ...options, token });
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) onUnauthorized();
      throw error;
    }
  };
}

const path = (expertId: string) => `/admin/experts/${encodeURIComponent(expertId)}/availability`;
const key = (expertId: string) => ['admin', 'availability', expertId] as const;

export function useAvailability(expertId: string, access: AdminAccess) {
  return useQuery({
    queryKey: key(expertId),
    queryFn: ({ signal }) => requester(access)<AvailabilityView>(path(expertId), { signal }),
    enabled: Boolean(expertId),
  });
}

export function useSaveAvailability(expertId: string, access: AdminAccess) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rule: Rule) => requester(access)<Applied>(path(expertId), { method: 'PUT', body: rule }),
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: key(expertId) });
      void queryClient.invalidateQueries({ queryKey: slotsQueryKey(expertId) });
    },
  });
}

export function usePreview(expertId: string, access: AdminAccess) {
  return useMutation({
    mutationFn: (rule: Rule) => requester(access)<Preview>(`${path(expertId)}/preview`, { method: 'POST', body: rule }),
  });
}
