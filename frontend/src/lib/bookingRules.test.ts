import { describe, expect, it } from 'vitest';
import { bookingRequestSchema as schema } from './api/schema';
import { bookingRules, toBookingRequest, validateBooking, validateField, type BookingFormValues } from './bookingRules';

const valid: BookingFormValues = {
  slotStart: '2026-04-01T09:00:00Z',
  name: 'Asha Rao',
  email: 'asha@example.com',
  phone: '+91 98765 43210',
  notes: '',
};

const withValue = (field: keyof BookingFormValues, value: string) => ({ ...valid, [field]: value });

describe('booking rules', () => {
  it('take their limits from the shared JSON Schema, not hand-copied numbers', () => {
    expect(bookingRules.name.maxLength).toBe(schema.properties.name.maxLength);
    expect(bookingRules.email.pattern).toBe(schema.properties.email.pattern);
    expect(bookingRules.phone.pattern).toBe(schema.properties.phone.pattern);
    expect(bookingRules.notes.maxLength).toBe(schema.properties.notes.maxLength);
  });

  it('accept a valid booking', () => {
    expect(validateBooking(valid)).toEqual({});
  });

  it('require a name and check its length after trimming', () => {
    const max = schema.properties.name.maxLength;
    expect(validateField('name', withValue('name', ''))).toBe('Enter your name.');
    expect(validateField('name', withValue('name', '    '))).toBe('Enter your name.');
    expect(validateField('name', withValue('name', 'a'.repeat(max)))).toBeUndefined();
    // Surrounding spaces do not count towards the limit.
    expect(validateField('name', withValue('name', `  ${'a'.repeat(max)}  `))).toBeUndefined();
    expect(validateField('name', withValue('name', 'a'.repeat(max + 1)))).toMatch(`at most ${max}`);
  });

  it('check email syntax and length', () => {
    expect(validateField('email', withValue('email', ''))).toBe('Enter your email address.');
    for (const bad of ['asha', 'asha@', 'asha@example', 'as ha@example.com', '@example.com']) {
      expect(validateField('email', withValue('email', bad)), bad).toMatch(/valid email/);
    }
    expect(validateField('email', withValue('email', ' Asha.Rao+1@Example.co.in '))).toBeUndefined();
    const long = `${'a'.repeat(schema.properties.email.maxLength)}@example.com`;
    expect(validateField('email', withValue('email', long))).toMatch(/at most/);
  });

  it('require phone numbers in international format, and say what that means', () => {
    for (const good of ['+91 98765 43210', '+1 (415) 555-0123', '+442079460958', '+49 30.1234567']) {
      expect(validateField('phone', withValue('phone', good)), good).toBeUndefined();
    }
    for (const bad of ['98765 43210', '+91 98', '0044 20 7946 0958', '+91 98765 4321x']) {
      expect(validateField('phone', withValue('phone', bad)), bad).toMatch(/\+91 98765 43210/);
    }
    expect(validateField('phone', withValue('phone', `+1${'2'.repeat(40)}`))).toMatch(/at most 32/);
  });

  it('limit notes and treat them as optional', () => {
    const max = schema.properties.notes.maxLength;
    expect(validateField('notes', withValue('notes', ''))).toBeUndefined();
    expect(validateField('notes', withValue('notes', 'x'.repeat(max)))).toBeUndefined();
    expect(validateField('notes', withValue('notes', 'x'.repeat(max + 1)))).toMatch(`at most ${max}`);
  });

  it('require a slot', () => {
    expect(validateBooking(withValue('slotStart', ''))).toEqual({ slotStart: 'Choose a date and time.' });
  });

  it('send trimmed values and leave out empty notes', () => {
    expect(toBookingRequest('exp-1', { ...valid, name: '  Asha Rao ', email: ' asha@example.com', notes: '  ' })).toEqual({
      expertId: 'exp-1',
      slotStart: valid.slotStart,
      name: 'Asha Rao',
      email: 'asha@example.com',
      phone: '+91 98765 43210',
    });
  });
});
