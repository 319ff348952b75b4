import * as z from 'zod/mini';

/*
 * Category schemas live one concern per module, like the task schemas (see tasks/fields.ts): a Lambda
 * bundle builds only the ones its handler uses.
 */

export const CategoryNameSchema = z.string().check(z.trim(), z.minLength(1), z.maxLength(100));
export const CategoryColorSchema = z
  .string()
  .check(z.regex(/^#[0-9A-Fa-f]{6}$/, 'must be a colour like #1E90FF'));
export const CategoryIconSchema = z.string().check(z.maxLength(32));
