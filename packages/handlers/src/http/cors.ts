/** Headers a browser may send and read: what our routes use, and nothing else. */
export const CORS_ALLOWED_HEADERS =
  'Content-Type,Authorization,X-Api-Key,X-Correlation-Id,Idempotency-Key,If-Match,If-None-Match,X-Amz-Date,X-Amz-Security-Token';
/** Cache-Control is CORS-safelisted already; ETag is not, and a page needs it for If-Match. */
export const CORS_EXPOSED_HEADERS = 'ETag,X-Correlation-Id,Idempotent-Replayed';
export const CORS_ALLOWED_METHODS = 'GET,POST,PUT,DELETE,OPTIONS';

/** ALLOWED_ORIGINS is a comma-separated list; `*` allows every origin (fit for dev only). */
export function parseAllowedOrigins(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((origin) => origin.trim().replace(/\/$/, ''))
    .filter((origin) => origin.length > 0);
}

/**
 * CORS headers for one response. An origin outside the allow-list gets none, so the browser refuses to
 * hand the response to the page; `Vary: Origin` keeps caches from serving one origin's answer to another.
 */
export function corsHeaders(origin: string | undefined, allowed: readonly string[]): Record<string, string> {
  if (!origin) return {};
  const permitted = allowed.includes('*') ? '*' : allowed.includes(origin) ? origin : undefined;
  if (!permitted) return { Vary: 'Origin' };
  return {
    'Access-Control-Allow-Origin': permitted,
    'Access-Control-Expose-Headers': CORS_EXPOSED_HEADERS,
    Vary: 'Origin',
  };
}

export function preflightHeaders(
  origin: string | undefined,
  allowed: readonly string[],
): Record<string, string> {
  const base = corsHeaders(origin, allowed);
  if (!base['Access-Control-Allow-Origin']) return base;
  return {
    ...base,
    'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS,
    'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
    'Access-Control-Max-Age': '600',
  };
}
