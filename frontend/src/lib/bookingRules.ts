/**
 * Booking form rules, read from the JSON Schema of the backend's pydantic model (`bookingRequestSchema`,
 * generated into api/schema.ts by `npm run gen:api`). Limits and patterns are never copied by hand: change the
 * model, regenerate, and the form follows.
 */
import { bookingRequestSchema as schema } from './api/schema';
import type { BookingRequest } from './types';

interface StringRule {
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

type SchemaProperty = StringRule & { type?: string; anyOf?: SchemaProperty[] };

const properties = schema.properties as Record<string, SchemaProperty>;
const required = new Set<string>(schema.required);

/** Constraints of one property; pydantic writes optional fields as anyOf [string, null]. */
function ruleFor(field: string): StringRule {
  const prop = properties[field] ?? {};
  return prop.anyOf?.find((p) => p.type === 'string') ?? prop;
}

export const bookingRules = {
  name: ruleFor('name'),
  email: ruleFor('email'),
  phone: ruleFor('phone'),
  notes: ruleFor('notes'),
} as const;

export type BookingField = 'name' | 'email' | 'phone' | 'slotStart' | 'notes';

export interface BookingFormValues {
  name: string;
  email: string;
  phone: string;
  slotStart: string;
  notes: string;
}

export type BookingErrors = Partial<Record<BookingField, string>>;

const MESSAGES = {
  name: { required: 'Enter your name.', label: 'Name' },
  email: { required: 'Enter your email address.', label: 'Email', pattern: 'Enter a valid email address, like name@example.com.' },
  phone: {
    required: 'Enter your phone number.',
    label: 'Phone number',
    pattern: 'Enter the number in international format: + then country code and number, e.g. +91 98765 43210.',
  },
  notes: { required: 'Add a note.', label: 'Notes' },
} as const;

/** What the form sends: trimmed text, notes left out when empty. */
export function toBookingRequest(expertId: string, values: BookingFormValues): BookingRequest {
  const notes = values.notes.trim();
  return {
    expertId,
    slotStart: values.slotStart,
    name: values.name.trim(),
    email: values.email.trim(),
    phone: values.phone.trim(),
    ...(notes ? { notes } : {}),
  };
}

const compiled = new Map<string, RegExp | null>();

/** A Python-flavoured pattern that JS cannot compile is left to the server rather than crashing the form. */
function compile(pattern: string): RegExp | null {
  if (!compiled.has(pattern)) {
    try {
      compiled.set(pattern, new RegExp(pattern));
    } catch {
      compiled.set(pattern, null);
    }
  }
  return compiled.get(pattern) ?? null;
}

function checkString(field: keyof typeof MESSAGES, value: string): string | undefined {
  const rule = bookingRules[field];
  const text = MESSAGES[field];
  if (value.length === 0) return required.has(field) ? text.required : undefined;
  if (rule.minLength !== undefined && value.length < rule.minLength) {
    return value.trim() === '' ? text.required : `${text.label} must be at least ${rule.minLength} characters.`;
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    return `${text.label} must be at most ${rule.maxLength} characters (now ${value.length}).`;
  }
  if (rule.pattern && compile(rule.pattern)?.test(value) === false) {
    return 'pattern' in text ? text.pattern : `${text.label} is not valid.`;
  }
  return undefined;
}

/** The error for one field (undefined when valid). Values are checked as they would be sent. */
export function validateField(field: BookingField, values: BookingFormValues): string | undefined {
  if (field === 'slotStart') {
    if (!values.slotStart) return 'Choose a date and time.';
    return Number.isNaN(Date.parse(values.slotStart)) ? 'Choose a date and time.' : undefined;
  }
  // Name is checked after trimming, like the API; email and phone are trimmed before sending.
  const value = field === 'notes' ? values.notes.trim() : values[field].trim();
  return checkString(field, value);
}

export const BOOKING_FIELDS: BookingField[] = ['slotStart', 'name', 'email', 'phone', 'notes'];

export function validateBooking(values: BookingFormValues): BookingErrors {
  const errors: BookingErrors = {};
  for (const field of BOOKING_FIELDS) {
    const message = validateField(field, values);
    if (message) errors[field] = message;
  }
  return errors;
}
