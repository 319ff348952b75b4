// The AWS calls of localstack/e2e.sh, with the SDK clients the deployer already depends on.
//
//   node localstack/lib/aws.mjs wait-health <seconds>               the emulator's services all up
//   node localstack/lib/aws.mjs rest-api-id <name>                  a REST API's id by its name
//   node localstack/lib/aws.mjs api-key-id <name>                   an API key's id by its name
//   node localstack/lib/aws.mjs put-object <bucket> <key> <file>
//   node localstack/lib/aws.mjs wait-invocation <table> <objectKey> <seconds> [count]
//
// Endpoints and credentials: see endpoint.mjs. The import pipeline's calls are in imports.mjs.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { clientConfig, endpointFor, localstack, sdk, signedRequest } from './endpoint.mjs';

export { endpointFor };

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
  'secretsmanager',
];

/** Other names an emulator's health map gives a service: ministack lists CloudWatch as "monitoring". */
const HEALTH_ALIASES = { cloudwatch: ['monitoring'] };

/**
 * Which required services are not up yet, from /_localstack/health's `services` map. LocalStack loads
 * services lazily: "available" (loads on first call) and "running" both mean ready.
 */
export function servicesNotReady(health, required = REQUIRED_SERVICES) {
  const services = health?.services ?? {};
  const ready = (name) => ['available', 'running'].includes(services[name]);
  return required.filter((name) => !ready(name) && !(HEALTH_ALIASES[name] ?? []).some(ready));
}

/** ministack answers /_ministack/health too (LocalStack has no such path): the engine's name for the report. */
async function engineName() {
  try {
    const response = await fetch(`${localstack()}/_ministack/health`, { signal: AbortSignal.timeout(5000) });
    if (response.ok && (await response.json()).services) return 'ministack';
  } catch {
    // LocalStack
  }
  return 'LocalStack';
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
        const engine = await engineName();
        process.stdout.write(
          `${JSON.stringify({ engine, version: health.version, edition: health.edition })}\n`,
        );
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
export async function apiGatewayGet(path) {
  return JSON.parse(await signedRequest('apigateway', { path, headers: { accept: 'application/json' } }));
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
  const { PutObjectCommand, S3Client } = sdk('@aws-sdk/client-s3');
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

/** Every invocation-log item of objectKey, oldest first (a scan: the log is keyed by request id, and small). */
export async function invocationsOf(table, objectKey) {
  const { DynamoDBClient, ScanCommand } = sdk('@aws-sdk/client-dynamodb');
  const dynamo = new DynamoDBClient(clientConfig('dynamodb'));
  const items = [];
  let startKey;
  do {
    const page = await dynamo.send(
      new ScanCommand({
        TableName: table,
        ConsistentRead: true,
        FilterExpression: 'objectKey = :key',
        ExpressionAttributeValues: { ':key': { S: objectKey } },
        ExclusiveStartKey: startKey,
      }),
    );
    items.push(...(page.Items ?? []).map((item) => plain({ M: item })));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  dynamo.destroy();
  return items.sort((a, b) => a.timestamp.localeCompare(b.timestamp));
}

/** Polls the invocation log until objectKey has `count` items; prints the newest as JSON. */
async function waitInvocation(table, objectKey, seconds, count = '1') {
  const deadline = Date.now() + Number(seconds) * 1000;
  for (;;) {
    const items = await invocationsOf(table, objectKey);
    if (items.length >= Number(count)) {
      process.stdout.write(`${JSON.stringify(items.at(-1))}\n`);
      return;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `${items.length} invocation-log item(s) for ${objectKey} in ${table} after ${seconds} s, expected ${count}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

const COMMANDS = {
  'wait-health': [waitHealth, '<seconds>'],
  'rest-api-id': [(name) => idByName('rest-api', name), '<name>'],
  'api-key-id': [(name) => idByName('api-key', name), '<name>'],
  'put-object': [putObject, '<bucket> <key> <file>'],
  'wait-invocation': [waitInvocation, '<table> <objectKey> <seconds> [count]'],
};

async function main(argv) {
  const [command, ...args] = argv;
  const [run, usage] = COMMANDS[command] ?? [];
  const required = usage.split(' ').filter((word) => word.startsWith('<')).length;
  if (!run || args.length < required || args.length > usage.split(' ').length) {
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
