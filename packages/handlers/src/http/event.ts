import * as z from 'zod';

/**
 * The parts of an API Gateway REST (payload v1) proxy event that the wrapper reads. Loose objects:
 * API Gateway adds fields over time and a new one must never turn a request into a 400.
 */
const StringMapSchema = z.record(z.string(), z.string().nullish()).nullish();

export const ApiEventSchema = z.looseObject({
  resource: z.string().nullish(),
  path: z.string().nullish(),
  httpMethod: z.string().min(1),
  headers: StringMapSchema,
  queryStringParameters: StringMapSchema,
  pathParameters: StringMapSchema,
  body: z.string().nullish(),
  isBase64Encoded: z.boolean().nullish(),
  requestContext: z
    .looseObject({
      requestId: z.string().nullish(),
      authorizer: z
        .looseObject({
          claims: z.looseObject({ sub: z.string().nullish() }).nullish(),
          principalId: z.string().nullish(),
        })
        .nullish(),
      identity: z.looseObject({ apiKeyId: z.string().nullish(), sourceIp: z.string().nullish() }).nullish(),
    })
    .nullish(),
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
