/**
 * The handlers a user would otherwise write, for bench/bundles.ts: POST /tasks and GET /tasks with
 * Powertools for AWS Lambda (TypeScript) 2.35 (Logger, Parser with full zod, Idempotency on DynamoDB,
 * middy), sources in bench/peers/powertools, bundled with the deployer's esbuild options. And the first
 * request: a fresh Node process imports a bundle and answers one API Gateway event against DynamoDB
 * Local (bench/lib/first-request.mjs), which is what a user waits for on a cold start.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { buildBundle } from '@tasktracker/deploy';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '@tasktracker/local';
import { startBenchEngine } from './dynamo.ts';
import { ensurePeers, PEERS_DIR, peerVersion } from './peers.ts';

export const PEER_ROUTES = { 'tasks-create': 'create-task', 'tasks-list': 'list-tasks' } as const;
export type PeerRoute = keyof typeof PEER_ROUTES;

const POWERTOOLS_IDEMPOTENCY_TABLE = 'bench-powertools-idempotency';
const LIST_USER = 'bench-list-user';
const CREATE_USER = 'bench-create-user';
/** Tasks the list user holds: more than a page, so a list reads a full page of 20. */
const LIST_USER_TASKS = 50;
const HARNESS = join(import.meta.dirname, 'first-request.mjs');

/** Builds the Powertools peers into `outDir/<route>/index.mjs`; returns their files by our route name. */
export async function buildPeerBundles(outDir: string): Promise<Record<PeerRoute, string>> {
  ensurePeers();
  const files = {} as Record<PeerRoute, string>;
  for (const [route, source] of Object.entries(PEER_ROUTES) as [PeerRoute, string][]) {
    files[route] = join(outDir, `powertools-${route}`, 'index.mjs');
    await buildBundle(join(PEERS_DIR, 'powertools', `${source}.ts`), files[route]);
  }
  return files;
}

export const peerVersions = () =>
  Object.fromEntries(
    [
      '@aws-lambda-powertools/logger',
      '@aws-lambda-powertools/parser',
      '@aws-lambda-powertools/idempotency',
      '@middy/core',
      'zod',
    ].map((name) => [name, peerVersion(name)]),
  );

/** An API Gateway REST (payload v1) event with an API key identity, as the deployed API sends it. */
function apiEvent(
  method: string,
  options: {
    apiKeyId: string;
    headers?: Record<string, string>;
    body?: unknown;
    query?: Record<string, string>;
  },
) {
  const headers = {
    Accept: 'application/json',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    ...(options.body ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  return {
    resource: '/tasks',
    path: '/tasks',
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: options.query ?? null,
    multiValueQueryStringParameters: options.query
      ? Object.fromEntries(Object.entries(options.query).map(([name, value]) => [name, [value]]))
      : null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      extendedRequestId: 'Xyz=',
      httpMethod: method,
      path: '/dev/tasks',
      protocol: 'HTTP/1.1',
      requestId: randomUUID(),
      requestTime: '01/Dec/2026:10:00:00 +0000',
      requestTimeEpoch: Date.now(),
      resourceId: 'r1a2b3',
      resourcePath: '/tasks',
      stage: 'dev',
      identity: {
        accessKey: null,
        accountId: null,
        apiKey: 'never-logged',
        apiKeyId: options.apiKeyId,
        caller: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: '198.51.100.7',
        user: null,
        userAgent: 'bench',
        userArn: null,
      },
    },
    body: options.body ? JSON.stringify(options.body) : null,
    isBase64Encoded: false,
  };
}

/** The request each route's first invocation answers: a first (not replayed) idempotent create, a page of 20. */
function firstEvent(route: PeerRoute) {
  return route === 'tasks-create'
    ? apiEvent('POST', {
        apiKeyId: CREATE_USER,
        headers: { 'Idempotency-Key': randomUUID() },
        body: { title: 'First task of a cold container', description: 'one POST', priority: 'high' },
      })
    : apiEvent('GET', { apiKeyId: LIST_USER, query: { limit: '20' } });
}

const EXPECTED_STATUS: Record<PeerRoute, number> = { 'tasks-create': 201, 'tasks-list': 200 };

export interface FirstRequest {
  init: { ms: number; cpuMs: number };
  invoke: { ms: number; cpuMs: number };
}

/** DynamoDB Local with our tables, Powertools' idempotency table and the list user's tasks. */
export async function startFirstRequestEngine() {
  const bench = await startBenchEngine();
  await bench.client.send(
    new CreateTableCommand({
      TableName: POWERTOOLS_IDEMPOTENCY_TABLE,
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  const requests = Array.from({ length: LIST_USER_TASKS }, (_, i) => ({
    input: {
      title: `Listed task ${i}`,
      description: 'read by every first list',
      priority: 'medium' as const,
    },
  }));
  await bench.tracker.tasks.createMany(LIST_USER, requests);
  // What a Lambda container's environment holds, plus the engine's endpoint for both sides.
  const env = {
    PATH: process.env.PATH,
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL: bench.engine.endpoint,
    AWS_LAMBDA_FUNCTION_NAME: 'bench-first-request',
    STAGE: 'dev',
    LOG_LEVEL: 'info',
    TASKS_TABLE: bench.tables.tasks,
    CATEGORIES_TABLE: bench.tables.categories,
    IDEMPOTENCY_TABLE: bench.tables.idempotency,
    INVOCATION_LOG_TABLE: bench.tables.invocationLog,
  };
  return {
    ...bench,
    /** One cold container: import `bundle`, answer the route's first request; fails on a wrong status. */
    firstRequest(route: PeerRoute, bundle: string, peer: boolean): FirstRequest {
      const context = {
        awsRequestId: randomUUID(),
        functionName: `bench-${route}`,
        functionVersion: '$LATEST',
        invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:bench-${route}`,
        memoryLimitInMB: '1024',
        logGroupName: `/aws/lambda/bench-${route}`,
        logStreamName: '2026/12/01/[$LATEST]abcdef',
        callbackWaitsForEmptyEventLoop: true,
      };
      const result = spawnSync(
        process.execPath,
        [HARNESS, bundle, JSON.stringify(firstEvent(route)), JSON.stringify(context)],
        {
          env: peer ? { ...env, IDEMPOTENCY_TABLE: POWERTOOLS_IDEMPOTENCY_TABLE } : env,
          stdio: ['ignore', 'ignore', 'pipe'],
        },
      );
      const line = /FIRST-REQUEST (.+)/.exec(result.stderr.toString());
      const parsed = line ? (JSON.parse(line[1] ?? '') as FirstRequest & { status: number }) : undefined;
      if (!parsed || parsed.status !== EXPECTED_STATUS[route]) {
        throw new Error(
          `${bundle}: first ${route} answered ${parsed?.status}: ${result.stderr.toString().slice(-1500)}`,
        );
      }
      return parsed;
    },
  };
}
