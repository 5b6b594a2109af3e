/**
 * The contact details typed so far, kept for this tab so that bouncing back to the slot picker
 * (409 slot_unavailable) does not make the user type them again.
 */
const STORAGE_KEY = 'expertBooking.draft';

export interface ContactDraft {
  name: string;
  email: string;
  phone: string;
  notes: string;
}

export const EMPTY_DRAFT: ContactDraft = { name: '', email: '', phone: '', notes: '' };

export function loadDraft(): ContactDraft {
  try {
    const parsed = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<ContactDraft> | null;
    return { ...EMPTY_DRAFT, ...(parsed ?? {}) };
  } catch {
    return EMPTY_DRAFT;
  }
}

export function saveDraft(draft: ContactDraft): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(draft));
  } catch {
    // Best effort only.
  }
}

export function clearDraft(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Best effort only.
  }
}
