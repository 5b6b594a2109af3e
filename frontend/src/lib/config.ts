/**
 * Runtime configuration. `public/config.js` sets `window.__APP_CONFIG__` before the bundle runs, so the
 * same build can be deployed to every stage; nothing stage-specific is baked in at build time.
 */
export function apiBaseUrl(): string {
  const configured = typeof window === 'undefined' ? undefined : window.__APP_CONFIG__?.apiBaseUrl;
  // Without config, fall back to same-origin requests (e.g. an API behind the same CloudFront).
  return (configured ?? '').replace(/\/+$/, '');
}
