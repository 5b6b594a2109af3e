import { apiUrl, JSON_GET, type Query } from './apiUrl';
import { takeEarlyResponse } from './earlyRequests';
import type { FieldError } from './types';

/** An error response from the API (or a network failure, with status 0 and code "network_error"). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** `details` of a 400 `validation_failed`, normalised to a list of {field, message}. */
  get fieldErrors(): FieldError[] {
    if (!Array.isArray(this.details)) return [];
    return this.details.flatMap((d) => {
      if (!d || typeof d !== 'object') return [];
      const { field, message } = d as { field?: unknown; message?: unknown };
      if (typeof message !== 'string') return [];
      return [{ field: normaliseField(field), message }];
    });
  }

  /** Worth retrying automatically: the request may not have reached the server, or it failed there. */
  get isTransient(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

/** "body.email", ["body", "email"] or "email" all mean the `email` field. */
function normaliseField(field: unknown): string {
  const path = Array.isArray(field) ? field.map(String) : String(field ?? '').split('.');
  return path.filter((p) => p && p !== 'body').pop() ?? '';
}

export interface RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  token?: string | null;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** fetch() that turns network failures and error envelopes into ApiError. 304 is passed through. */
export async function send(path: string, options: RequestOptions = {}): Promise<Response> {
  const headers: Record<string, string> = { ...JSON_GET.headers, ...options.headers };
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  const url = apiUrl(path, options.query);
  const request = () =>
    fetch(url, {
      ...JSON_GET,
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  const plainGet = (options.method ?? 'GET') === 'GET' && !options.token && !options.headers && options.body === undefined;
  const early = plainGet ? takeEarlyResponse(url) : undefined;
  let response: Response;
  try {
    // An early answer that failed is asked for again, as the page's own request.
    response = await (early ? early.catch(request) : request());
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network_error', 'Could not reach the server. Check your connection and try again.');
  }
  if (!response.ok && response.status !== 304) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as { error?: { code?: string; message?: string; details?: unknown } };
    if (body?.error?.code) {
      return new ApiError(response.status, body.error.code, body.error.message ?? 'Request failed.', body.error.details);
    }
  } catch {
    // Not JSON (e.g. a proxy error page): fall through to a generic error.
  }
  return new ApiError(response.status, `http_${response.status}`, `The server answered ${response.status}. Please try again.`);
}

/**
 * JSON request; resolves to the parsed body, or undefined when there is none (204, and the API's empty
 * 202 from POST /bookings/access-link, which still says Content-Type: application/json).
 */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options);
  const text = response.status === 204 ? '' : await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}
