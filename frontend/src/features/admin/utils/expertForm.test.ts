import { describe, expect, it } from 'vitest';
import { EMPTY_EXPERT, expertBody, validateExpert } from './expertForm';

const isZone = (zone: string) => ['Europe/London', 'Asia/Kolkata'].includes(zone);
const valid = {
  name: ' Hedy Lamarr ',
  category: 'Engineering',
  experienceYears: '20',
  rating: '4.9',
  bio: 'Frequency hopping.',
  timezone: 'Europe/London',
  sessionMinutes: '45',
};

describe('validateExpert', () => {
  it('speaks to the admin about every empty field', () => {
    const errors = validateExpert(EMPTY_EXPERT, isZone);
    expect(errors.name).toBe("Enter the expert's name.");
    expect(errors.category).toBe('Enter a category.');
    expect(errors.experienceYears).toMatch(/^Years of experience/);
    expect(errors.rating).toMatch(/^Rating/);
    expect(errors.timezone).toMatch(/^Choose a time zone/);
    expect(errors.sessionMinutes).toBeUndefined(); // 60 by default
    expect(Object.values(errors).join(' ')).not.toContain('your name');
  });

  it('checks the API ranges', () => {
    expect(validateExpert({ ...valid, rating: '5.5' }, isZone).rating).toBeDefined();
    expect(validateExpert({ ...valid, experienceYears: '2.5' }, isZone).experienceYears).toBeDefined();
    expect(validateExpert({ ...valid, sessionMinutes: '47' }, isZone).sessionMinutes).toBeDefined();
    expect(validateExpert({ ...valid, timezone: 'Mars/Base' }, isZone).timezone).toBeDefined();
    expect(validateExpert(valid, isZone)).toEqual({});
  });
});

describe('expertBody', () => {
  it('trims text and sends numbers', () => {
    expect(expertBody(valid)).toEqual({
      name: 'Hedy Lamarr',
      category: 'Engineering',
      experienceYears: 20,
      rating: 4.9,
      bio: 'Frequency hopping.',
      timezone: 'Europe/London',
      sessionMinutes: 45,
    });
  });
});
