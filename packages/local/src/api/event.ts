import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RouteMatch } from './router.ts';

/** An API Gateway REST (payload v1) proxy event, as a Lambda behind AWS_PROXY receives it. */
export interface ProxyEvent {
  resource: string;
  path: string;
  httpMethod: string;
  headers: Record<string, string> | null;
  multiValueHeaders: Record<string, string[]> | null;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  body: string | null;
  isBase64Encoded: boolean;
  requestContext: Record<string, unknown>;
}

/**
 * API Gateway hands the Lambda the API key's id, never the key itself. Locally each distinct key gets a
 * stable id derived from it, so two keys are two users and the secret never reaches a handler or a log.
 */
export function apiKeyIdOf(apiKey: string): string {
  return `local-${createHash('sha256').update(apiKey).digest('hex').slice(0, 20)}`;
}

/**
 * Names are the client's (`?__proto__=`, a `constructor` header): collected in a Map, then made own
 * properties, never looked up on a plain object where they would find Object.prototype's members.
 */
function singleAndMulti(pairs: Iterable<[string, string]>) {
  const multi = new Map<string, string[]>();
  for (const [name, value] of pairs) multi.set(name, [...(multi.get(name) ?? []), value]);
  return {
    single: Object.fromEntries([...multi].map(([name, values]) => [name, values.at(-1) as string])),
    multi: Object.fromEntries(multi),
  };
}

function headersOf(request: IncomingMessage) {
  const pairs: [string, string][] = [];
  for (let index = 0; index < request.rawHeaders.length; index += 2) {
    pairs.push([request.rawHeaders[index] as string, request.rawHeaders[index + 1] as string]);
  }
  return singleAndMulti(pairs);
}

function queryOf(url: URL) {
  const query = singleAndMulti(url.searchParams);
  return Object.keys(query.single).length > 0 ? query : undefined;
}

function stringClaims(claims: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      typeof value === 'string' ? value : JSON.stringify(value),
    ]),
  );
}

const TEXT_TYPES = /^(text\/|application\/(json|x-www-form-urlencoded|xml|[\w.+-]*\+json))/i;

export function toProxyEvent(
  request: IncomingMessage,
  url: URL,
  body: Buffer,
  match: RouteMatch,
  context: {
    stage: string;
    apiKeyId: string | undefined;
    sourceIp: string;
    requestId?: string;
    /** A Cognito authorizer's verified token claims. */
    claims?: Record<string, unknown>;
  },
): ProxyEvent {
  const headers = headersOf(request);
  const query = queryOf(url);
  const contentType = request.headers['content-type'] ?? 'application/json';
  const binary = body.length > 0 && !TEXT_TYPES.test(contentType);
  const now = new Date();
  return {
    resource: match.route.path,
    path: url.pathname,
    httpMethod: match.route.method,
    headers: headers.single,
    multiValueHeaders: headers.multi,
    queryStringParameters: query?.single ?? null,
    multiValueQueryStringParameters: query?.multi ?? null,
    pathParameters: match.pathParameters,
    stageVariables: { stage: context.stage },
    body: body.length > 0 ? body.toString(binary ? 'base64' : 'utf8') : null,
    isBase64Encoded: binary,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      resourcePath: match.route.path,
      httpMethod: match.route.method,
      path: `/${context.stage}${url.pathname}`,
      stage: context.stage,
      requestId: context.requestId ?? randomUUID(),
      requestTime: now.toUTCString(),
      requestTimeEpoch: now.getTime(),
      protocol: `HTTP/${request.httpVersion}`,
      // API Gateway hands the authorizer's claims over as strings (numbers and arrays stringified).
      ...(context.claims ? { authorizer: { claims: stringClaims(context.claims) } } : {}),
      identity: {
        apiKeyId: context.apiKeyId ?? null,
        sourceIp: context.sourceIp,
        userAgent: request.headers['user-agent'] ?? null,
      },
    },
  };
}
