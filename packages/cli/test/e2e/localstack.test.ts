import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TABLE_DEFINITIONS } from '@tasktracker/core';
import { type DeployOutcome, type DestroyOutcome, parseTemplate, type StackInfo } from '@tasktracker/deploy';
import { API_ROUTES } from '@tasktracker/handlers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noEngine, useCli } from './harness.ts';

/**
 * localstack/: the compose file, e2e.sh and its helpers. e2e.sh runs whole against ministack in
 * ministack.test.ts; LocalStack itself needs Docker, which our machines and CI lack, so the run against
 * it is opt-in (E2E_LOCALSTACK=1 on a machine with Docker and a LOCALSTACK_AUTH_TOKEN): the one suite
 * allowed to skip in CI, and it says why. Checked here: the skip path, the script's syntax, the compose
 * file, the SigV4 signer, and the route and import helpers run for real against `tt local serve` (the
 * same handlers, without API Gateway).
 */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const LOCALSTACK = path.join(ROOT, 'localstack');
const BIN = path.join(ROOT, 'packages/cli/dist/tt.mjs');
// yaml is the deployer's dependency, not the CLI's: resolve it from there.
const { parse: parseYaml } = createRequire(path.join(ROOT, 'packages/deploy/package.json'))('yaml') as {
  parse(text: string): unknown;
};

interface RouteReport {
  passed: number;
  failed: number;
  checks: { name: string; ok: boolean; reason?: string }[];
}
interface RoutesModule {
  userRequestBase(endpoint: string, apiId: string, stage: string): string;
  apiIdOf(apiUrl: string): string;
  checkRoutes(options: { base: string; apiKey: string; origin?: string }): Promise<RouteReport>;
}
interface Signed {
  authorization: string;
  [header: string]: string;
}
interface SigV4Module {
  signRequest(request: {
    method: string;
    url: string;
    region: string;
    service: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    body?: string;
    headers?: Record<string, string>;
    date?: Date;
  }): Signed;
}
interface AwsModule {
  REQUIRED_SERVICES: string[];
  servicesNotReady(health: unknown): string[];
  endpointFor(service: string, env: Record<string, string | undefined>): string;
}

// Plain .mjs scripts (they run under bare node): imported by path, typed by the interfaces above.
const routes: RoutesModule = await import(path.join(LOCALSTACK, 'lib/routes.mjs'));
const sigv4: SigV4Module = await import(path.join(LOCALSTACK, 'lib/sigv4.mjs'));
const aws: AwsModule = await import(path.join(LOCALSTACK, 'lib/aws.mjs'));

function run(
  file: string,
  args: string[],
  env: Record<string, string | undefined> = {},
  timeout = 60_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: { ...process.env, ...env }, cwd: ROOT, timeout }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

describe('localstack/e2e.sh without a Docker engine', () => {
  let shims = '';
  beforeAll(async () => {
    shims = await mkdtemp(path.join(tmpdir(), 'tt-docker-shim-'));
    // A docker CLI whose engine does not answer, as on a laptop with Docker Desktop stopped.
    await writeFile(
      path.join(shims, 'docker'),
      '#!/bin/sh\necho "Cannot connect to the Docker daemon" >&2\nexit 1\n',
      {
        mode: 0o755,
      },
    );
  });
  afterAll(async () => {
    await rm(shims, { recursive: true, force: true });
  });

  it('prints exactly "skipped: no Docker engine" and exits 0 when there is no docker command', async () => {
    // An empty PATH: the script reaches its Docker check with bash builtins only, so this holds on any
    // machine, also a CI runner that has Docker (which would otherwise start the real run).
    const empty = path.join(shims, 'empty');
    await mkdir(empty);
    const result = await run('/bin/bash', [path.join(LOCALSTACK, 'e2e.sh')], { PATH: empty });
    expect(result).toEqual({ code: 0, stdout: 'skipped: no Docker engine\n', stderr: '' });
  });

  it('says the same when the docker command is there but its engine does not answer', async () => {
    const result = await run('/bin/bash', [path.join(LOCALSTACK, 'e2e.sh')], { PATH: shims });
    expect(result).toEqual({ code: 0, stdout: 'skipped: no Docker engine\n', stderr: '' });
  });

  it('is valid bash', async () => {
    const result = await run('/bin/bash', ['-n', path.join(LOCALSTACK, 'e2e.sh')]);
    expect(result.code, result.stderr).toBe(0);
  });
});

describe('localstack/docker-compose.yml', () => {
  const compose = async () =>
    parseYaml(await readFile(path.join(LOCALSTACK, 'docker-compose.yml'), 'utf8')) as {
      services: Record<
        string,
        {
          image: string;
          ports: string[];
          environment: Record<string, string>;
          volumes: string[];
          healthcheck: { test: string[] };
        }
      >;
      networks: { default: { name: string } };
    };

  it('pins a calendar-versioned image (never latest), overridable with LOCALSTACK_VERSION', async () => {
    const { image } = (await compose()).services.localstack!;
    expect(image).toMatch(/^localstack\/localstack:\$\{LOCALSTACK_VERSION:-\d{4}\.\d{2}\.\d+\}$/);
    expect(image).not.toContain('latest');
  });

  it("passes the caller's LOCALSTACK_AUTH_TOKEN through and writes no token into the file", async () => {
    const { environment } = (await compose()).services.localstack!;
    // Compose substitutes the shell's value; empty when unset (what the 4.x images accept).
    expect(environment.LOCALSTACK_AUTH_TOKEN).toMatch(/^\$\{LOCALSTACK_AUTH_TOKEN(:-)?\}$/);
  });

  it('loads every service the stack and the deployer use, and runs Lambda in Docker on its own network', async () => {
    const file = await compose();
    const { environment, volumes, ports, healthcheck } = file.services.localstack!;
    expect(environment.SERVICES!.split(',').sort()).toEqual([...aws.REQUIRED_SERVICES].sort());
    expect(volumes).toContain('/var/run/docker.sock:/var/run/docker.sock');
    expect(environment.LAMBDA_RUNTIME_EXECUTOR).toBe('docker');
    expect(environment.LAMBDA_DOCKER_NETWORK).toBe(file.networks.default.name);
    expect(ports).toEqual(['127.0.0.1:4566:4566']);
    expect(healthcheck.test.join(' ')).toContain('http://localhost:4566/_localstack/health');
  });

  it("is what e2e.sh reads its default version from (the script's sed finds it)", async () => {
    const { image } = (await compose()).services.localstack!;
    const pinned = /:-([\d.]+)\}$/.exec(image)?.[1];
    const script = await readFile(path.join(LOCALSTACK, 'e2e.sh'), 'utf8');
    const sed = /sed -n '([^']+)'/.exec(script)?.[1];
    const found = await run('/usr/bin/env', ['sed', '-n', sed!, path.join(LOCALSTACK, 'docker-compose.yml')]);
    expect(found.stdout.trim()).toBe(pinned);
  });
});

/**
 * What e2e.sh reads from `tt deploy --json` and `tt destroy --json` (it cannot run here, so a renamed
 * field would break it unseen): these types stop compiling, and the test fails, if one goes away.
 */
type ReadByE2e = {
  result: string;
  uploaded: number;
  summary?: {
    apiUrl: string | undefined;
    apiKeyId: string | undefined;
    bucket: string | undefined;
    tables: Record<string, string>;
    functions: Record<string, string>;
    outputs: Record<string, string>;
  };
};
const deployFields: DeployOutcome extends ReadByE2e ? true : never = true;
const destroyFields: DestroyOutcome extends { result: string } ? true : never = true;
/** tt info --show-api-key --json: the key's value, read from its secret. */
const infoFields: 'apiKey' extends keyof StackInfo ? true : never = true;

describe('what e2e.sh reads from tt', () => {
  it('finds the deploy and destroy fields and the invocation-log table key it picks', async () => {
    expect([deployFields, destroyFields, infoFields]).toEqual([true, true, true]);
    const script = await readFile(path.join(LOCALSTACK, 'e2e.sh'), 'utf8');
    const picked = [...script.matchAll(/pick "\$WORK\/(\w+)\.json" ([\w.]+)/g)].map(
      ([, file, field]) => `${file}:${field}`,
    );
    expect([...new Set(picked)].sort()).toEqual(
      [
        'deploy:result',
        'deploy:summary.apiKeyId',
        'deploy:summary.apiUrl',
        'deploy:summary.bucket',
        'deploy:summary.functions.ImportsProcessFunction',
        'deploy:summary.outputs.ImportsDeadLetterQueueUrl',
        'deploy:summary.tables.invocationLog',
        'deploy:uploaded',
        'destroy:result',
        'key:apiKey',
        // The helpers' own outputs (localstack/lib), checked where those run.
        'again:duplicates',
        'again:imported',
        'before:count',
        'before:left.secrets.0',
        'both:records.0.status',
        'both:records.1.status',
        'broken:error',
        'broken:status',
        'health:engine',
        'health:version',
        'invocation:functionName',
        'invocation:imported',
        'invocation:rejected',
        'invocation:status',
        'logs:done',
        'logs:failed',
        'logs:typed',
        'routes:failed',
        'routes:passed',
      ].sort(),
    );
    // The function and the output it reads are the template's.
    const template = parseTemplate(
      await readFile(path.join(ROOT, 'cloudformation/tasktracker.yaml'), 'utf8'),
    );
    expect(template.Resources.ImportsProcessFunction?.Type).toBe('AWS::Lambda::Function');
    expect(Object.keys(template.Outputs ?? {})).toContain('ImportsDeadLetterQueueUrl');
    expect(TABLE_DEFINITIONS.map((definition) => definition.table)).toContain('invocationLog');
    // The script compares with these literal values.
    const results: [DeployOutcome['result'], DestroyOutcome['result']] = ['deployed', 'destroyed'];
    expect(script).toContain(`== ${results[0]} ]]`);
    expect(script).toContain(`== ${results[1]} ]]`);
  });
});

describe('localstack/lib helpers', () => {
  it("builds LocalStack's _user_request_ URL of a stage, and reads the API id from the ApiUrl output", () => {
    expect(routes.userRequestBase('http://localhost:4566/', 'a1b2c3d4e5', 'staging')).toBe(
      'http://localhost:4566/restapis/a1b2c3d4e5/staging/_user_request_',
    );
    expect(routes.apiIdOf('https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/staging')).toBe(
      'a1b2c3d4e5',
    );
    expect(() => routes.apiIdOf('http://localhost:4566/staging')).toThrow(/not an API Gateway URL/);
    expect(() => routes.userRequestBase('http://localhost:4566', '../x', 'dev')).toThrow(/REST API id/);
  });

  it('waits for every required service to be "available" or "running" in /_localstack/health', () => {
    const services = Object.fromEntries(aws.REQUIRED_SERVICES.map((name) => [name, 'available']));
    expect(aws.servicesNotReady({ services: { ...services, lambda: 'running' } })).toEqual([]);
    expect(aws.servicesNotReady({ services: { ...services, lambda: 'initializing' } })).toEqual(['lambda']);
    expect(aws.servicesNotReady({})).toEqual(aws.REQUIRED_SERVICES);
  });

  it("points each service at its AWS_ENDPOINT_URL_<SERVICE>, else LOCALSTACK_ENDPOINT, else LocalStack's port", () => {
    expect(
      aws.endpointFor('s3', { AWS_ENDPOINT_URL_S3: 'http://s3:1', LOCALSTACK_ENDPOINT: 'http://ls:2' }),
    ).toBe('http://s3:1');
    expect(aws.endpointFor('dynamodb', { LOCALSTACK_ENDPOINT: 'http://ls:2' })).toBe('http://ls:2');
    expect(aws.endpointFor('api_gateway', {})).toBe('http://localhost:4566');
  });

  it('json.mjs picks a value by a dotted path: strings bare, the rest as JSON, nothing for a dead end', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tt-e2e-json-'));
    const file = path.join(dir, 'deploy.json');
    await writeFile(file, JSON.stringify({ summary: { apiKeyId: 'k1', tables: { tasks: 't' } }, n: [3] }));
    const pick = (expression: string) =>
      run(process.execPath, [path.join(LOCALSTACK, 'lib/json.mjs'), file, expression]);
    expect((await pick('summary.apiKeyId')).stdout).toBe('k1\n');
    expect((await pick('summary.tables')).stdout).toBe('{"tasks":"t"}\n');
    expect((await pick('n.0')).stdout).toBe('3\n');
    expect(await pick('summary.apiUrl')).toMatchObject({ code: 0, stdout: '' });
    await writeFile(file, 'Error: not a document');
    expect(await pick('summary')).toMatchObject({ code: 2, stderr: expect.stringContaining('not JSON') });
    await rm(dir, { recursive: true, force: true });
  });

  it("signs like AWS's SigV4 test suite (get-vanilla, get-vanilla-query-order-key-case)", () => {
    const request = {
      method: 'GET',
      region: 'us-east-1',
      service: 'service',
      credentials: {
        accessKeyId: 'AKIDEXAMPLE',
        secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
      },
      date: new Date('2015-08-30T12:36:00Z'),
    };
    const scope =
      'Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date';
    expect(sigv4.signRequest({ ...request, url: 'https://example.amazonaws.com/' }).authorization).toBe(
      `AWS4-HMAC-SHA256 ${scope}, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31`,
    );
    const unordered = 'https://example.amazonaws.com/?Param2=value2&Param1=value1';
    expect(sigv4.signRequest({ ...request, url: unordered }).authorization).toBe(
      `AWS4-HMAC-SHA256 ${scope}, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500`,
    );
  });
});

/** The helpers against the real handlers: tt local serve, its S3 and its DynamoDB Local engine. */
describe.skipIf(noEngine)('localstack/lib against tt local serve', () => {
  const cli = useCli();
  let server: ChildProcess;
  let started = { url: '', s3: '', engine: '', bucket: '' };

  beforeAll(async () => {
    if (noEngine) return;
    await cli.run(['local', 'start']);
    server = spawn(
      process.execPath,
      [BIN, 'local', 'serve', '--port', '0', '--json', '--allowed-origins', 'http://localhost:3000'],
      { env: { ...process.env, TASKTRACKER_DATA_DIR: cli.dataDir() }, cwd: ROOT },
    );
    const first = await new Promise<string>((resolve) =>
      createInterface({ input: server.stdout! }).once('line', resolve),
    );
    started = JSON.parse(first);
  });
  afterAll(() => {
    server?.kill('SIGINT');
  });

  it('routes.mjs calls every route and finds each status and envelope as e2e.sh expects them', async () => {
    const result = await run(process.execPath, [
      path.join(LOCALSTACK, 'lib/routes.mjs'),
      '--base',
      started.url,
      '--api-key',
      'e2e-helper-key',
      '--origin',
      'http://localhost:3000',
    ]);
    const report = JSON.parse(result.stdout) as RouteReport;
    expect(
      report.checks.filter((check) => !check.ok),
      result.stderr,
    ).toEqual([]);
    expect(result.code).toBe(0);
    // Every route of the API is called: 9 resources' methods and the preflight.
    const names = report.checks.map((check) => check.name).join('\n');
    for (const route of [...API_ROUTES.map(({ method, path }) => `${method} ${path}`), 'OPTIONS /tasks'])
      expect(names).toContain(route);
  });

  it('routes.mjs reports a failing check and exits 1 (a wrong stage prefix answers 403 everywhere)', async () => {
    const result = await run(process.execPath, [
      path.join(LOCALSTACK, 'lib/routes.mjs'),
      '--base',
      `${started.url}/nowhere`,
      '--api-key',
      'e2e-helper-key',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as RouteReport;
    expect(report.failed).toBeGreaterThan(10);
    expect(result.stderr).toContain('FAIL  GET /health without a key → 200: status 403, expected 200');
  });

  it('aws.mjs uploads a CSV under imports/<user>/ and finds its InvocationLog item; tt export has the tasks', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tt-e2e-import-'));
    const csv = path.join(dir, 'import.csv');
    await writeFile(csv, 'title,priority\nHelper import one,high\nHelper import two,low\n');
    const env = {
      AWS_ENDPOINT_URL_S3: started.s3,
      AWS_ENDPOINT_URL_DYNAMODB: started.engine,
      E2E_CREDENTIALS: 'local:local', // tt local serve's S3 checks them; LocalStack takes test:test
    };
    const key = 'imports/helper-user/import.csv';
    const helper = path.join(LOCALSTACK, 'lib/aws.mjs');
    const put = await run(process.execPath, [helper, 'put-object', started.bucket, key, csv], env);
    expect(put.code, put.stderr).toBe(0);
    const logged = await run(
      process.execPath,
      [helper, 'wait-invocation', 'tasktracker-dev-invocation-log', key, '20'],
      env,
    );
    expect(logged.code, logged.stderr).toBe(0);
    expect(JSON.parse(logged.stdout)).toMatchObject({
      objectKey: key,
      status: 'imported',
      imported: 2,
      eventName: expect.stringMatching(/^ObjectCreated:/),
    });
    const exported = await cli.run(['export', '--user', 'helper-user', '--format', 'csv']);
    expect(exported.stdout).toContain('Helper import one');
    expect(exported.stdout).toContain('Helper import two');
    const missing = await run(
      process.execPath,
      [helper, 'wait-invocation', 'tasktracker-dev-invocation-log', 'imports/helper-user/none.csv', '1'],
      env,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('0 invocation-log item(s) for imports/helper-user/none.csv');
    await rm(dir, { recursive: true, force: true });
  });
});

/**
 * The real thing, on a machine with Docker: E2E_LOCALSTACK=1 LOCALSTACK_AUTH_TOKEN=... pnpm vitest run
 * packages/cli/test/e2e/localstack.test.ts (or LOCALSTACK_VERSION=4.14.0 without a token).
 */
const optedIn = process.env.E2E_LOCALSTACK === '1';
if (!optedIn)
  console.log(
    'localstack e2e: the full run against LocalStack skipped: it needs a Docker engine (none here or in CI); ' +
      'set E2E_LOCALSTACK=1 on a machine with Docker to run bash localstack/e2e.sh',
  );
describe.runIf(optedIn)('localstack/e2e.sh against LocalStack', () => {
  it('deploys, passes every check and destroys', async () => {
    const result = await run('/bin/bash', [path.join(LOCALSTACK, 'e2e.sh')], {}, 1_800_000);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/e2e: \d+ checks passed against LocalStack/);
  }, 1_800_000);
});
