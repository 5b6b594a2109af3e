import { useEffect, useState } from 'react';

/** The current time, refreshed every `intervalMs`, for UI that depends on it (e.g. "has this session started?"). */
export function useNow(intervalMs: number): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const id = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}
