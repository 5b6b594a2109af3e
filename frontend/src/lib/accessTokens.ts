/**
 * Client access tokens (no accounts): POST /bookings and magic links each give a signed token scoped to
 * one email. Kept in localStorage, keyed by lowercased email, so My bookings works at once on this device.
 */
const STORAGE_KEY = 'expertBooking.accessTokens';

type TokenMap = Record<string, string>;

function read(): TokenMap {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '{}');
    return parsed && typeof parsed === 'object' ? (parsed as TokenMap) : {};
  } catch {
    return {};
  }
}

function write(tokens: TokenMap): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(tokens));
  } catch {
    // Storage full or blocked (private mode): the user can still use a magic link.
  }
}

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export function saveAccessToken(email: string, token: string): void {
  write({ ...read(), [normaliseEmail(email)]: token });
}

export function getAccessToken(email: string): string | null {
  return read()[normaliseEmail(email)] ?? null;
}

export function removeAccessToken(email: string): void {
  const tokens = read();
  delete tokens[normaliseEmail(email)];
  write(tokens);
}

export function storedEmails(): string[] {
  return Object.keys(read()).sort();
}
