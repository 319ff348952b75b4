import * as z from 'zod/mini';

/**
 * The parts of an API Gateway REST (payload v1) proxy event that the wrapper reads. Loose objects:
 * API Gateway adds fields over time and a new one must never turn a request into a 400.
 */
const OptionalString = z.nullish(z.string());
const StringMapSchema = z.nullish(z.record(z.string(), OptionalString));

export const ApiEventSchema = z.looseObject({
  resource: OptionalString,
  path: OptionalString,
  httpMethod: z.string().check(z.minLength(1)),
  headers: StringMapSchema,
  queryStringParameters: StringMapSchema,
  pathParameters: StringMapSchema,
  body: OptionalString,
  isBase64Encoded: z.nullish(z.boolean()),
  requestContext: z.nullish(
    z.looseObject({
      requestId: OptionalString,
      authorizer: z.nullish(
        z.looseObject({
          claims: z.nullish(z.looseObject({ sub: OptionalString })),
          principalId: OptionalString,
        }),
      ),
      identity: z.nullish(z.looseObject({ apiKeyId: OptionalString, sourceIp: OptionalString })),
    }),
  ),
});
export type ApiEvent = z.infer<typeof ApiEventSchema>;

/** What the Lambda runtime passes as the second argument; only the fields we log. */
export interface LambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion?: string;
  memoryLimitInMB?: string | number;
}

export interface ApiResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded?: boolean;
}

/** Header names are case-insensitive; API Gateway passes them as the client sent them. */
export function lowerCaseHeaders(headers: ApiEvent['headers']): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') lowered[name.toLowerCase()] = value;
  }
  return lowered;
}

/** Drops null and undefined values (API Gateway sends null for an empty map). */
export function presentValues(map: ApiEvent['queryStringParameters']): Record<string, string> {
  const present: Record<string, string> = {};
  for (const [name, value] of Object.entries(map ?? {})) {
    if (typeof value === 'string') present[name] = value;
  }
  return present;
}
