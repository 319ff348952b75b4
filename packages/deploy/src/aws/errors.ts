import { type ErrorCode, TaskTrackerError } from '@tasktracker/core';
import * as z from 'zod';

/** The fields of an SDK error we read; anything may be missing (endpoints are not all AWS). */
const AwsErrorSchema = z.looseObject({
  name: z.string().optional(),
  Code: z.string().optional(),
  message: z.string().optional(),
  $metadata: z.looseObject({ httpStatusCode: z.number().optional() }).optional(),
});

const asAws = (error: unknown) => {
  const parsed = AwsErrorSchema.safeParse(error);
  return parsed.success ? parsed.data : {};
};

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
 * with what to do, an endpoint that does not answer says so; anything else keeps the endpoint's own
 * reason under `code`: DEPLOY_FAILED while a stack is being changed, AWS_REQUEST_FAILED for reads.
 */
export function explainAwsError(
  error: unknown,
  doing: string,
  code: ErrorCode = 'DEPLOY_FAILED',
): TaskTrackerError {
  if (error instanceof TaskTrackerError) return error;
  const { name, message, $metadata } = asAws(error);
  if (CREDENTIAL_ERRORS.has(name ?? ''))
    return new TaskTrackerError(
      'UNAUTHORIZED',
      `${doing}: no valid AWS credentials (${name}). Set AWS_PROFILE or --profile (aws sso login for SSO), or use --target localstack or an endpoint URL`,
      undefined,
      { cause: error },
    );
  if (name === 'AccessDenied' || name === 'AccessDeniedException')
    return new TaskTrackerError('FORBIDDEN', `${doing}: ${message}`, undefined, { cause: error });
  if (
    $metadata?.httpStatusCode === undefined &&
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|fetch failed|ENOTFOUND/.test(String(message))
  )
    return new TaskTrackerError(
      'SERVICE_UNAVAILABLE',
      `${doing}: the endpoint does not answer (${message})`,
      undefined,
      { cause: error },
    );
  return new TaskTrackerError(code, `${doing}: ${describeAwsError(error)}`, undefined, { cause: error });
}

const RawResponseSchema = z.looseObject({
  $response: z.looseObject({ statusCode: z.number().optional(), body: z.unknown() }).optional(),
  $responseBodyText: z.string().optional(),
});

/** AWS's JSON protocols (DynamoDB, Lambda, ...): moto relays them so from inside CloudFormation. */
const JsonErrorSchema = z.looseObject({
  __type: z.string().optional(),
  code: z.string().optional(),
  message: z.string().optional(),
  Message: z.string().optional(),
});

const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The endpoint's own reason in a body the SDK could not read: JSON, XML or an HTML error page. */
export function reasonInBody(body: string): string | undefined {
  const text = body.trim();
  if (text.startsWith('{')) {
    try {
      const parsed = JsonErrorSchema.safeParse(JSON.parse(text));
      if (parsed.success) {
        const type = (parsed.data.__type ?? parsed.data.code)?.split('#').at(-1);
        const message = parsed.data.message ?? parsed.data.Message;
        if (type || message) return [type, message].filter(Boolean).join(': ');
      }
    } catch {
      // not JSON after all: fall through to the markup readers
    }
  }
  const code = /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
  const message = /<Message>([^<]*)<\/Message>/.exec(text)?.[1];
  if (code || message) return [code, message].filter(Boolean).join(': ');
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const paragraph = /<p>([\s\S]*?)<\/p>/i.exec(text)?.[1];
  if (title || paragraph) return [title, paragraph && textOf(paragraph)].filter(Boolean).join(': ');
  return text ? textOf(text).slice(0, 300) : undefined;
}

/**
 * An AWS error in one line, with the endpoint's own reason. When the SDK could not parse the answer
 * (moto sends some errors as JSON where the protocol is XML, and crashes as HTML pages), its message is
 * only "XML parse error": the raw body it keeps on the error says what really happened.
 */
export function describeAwsError(error: unknown): string {
  const { name, message, $metadata } = asAws(error);
  const raw = RawResponseSchema.safeParse(error);
  const response = raw.success ? raw.data.$response : undefined;
  const status = $metadata?.httpStatusCode ?? response?.statusCode;
  // The SDK leaves the body as text on the error only when it could not parse it.
  const body =
    typeof response?.body === 'string' ? response.body : raw.success ? raw.data.$responseBodyText : undefined;
  const reason = body !== undefined ? reasonInBody(body) : undefined;
  const line = reason ?? `${name ?? 'Error'}: ${(message ?? String(error)).split('\n')[0]}`;
  return status !== undefined && status >= 500 ? `the endpoint answered HTTP ${status} (${line})` : line;
}
