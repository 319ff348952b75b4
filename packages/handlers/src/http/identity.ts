import { TaskTrackerError, UserIdSchema } from '@tasktracker/core';
import type { ApiEvent } from './event.ts';

/** The userId a public route (health) sees: empty, so it can never name anyone's data. */
export const NO_IDENTITY = '';

/**
 * The acting user, from what API Gateway vouches for: a Cognito authorizer's `sub`, else a Lambda
 * authorizer's principalId, else the API key (each key is its own user). Never from the body or the
 * query, and never a shared fallback user: no identity is a 401.
 */
export function callerIdentity(event: ApiEvent): string {
  const context = event.requestContext;
  const candidate =
    context?.authorizer?.claims?.sub || context?.authorizer?.principalId || context?.identity?.apiKeyId;
  if (!candidate) throw new TaskTrackerError('UNAUTHORIZED', 'No caller identity: send your API key');
  if (!UserIdSchema.safeParse(candidate).success) {
    // A principal we cannot key data by is refused rather than rewritten into someone else's id.
    throw new TaskTrackerError('UNAUTHORIZED', 'The caller identity is not usable as a user id');
  }
  return candidate;
}
