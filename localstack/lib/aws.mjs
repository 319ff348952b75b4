// The AWS calls of localstack/e2e.sh, with the SDK clients the deployer already depends on.
//
//   node localstack/lib/aws.mjs wait-health <seconds>               LocalStack's services all up
//   node localstack/lib/aws.mjs api-key <apiKeyId>                  the key's value (GetApiKey)
//   node localstack/lib/aws.mjs rest-api-id <name>                  a REST API's id by its name
//   node localstack/lib/aws.mjs api-key-id <name>                   an API key's id by its name
//   node localstack/lib/aws.mjs put-object <bucket> <key> <file>
//   node localstack/lib/aws.mjs wait-invocation <table> <objectKey> <seconds>
//
// Endpoint: AWS_ENDPOINT_URL_<SERVICE> (the SDK's own per-service names, so S3 and DynamoDB can point at
// different engines), else LOCALSTACK_ENDPOINT, else http://localhost:4566. Region AWS_REGION (default
// us-east-1). Credentials test/test like tt's, never the environment's: LocalStack accepts any, but maps
// an AKIA... key id to another account than the one tt deployed to. E2E_CREDENTIALS=id:secret is for
// engines that check them (the test runs these helpers against tt local serve's S3, local:local).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { signRequest } from './sigv4.mjs';

// pnpm links the SDK clients under packages/deploy/node_modules only, so a bare import from here finds
// nothing: resolve them the way @tasktracker/deploy does.
const require = createRequire(new URL('../../packages/deploy/package.json', import.meta.url));

/** What the stack and tt deploy use; wait-health waits for each of these. */
export const REQUIRED_SERVICES = [
  'cloudformation',
  's3',
  'dynamodb',
  'lambda',
  'apigateway',
  'iam',
  'logs',
  'sqs',
  'sns',
  'sts',
  'cloudwatch',
];

const [accessKeyId, secretAccessKey] = (process.env.E2E_CREDENTIALS || 'test:test').split(':');
const credentials = { accessKeyId, secretAccessKey };
const region = () => process.env.AWS_REGION || 'us-east-1';
const localstack = () => process.env.LOCALSTACK_ENDPOINT || 'http://localhost:4566';
export const endpointFor = (service, env = process.env) =>
  env[`AWS_ENDPOINT_URL_${service.toUpperCase()}`] || env.LOCALSTACK_ENDPOINT || 'http://localhost:4566';
const clientConfig = (service) => ({ endpoint: endpointFor(service), region: region(), credentials });

/**
 * Which required services are not up yet, from /_localstack/health's `services` map. LocalStack loads
 * services lazily: "available" (loads on first call) and "running" both mean ready.
 */
export function servicesNotReady(health, required = REQUIRED_SERVICES) {
  const services = health?.services ?? {};
  return required.filter((name) => !['available', 'running'].includes(services[name]));
}

async function waitHealth(seconds) {
  const url = `${localstack()}/_localstack/health`;
  const deadline = Date.now() + Number(seconds) * 1000;
  let last = 'no answer yet';
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      const health = await response.json();
      const missing = servicesNotReady(health);
      if (response.ok && missing.length === 0) {
        process.stdout.write(`${JSON.stringify({ version: health.version, edition: health.edition })}\n`);
        return;
      }
      last = `HTTP ${response.status}, not ready: ${missing.join(', ') || '(none)'}`;
    } catch (error) {
      last = error.cause?.code ?? error.message;
    }
    if (Date.now() > deadline) {
      process.stderr.write(`LocalStack at ${url} not healthy after ${seconds} s (${last})\n`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

/** A signed GET to API Gateway's REST API (see sigv4.mjs for why there is no SDK client here). */
async function apiGatewayGet(path) {
  const url = `${endpointFor('api_gateway')}${path}`;
  const headers = signRequest({ method: 'GET', url, region: region(), service: 'apigateway', credentials });
  const response = await fetch(url, { headers: { ...headers, accept: 'application/json' } });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${text.slice(0, 300)}`);
  return JSON.parse(text);
}

/** GetApiKey with includeValue: the value clients send as x-api-key. */
async function apiKey(apiKeyId) {
  const { value } = await apiGatewayGet(`/apikeys/${encodeURIComponent(apiKeyId)}?includeValue=true`);
  if (!value) throw new Error(`GetApiKey ${apiKeyId}: the answer has no value`);
  process.stdout.write(`${value}\n`);
}

/**
 * An id by name (GetRestApis, GetApiKeys; the wire JSON lists them under "item"), for when the stack
 * publishes no outputs: the template names the API tasktracker-<stage> and its key tasktracker-<stage>-default.
 */
async function idByName(kind, name) {
  const path =
    kind === 'rest-api' ? '/restapis?limit=500' : `/apikeys?limit=500&name=${encodeURIComponent(name)}`;
  const found = ((await apiGatewayGet(path)).item ?? []).filter((item) => item.name === name);
  if (found.length !== 1) throw new Error(`${found.length} ${kind}s named ${name}, expected 1`);
  process.stdout.write(`${found[0].id}\n`);
}

async function putObject(bucket, key, file) {
  const { PutObjectCommand, S3Client } = require('@aws-sdk/client-s3');
  // Path-style: <bucket>.localhost does not resolve everywhere.
  const s3 = new S3Client({ ...clientConfig('s3'), forcePathStyle: true });
  const body = readFileSync(file);
  const { ETag } = await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
  process.stdout.write(`${JSON.stringify({ bucket, key, bytes: body.length, etag: ETag })}\n`);
}

/** A DynamoDB attribute as plain JSON: enough for the invocation log (strings, numbers, lists, maps). */
function plain(attribute) {
  const [[type, value]] = Object.entries(attribute);
  if (type === 'N') return Number(value);
  if (type === 'NULL') return null;
  if (type === 'L') return value.map(plain);
  if (type === 'M') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

/** Polls the invocation log until the import of objectKey is recorded; prints that item as JSON. */
async function waitInvocation(table, objectKey, seconds) {
  const { DynamoDBClient, ScanCommand } = require('@aws-sdk/client-dynamodb');
  const dynamo = new DynamoDBClient(clientConfig('dynamodb'));
  const deadline = Date.now() + Number(seconds) * 1000;
  for (;;) {
    let startKey;
    do {
      // A scan: the log is keyed by request id, and this table holds a handful of items.
      const page = await dynamo.send(
        new ScanCommand({
          TableName: table,
          ConsistentRead: true,
          FilterExpression: 'objectKey = :key',
          ExpressionAttributeValues: { ':key': { S: objectKey } },
          ExclusiveStartKey: startKey,
        }),
      );
      const [item] = page.Items ?? [];
      if (item) {
        process.stdout.write(`${JSON.stringify(plain({ M: item }))}\n`);
        return;
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    if (Date.now() > deadline) {
      throw new Error(`no invocation-log item for ${objectKey} in ${table} after ${seconds} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}

const COMMANDS = {
  'wait-health': [waitHealth, '<seconds>'],
  'api-key': [apiKey, '<apiKeyId>'],
  'rest-api-id': [(name) => idByName('rest-api', name), '<name>'],
  'api-key-id': [(name) => idByName('api-key', name), '<name>'],
  'put-object': [putObject, '<bucket> <key> <file>'],
  'wait-invocation': [waitInvocation, '<table> <objectKey> <seconds>'],
};

async function main(argv) {
  const [command, ...args] = argv;
  const [run, usage] = COMMANDS[command] ?? [];
  if (!run || args.length !== usage.split(' ').length) {
    const lines = Object.entries(COMMANDS).map(([name, [, u]]) => `node localstack/lib/aws.mjs ${name} ${u}`);
    process.stderr.write(`usage:\n  ${lines.join('\n  ')}\n`);
    process.exit(64);
  }
  try {
    await run(...args);
  } catch (error) {
    const cause = error.cause?.code ?? error.cause?.message;
    process.stderr.write(
      `${command}: ${error.name ?? 'Error'}: ${error.message}${cause ? ` (${cause})` : ''}\n`,
    );
    process.exit(1);
  }
}

// Run as a script, not when a test imports the pure functions above.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  await main(process.argv.slice(2));
