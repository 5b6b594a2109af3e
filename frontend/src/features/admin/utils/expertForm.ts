/** The admin's expert form: values as typed, checks in the admin's words, and the request body (issue 13). */
import type { Expert } from '@/lib/types';

export interface ExpertFormValues {
  name: string;
  category: string;
  experienceYears: string;
  rating: string;
  bio: string;
  timezone: string;
  sessionMinutes: string;
}

export type ExpertField = keyof ExpertFormValues;
export type ExpertErrors = Partial<Record<ExpertField, string>>;

export const EMPTY_EXPERT: ExpertFormValues = {
  name: '',
  category: '',
  experienceYears: '',
  rating: '',
  bio: '',
  timezone: '',
  sessionMinutes: '60',
};

export function expertValues(expert: Expert): ExpertFormValues {
  return {
    name: expert.name,
    category: expert.category,
    experienceYears: String(expert.experienceYears),
    rating: String(expert.rating),
    bio: expert.bio,
    timezone: expert.timezone,
    sessionMinutes: String(expert.sessionMinutes),
  };
}

const isNumber = (text: string) => text.trim() !== '' && Number.isFinite(Number(text));

/** The API's rules (chalicelib/models/experts.py ExpertCreate), said to an admin; the server checks again. */
export function validateExpert(v: ExpertFormValues, isZone: (zone: string) => boolean): ExpertErrors {
  const errors: ExpertErrors = {};
  if (!v.name.trim()) errors.name = "Enter the expert's name.";
  else if (v.name.trim().length > 100) errors.name = "The expert's name must be at most 100 characters.";
  if (!v.category.trim()) errors.category = 'Enter a category.';
  const years = Number(v.experienceYears);
  if (!isNumber(v.experienceYears) || !Number.isInteger(years) || years < 0 || years > 80) {
    errors.experienceYears = 'Years of experience: a whole number from 0 to 80.';
  }
  const rating = Number(v.rating);
  if (!isNumber(v.rating) || rating < 0 || rating > 5) errors.rating = 'Rating: a number from 0 to 5.';
  if (v.bio.length > 2000) errors.bio = 'The bio must be at most 2000 characters.';
  if (!isZone(v.timezone.trim())) errors.timezone = 'Choose a time zone from the list, e.g. Europe/London.';
  const minutes = Number(v.sessionMinutes);
  if (!isNumber(v.sessionMinutes) || minutes < 15 || minutes > 240 || minutes % 5 !== 0) {
    errors.sessionMinutes = 'Session length: 15 to 240 minutes, in steps of 5.';
  }
  return errors;
}

export function expertBody(v: ExpertFormValues) {
  return {
    name: v.name.trim(),
    category: v.category.trim(),
    experienceYears: Number(v.experienceYears),
    rating: Number(v.rating),
    bio: v.bio.trim(),
    timezone: v.timezone.trim(),
    sessionMinutes: Number(v.sessionMinutes),
  };
}
