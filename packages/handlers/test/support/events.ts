import { randomUUID } from 'node:crypto';
import type { ApiResponse, LambdaContext } from '../../src/index.ts';

export interface EventOptions {
  method: string;
  resource: string;
  path?: string;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: unknown;
  /** A raw body string, sent as is (malformed JSON, oversized text). */
  rawBody?: string;
  isBase64Encoded?: boolean;
  apiKeyId?: string | null;
  authorizer?: Record<string, unknown> | null;
}

/** An API Gateway REST (payload v1) proxy event as API Gateway sends it, API key identity by default. */
export function apiEvent(options: EventOptions) {
  const path =
    options.path ??
    options.resource.replace(/\{(\w+)\}/g, (_match, name: string) => options.pathParameters?.[name] ?? name);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'vitest',
    'X-Forwarded-For': '198.51.100.7',
    ...(options.body !== undefined || options.rawBody !== undefined
      ? { 'Content-Type': 'application/json' }
      : {}),
    ...options.headers,
  };
  const body = options.rawBody ?? (options.body === undefined ? null : JSON.stringify(options.body));
  return {
    resource: options.resource,
    path,
    httpMethod: options.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([name, value]) => [name, [value]]))
      : null,
    pathParameters: options.pathParameters ?? null,
    stageVariables: { stage: 'dev' },
    requestContext: {
      resourceId: 'r1a2b3',
      resourcePath: options.resource,
      httpMethod: options.method,
      extendedRequestId: 'Xyz=',
      requestTime: '22/Nov/2026:04:40:00 +0000',
      path: `/dev${path}`,
      accountId: '123456789012',
      protocol: 'HTTP/1.1',
      stage: 'dev',
      domainPrefix: 'abc123',
      requestTimeEpoch: Date.now(),
      requestId: randomUUID(),
      identity: {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: '198.51.100.7',
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: 'vitest',
        user: null,
        apiKey: options.apiKeyId === null ? null : 'k3y-value-never-logged',
        apiKeyId: options.apiKeyId === undefined ? 'key-alice' : options.apiKeyId,
      },
      ...(options.authorizer ? { authorizer: options.authorizer } : {}),
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      apiId: 'abc123',
    },
    body,
    isBase64Encoded: options.isBase64Encoded ?? false,
  };
}

export function lambdaContext(
  functionName = 'tasktracker-dev-test',
): LambdaContext & Record<string, unknown> {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '512',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: '2026/11/22/[$LATEST]abcdef',
    getRemainingTimeInMillis: () => 29_000,
  };
}

export interface ErrorBody {
  code: string;
  message: string;
  details?: unknown;
  correlationId: string;
}

/** The parsed envelope; `data` is typed by the caller, e.g. invoke<Task>(...). */
export interface Reply<T> {
  status: number;
  headers: Record<string, string>;
  body: string;
  json: { data: T; nextCursor?: string | null; error: ErrorBody };
}

export type Handler = (event: unknown, context: LambdaContext) => Promise<ApiResponse>;

export async function invoke<T = Record<string, unknown>>(
  handler: Handler,
  options: EventOptions,
): Promise<Reply<T>> {
  const response = await handler(apiEvent(options), lambdaContext());
  const json =
    response.body && response.headers['Content-Type']?.startsWith('application/json')
      ? (JSON.parse(response.body) as Reply<T>['json'])
      : ({} as Reply<T>['json']);
  return { status: response.statusCode, headers: response.headers, body: response.body, json };
}
