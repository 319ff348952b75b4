/**
 * Secrets never reach a log line. Keys are matched by name in any casing, at any depth of a logged object
 * (arrays included), so a token nested in a request body is caught as surely as an Authorization header.
 * Matching by name at log time costs nothing at start-up, where pino's path-based redaction compiled 48
 * paths (three depths of sixteen names) in every Lambda init and still missed deeper keys.
 */
const SECRET_KEYS = new Set([
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'apikey',
  'api_key',
  'token',
  'accesstoken',
  'access_token',
  'refreshtoken',
  'refresh_token',
  'idtoken',
  'id_token',
  'password',
  'secret',
  'clientsecret',
  'client_secret',
  'cookie',
  'set-cookie',
  'x-amz-security-token',
  'sessiontoken',
]);

export const REDACTED = '[REDACTED]';

/** Deeper than this, a value is replaced whole: nothing we log nests so far, and a cycle must end. */
const MAX_DEPTH = 12;

export function isSecretKey(key: string): boolean {
  return SECRET_KEYS.has(key.toLowerCase());
}

/**
 * Objects logged as their own enumerable fields (plain objects, serialized errors). Errors are left to
 * the err serializer, whose output is walked in turn; dates and buffers serialize through toJSON.
 */
function isWalked(value: object): value is Record<string, unknown> {
  return !(value instanceof Error) && typeof (value as { toJSON?: unknown }).toJSON !== 'function';
}

/**
 * The value with every secret key's value replaced by [REDACTED]. Objects and arrays that hold no secret
 * come back as they are.
 */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) {
    const items = value.map((item) => redactSecrets(item, depth + 1));
    return items.some((item, index) => item !== value[index]) ? items : value;
  }
  if (!isWalked(value)) return value;
  const entries = Object.entries(value).map(([key, item]) => [
    key,
    isSecretKey(key) ? REDACTED : redactSecrets(item, depth + 1),
  ]);
  return entries.some(([key, item]) => item !== value[key as string]) ? Object.fromEntries(entries) : value;
}
