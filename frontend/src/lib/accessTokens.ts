/**
 * Client access tokens (no accounts; PRODUCT.md "Client identity", issue 9), kept in localStorage:
 * - booking tokens, per booking id: POST /bookings returns one; it opens that one booking until its session ends.
 * - email tokens, per lowercased email: only an emailed link (access link, verification link) gives one; it opens
 *   My bookings for that email for 24 hours.
 * Expired tokens are dropped whenever the store is read.
 */
import { useSyncExternalStore } from 'react';

const STORAGE_KEY = 'expertBooking.clientTokens';
// Before issue 9 the booking token opened My bookings by email; those tokens are useless now.
const LEGACY_KEY = 'expertBooking.accessTokens';

export interface BookingToken {
  bookingId: string;
  email: string;
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

export interface EmailToken {
  email: string;
  token: string;
  expiresAt: number;
}

export interface TokenStore {
  bookings: Record<string, BookingToken>;
  emails: Record<string, EmailToken>;
}

const EMPTY: TokenStore = { bookings: {}, emails: {} };
const listeners = new Set<() => void>();

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

function readRaw(): string {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

const isLive = (t: unknown, now: number): boolean =>
  Boolean(t && typeof t === 'object' && typeof (t as EmailToken).token === 'string' && (t as EmailToken).expiresAt > now);

const liveEntries = <T>(record: unknown, now: number): Record<string, T> =>
  Object.fromEntries(
    Object.entries(record && typeof record === 'object' ? record : {}).filter(([, t]) => isLive(t, now)),
  ) as Record<string, T>;

/** The stored tokens that have not expired at `now`. */
export function parseStore(raw: string, now: number = Date.now()): TokenStore {
  try {
    const parsed = JSON.parse(raw || '{}') as Partial<TokenStore> | null;
    return { bookings: liveEntries(parsed?.bookings, now), emails: liveEntries(parsed?.emails, now) };
  } catch {
    return EMPTY;
  }
}

function write(store: TokenStore): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(store));
    localStorage.removeItem(LEGACY_KEY);
  } catch {
    // Storage full or blocked (private mode): the emailed link still works.
  }
  listeners.forEach((notify) => notify());
}

export function readTokens(now: number = Date.now()): TokenStore {
  return parseStore(readRaw(), now);
}

function update(change: (store: TokenStore) => void): void {
  const store = readTokens(); // drops expired tokens as a side effect of rewriting
  change(store);
  write(store);
}

/** `exp` of a JWT in epoch ms, read without verifying (only to know when to forget it); null if unreadable. */
export function jwtExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(payload.length / 4) * 4, '='));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/** The token POST /bookings returned. Its expiry is the JWT's, else `fallbackExpiry` (the session's end). */
export function saveBookingToken(bookingId: string, email: string, token: string, fallbackExpiry: string): void {
  const expiresAt = jwtExpiry(token) ?? Date.parse(fallbackExpiry);
  update((s) => {
    s.bookings[bookingId] = { bookingId, email: normaliseEmail(email), token, expiresAt };
  });
}

/** A token for My bookings of `email`, from an access or verification link; `expiresAt` as the API sent it. */
export function saveEmailToken(email: string, token: string, expiresAt: string): void {
  const key = normaliseEmail(email);
  update((s) => {
    s.emails[key] = { email: key, token, expiresAt: Date.parse(expiresAt) };
  });
}

export function removeBookingToken(bookingId: string): void {
  update((s) => {
    delete s.bookings[bookingId];
  });
}

export function removeEmailToken(email: string): void {
  update((s) => {
    delete s.emails[normaliseEmail(email)];
  });
}

/** The token to act on a booking with: its email's token if held (wider, longer-lived), else its own. */
export function tokenForBooking(store: TokenStore, booking: { id: string; email: string }): string | null {
  return store.emails[normaliseEmail(booking.email)]?.token ?? store.bookings[booking.id]?.token ?? null;
}

function subscribe(notify: () => void): () => void {
  listeners.add(notify);
  // Another tab stored or dropped a token.
  const onStorage = (event: StorageEvent) => {
    if (event.key === STORAGE_KEY) notify();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(notify);
    window.removeEventListener('storage', onStorage);
  };
}

/** The live tokens, re-rendering when they change (here or in another tab). */
export function useClientTokens(): TokenStore {
  const raw = useSyncExternalStore(subscribe, readRaw, () => '');
  // Parsed per render: cheap, and expiry depends on the time, not only on the stored text.
  return parseStore(raw);
}
