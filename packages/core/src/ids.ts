import * as z from 'zod/mini';

/** Crockford base32, 26 characters: what ulid() mints. */
export const UlidSchema = z
  .string()
  .check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/, 'must be a ULID (26 characters)'));

/** A user id never contains '#', which separates the parts of composite index keys. */
export const UserIdSchema = z
  .string()
  .check(z.regex(/^[A-Za-z0-9._@:+=-]{1,128}$/, 'must be 1-128 characters of letters, digits and ._@:+=-'));

export const IsoDateTimeSchema = z.iso.datetime({ offset: true });

/** Versions start at 1 and grow by one per write (optimistic locking). */
export const VersionSchema = z.int().check(z.minimum(1));
