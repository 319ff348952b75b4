import { TaskTrackerError } from '@tasktracker/core';

interface AwsError {
  name?: string;
  Code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

const asAws = (error: unknown) => (error ?? {}) as AwsError;

/** A 404 from any service (S3's HeadBucket/HeadObject answer with no error code at all). */
export function isNotFound(error: unknown): boolean {
  const { name, Code, $metadata } = asAws(error);
  return (
    $metadata?.httpStatusCode === 404 ||
    ['NotFound', 'NoSuchKey', 'NoSuchBucket', 'ResourceNotFoundException'].includes(name ?? Code ?? '')
  );
}

/** CloudFormation says "Stack with id X does not exist" as a ValidationError. */
export function isMissingStack(error: unknown): boolean {
  const { name, message } = asAws(error);
  return name === 'ValidationError' && /does not exist/.test(message ?? '');
}

/** Both ways of saying an update has nothing to do (a change set's reason, or the call's error). */
export function isNoChanges(text: string | undefined): boolean {
  return /didn't contain changes|No updates are to be performed/i.test(text ?? '');
}

const CREDENTIAL_ERRORS = new Set([
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
]);

/**
 * An AWS error said in our words: missing or expired credentials and denied access become one line
 * with what to do; anything else keeps its service message.
 */
export function explainAwsError(error: unknown, doing: string): TaskTrackerError {
  if (error instanceof TaskTrackerError) return error;
  const { name, message } = asAws(error);
  if (CREDENTIAL_ERRORS.has(name ?? ''))
    return new TaskTrackerError(
      'UNAUTHORIZED',
      `${doing}: no valid AWS credentials (${name}). Set AWS_PROFILE or --profile (aws sso login for SSO), or use --target localstack or an endpoint URL`,
      undefined,
      { cause: error },
    );
  if (name === 'AccessDenied' || name === 'AccessDeniedException')
    return new TaskTrackerError('FORBIDDEN', `${doing}: ${message}`, undefined, { cause: error });
  if (asAws(error).$metadata === undefined && /ECONNREFUSED|fetch failed|ENOTFOUND/.test(String(message)))
    return new TaskTrackerError(
      'SERVICE_UNAVAILABLE',
      `${doing}: the endpoint does not answer (${message})`,
      undefined,
      {
        cause: error,
      },
    );
  return new TaskTrackerError('DEPLOY_FAILED', `${doing}: ${describeAwsError(error)}`, undefined, {
    cause: error,
  });
}

/** An AWS error in one line; an endpoint's unreadable 5xx page becomes its HTTP status. */
export function describeAwsError(error: unknown): string {
  const { name, message, $metadata } = asAws(error);
  const response = (error as { $response?: { statusCode?: number } } | undefined)?.$response;
  const status = $metadata?.httpStatusCode ?? response?.statusCode;
  const firstLine = (message ?? String(error)).split('\n')[0];
  if (status !== undefined && status >= 500)
    return `the endpoint answered HTTP ${status} (${name ?? 'Error'}: ${firstLine})`;
  return `${name ?? 'Error'}: ${firstLine}`;
}
