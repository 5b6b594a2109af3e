import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  jwtExpiry,
  readTokens,
  removeBookingToken,
  removeEmailToken,
  saveBookingToken,
  saveEmailToken,
  tokenForBooking,
} from './accessTokens';

/** An unsigned JWT-shaped token with these claims (the SPA never verifies, it only reads `exp`). */
const jwt = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.s`;
const NOW = Date.parse('2026-04-01T12:00:00Z');
const at = (iso: string) => Date.parse(iso);

afterEach(() => {
  vi.useRealTimers();
});

describe('client token store', () => {
  it('keeps booking tokens per booking and email tokens per lowercased email', () => {
    vi.useFakeTimers({ now: NOW });
    const bookingToken = jwt({ exp: at('2026-04-02T10:00:00Z') / 1000 });
    saveBookingToken('bk1', 'Asha@Example.com', bookingToken, '2026-04-02T09:45:00Z');
    saveEmailToken(' ASHA@example.com ', 'email-token', '2026-04-02T12:00:00Z');

    const tokens = readTokens();
    expect(tokens.bookings.bk1).toEqual({
      bookingId: 'bk1',
      email: 'asha@example.com',
      token: bookingToken,
      expiresAt: at('2026-04-02T10:00:00Z'), // the JWT's own expiry wins over the fallback
    });
    expect(tokens.emails['asha@example.com'].token).toBe('email-token');
    // The email token opens every booking of that email, so it is preferred for acting on one.
    expect(tokenForBooking(tokens, { id: 'bk1', email: 'asha@example.com' })).toBe('email-token');
    expect(tokenForBooking(tokens, { id: 'bk2', email: 'other@example.com' })).toBeNull();

    removeEmailToken('Asha@example.com');
    expect(tokenForBooking(readTokens(), { id: 'bk1', email: 'asha@example.com' })).toBe(bookingToken);
    removeBookingToken('bk1');
    expect(readTokens()).toEqual({ bookings: {}, emails: {} });
  });

  it('drops tokens once they expire', () => {
    vi.useFakeTimers({ now: NOW });
    saveBookingToken('soon', 'a@example.com', 'not-a-jwt', '2026-04-01T12:30:00Z'); // falls back to the session end
    saveEmailToken('a@example.com', 'email-token', '2026-04-01T13:00:00Z');
    expect(Object.keys(readTokens().bookings)).toEqual(['soon']);

    vi.setSystemTime(at('2026-04-01T12:45:00Z'));
    expect(readTokens().bookings).toEqual({});
    expect(Object.keys(readTokens().emails)).toEqual(['a@example.com']);

    vi.setSystemTime(at('2026-04-01T13:00:00Z'));
    expect(readTokens().emails).toEqual({});
  });

  it('forgets the pre-issue-9 map and survives garbage in storage', () => {
    localStorage.setItem('expertBooking.accessTokens', JSON.stringify({ 'a@example.com': 'old' }));
    localStorage.setItem('expertBooking.clientTokens', '{not json');
    expect(readTokens()).toEqual({ bookings: {}, emails: {} });
    saveEmailToken('a@example.com', 't', new Date(Date.now() + 60_000).toISOString());
    expect(localStorage.getItem('expertBooking.accessTokens')).toBeNull();
  });

  it('reads exp from a base64url JWT payload', () => {
    expect(jwtExpiry(jwt({ exp: 1_900_000_000, sub: '??>>' }))).toBe(1_900_000_000_000);
    expect(jwtExpiry('garbage')).toBeNull();
    expect(jwtExpiry(jwt({ sub: 'no exp' }))).toBeNull();
  });
});
