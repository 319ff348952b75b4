import { TaskTrackerError, UserIdSchema } from '@tasktracker/core';
import { defaultDataDir } from '@tasktracker/local';
import { issueLocalToken, LOCAL_AUDIENCE, LOCAL_ISSUER, localSigningKey } from '@tasktracker/local/api';
import { withGlobals } from '../runtime/action.ts';
import { outputFor } from '../runtime/session.ts';

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `--expires 30m|1h|2d|90` in seconds; anything else is the user's mistake, said plainly. */
export function expirySeconds(span: string): number {
  const [, amount, unit] = /^(\d+)\s*([smhd]?)$/.exec(span.trim()) ?? [];
  const seconds = amount === undefined ? Number.NaN : Number(amount) * (UNITS[unit || 's'] ?? 1);
  if (!Number.isSafeInteger(seconds) || seconds <= 0)
    throw new TaskTrackerError(
      'VALIDATION_ERROR',
      `--expires ${span}: give a lifetime like 30m, 1h, 2d or 90 (seconds)`,
    );
  return seconds;
}

export const printLocalToken = withGlobals(async (globals, flags: { expires: string }) => {
  const user = globals.user;
  if (!user)
    throw new TaskTrackerError('VALIDATION_ERROR', 'tt local token needs --user <id>: whom the token names');
  if (!UserIdSchema.safeParse(user).success)
    throw new TaskTrackerError('VALIDATION_ERROR', `--user ${user}: not a usable user id`);
  const seconds = expirySeconds(flags.expires);
  const key = await localSigningKey(defaultDataDir());
  const token = await issueLocalToken(key, { user, expiresIn: seconds });
  const expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
  outputFor(globals).result(
    { token, user, expiresAt, issuer: LOCAL_ISSUER, audience: LOCAL_AUDIENCE },
    () => token,
  );
});
