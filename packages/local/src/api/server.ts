import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@tasktracker/core';
import { apiKeyIdOf, type ProxyEvent, toProxyEvent } from './event.ts';
import { type GatewayAnswer, type GatewayResponses, sendGatewayAnswer } from './gateway.ts';
import { bearerTokenOf, type TokenVerifier } from './jwt.ts';
import { Router } from './router.ts';
import type { TemplateRoute } from './template.ts';
import { refuseInvalidRequest } from './validation.ts';

export interface ProxyResult {
  statusCode: number;
  headers?: Record<string, string | number | boolean>;
  multiValueHeaders?: Record<string, (string | number | boolean)[]>;
  body?: string;
  isBase64Encoded?: boolean;
}

export interface LocalLambdaContext {
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  memoryLimitInMB: string;
  invokedFunctionArn: string;
  logGroupName: string;
  logStreamName: string;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
}

export type LambdaHandler = (event: ProxyEvent, context: LocalLambdaContext) => Promise<ProxyResult>;

export interface LocalApiOptions {
  routes: TemplateRoute[];
  /** The template's GatewayResponses: API Gateway's own errors are worded (and headed) by them. */
  gatewayResponses?: GatewayResponses;
  /** Extra pages by exact path, e.g. /docs; a template route of the same path wins. */
  pages?: Record<string, LocalPage>;
  /** Loads a handler by name once; the server keeps it (a warm Lambda). */
  loadHandler: (handlerName: string) => Promise<LambdaHandler>;
  port?: number;
  host?: string;
  stage?: string;
  /** Accept only these API keys; by default any non-empty key is accepted and is its own user. */
  apiKeys?: string[];
  /** Checks the bearer token of the routes a Cognito authorizer guards (AuthMode cognito or both). */
  tokens?: TokenVerifier;
  logger?: Logger;
}

/** A page the local server adds beside the API (the docs), served for GET only: no part of API Gateway. */
export interface LocalPage {
  contentType: string;
  body: () => Promise<Buffer | string>;
}

export interface LocalApi {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** The context object the Lambda runtime passes a handler, for a function invoked here and now. */
export function createLambdaContext(functionName: string, timeoutMs: number): LocalLambdaContext {
  const deadline = Date.now() + timeoutMs;
  return {
    awsRequestId: randomUUID(),
    functionName,
    functionVersion: '$LATEST',
    memoryLimitInMB: '512',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:${functionName}`,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** API Gateway's own limits and answers, so that clients see locally what they will see deployed. */
const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
const INTEGRATION_TIMEOUT_MS = 29_000;
const GATEWAY = {
  noRoute: { type: 'MISSING_AUTHENTICATION_TOKEN' },
  forbidden: { type: 'INVALID_API_KEY' },
  unauthorized: { type: 'UNAUTHORIZED' },
  tooLarge: { type: 'REQUEST_TOO_LARGE' },
  lambdaError: { type: 'INTEGRATION_FAILURE' },
  timeout: { type: 'INTEGRATION_TIMEOUT' },
} as const satisfies Record<string, GatewayAnswer>;

async function readBody(request: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_REQUEST_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function writeResult(response: ServerResponse, result: ProxyResult): void {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {})) headers[name] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {}))
    headers[name] = values.map(String);
  const body = result.body ?? '';
  response.writeHead(result.statusCode, headers);
  response.end(result.isBase64Encoded ? Buffer.from(body, 'base64') : body);
}

/**
 * The request target as a URL on this server. Resolved against a base, `//x/tasks` would name host x
 * (and `//` no host at all, a TypeError): here it is a path, as API Gateway reads it.
 */
function requestUrl(target: string | undefined): URL | undefined {
  const path = target?.startsWith('/') ? target : `/${target ?? ''}`;
  try {
    return new URL(`http://localhost${path}`);
  } catch {
    return undefined;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Serves the template's API on loopback: each request becomes the proxy event API Gateway would send,
 * the handler runs in this process (warm after its first call), and its result goes back as is.
 */
export async function startLocalApi(options: LocalApiOptions): Promise<LocalApi> {
  const router = new Router(options.routes);
  const stage = options.stage ?? 'dev';
  const allowed = options.apiKeys ? new Set(options.apiKeys) : undefined;
  const tokens = options.tokens;
  if (!tokens && options.routes.some((route) => route.tokenRequired))
    throw new Error('the routes need a Cognito authorizer: give startLocalApi a token verifier');
  const handlers = new Map<string, Promise<LambdaHandler>>();
  const load = (name: string) => {
    let handler = handlers.get(name);
    if (!handler) {
      handler = options.loadHandler(name);
      handlers.set(name, handler);
    }
    return handler;
  };

  const server = createServer(async (request, response) => {
    const started = performance.now();
    // API Gateway's $context.requestId: the handler's event and the gateway's own answers carry it.
    const requestId = randomUUID();
    const sendGateway = (answer: GatewayAnswer) =>
      sendGatewayAnswer(response, answer, options.gatewayResponses ?? {}, {
        requestId,
        headers: request.headers,
      });
    try {
      const url = requestUrl(request.url);
      const body = await readBody(request);
      if (!body) return sendGateway(GATEWAY.tooLarge);
      if (!url) return sendGateway(GATEWAY.noRoute);
      const match = router.match(request.method ?? 'GET', url.pathname);
      const page = options.pages?.[url.pathname];
      if (!match && page && request.method === 'GET') {
        const content = await page.body();
        response.writeHead(200, { 'content-type': page.contentType, 'cache-control': 'no-cache' });
        return response.end(content);
      }
      if (!match) return sendGateway(GATEWAY.noRoute);
      // API Gateway runs the authorizer before it looks at the API key: a bad token is 401 either way.
      const token = bearerTokenOf(request.headers.authorization);
      const claims = match.route.tokenRequired && token ? await tokens?.verify(token) : undefined;
      if (match.route.tokenRequired && !claims) return sendGateway(GATEWAY.unauthorized);
      const apiKey = request.headers['x-api-key'];
      const key = typeof apiKey === 'string' && apiKey.length > 0 ? apiKey : undefined;
      if (match.route.apiKeyRequired && (!key || (allowed && !allowed.has(key)))) {
        return sendGateway(GATEWAY.forbidden);
      }
      // The method's RequestValidator, before any function runs (the function validates again).
      const refusal = refuseInvalidRequest(match.route, {
        url,
        headers: request.headers,
        body,
        pathParameters: match.pathParameters,
      });
      if (refusal) return sendGateway(refusal);
      const event = toProxyEvent(request, url, body, match, {
        stage,
        apiKeyId: key ? apiKeyIdOf(key) : undefined,
        sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
        requestId,
        ...(claims ? { claims } : {}),
      });
      const context = createLambdaContext(
        `tasktracker-${stage}-${match.route.handlerName}`,
        INTEGRATION_TIMEOUT_MS,
      );
      const handler = await load(match.route.handlerName);
      const result = await withTimeout(handler(event, context), INTEGRATION_TIMEOUT_MS);
      if (result === 'timeout') return sendGateway(GATEWAY.timeout);
      if (!result || typeof result.statusCode !== 'number') return sendGateway(GATEWAY.lambdaError);
      writeResult(response, result);
    } catch (error) {
      options.logger?.error({ err: error }, 'handler failed');
      if (!response.headersSent) sendGateway(GATEWAY.lambdaError);
      else response.destroy();
    } finally {
      options.logger?.debug(
        {
          method: request.method,
          // The path without its query string: a client may put a token there, and logs keep no secrets.
          path: request.url?.split('?')[0],
          status: response.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'local api request',
      );
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
