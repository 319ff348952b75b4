import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFunctionConfigurationCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createTableInput, defaultTableNames, TABLE_DEFINITIONS } from '@tasktracker/core';
import { AwsClients, listStackResources } from '@tasktracker/deploy';
import { API_ROUTES, HANDLER_NAMES } from '@tasktracker/handlers';
import { afterAll, describe, expect, it } from 'vitest';
import { motoServer, useMoto } from '../../../handlers/test/support/moto.ts';
import { useCli } from './harness.ts';

/**
 * The deployer end to end against moto server, through the real `tt` binary. moto is not AWS (see
 * shared/research/moto-cloudformation.md): it applies change sets synchronously with no per-resource
 * events, lists no modifications for a parameter-only change, publishes no Outputs after a change set,
 * and skips alarms, the API stage, keys and usage plans. Those gaps are asserted here as moto's, so a
 * moto upgrade that closes one shows up; AWS's own shapes are covered by test/unit in packages/deploy.
 */
const moto = useMoto();
const cli = useCli();
const REPO = fileURLToPath(new URL('../../../../', import.meta.url));
const ARTIFACTS = 'tasktracker-artifacts-123456789012-us-east-1';
const config = () => ({
  endpoint: moto.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});
// 127.0.0.1 as the suites start moto: the deployer sends loopback TemplateURLs as localhost, the one
// host moto reads path-style.
const target = () => ['--target', moto.endpoint];
const env = { AWS_REGION: 'us-east-1' };
const deploy = (args: string[] = [], cwd?: string) =>
  cli.run(['deploy', ...target(), '--json', ...args], env, { timeoutMs: 120_000, ...(cwd ? { cwd } : {}) });

/** A checkout whose template is edited, with the real handler sources behind it. */
function projectWith(edit: (template: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), 'tt-project-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'tasktracker', private: true }));
  mkdirSync(join(root, 'cloudformation'));
  mkdirSync(join(root, 'packages', 'handlers'), { recursive: true });
  symlinkSync(join(REPO, 'packages', 'handlers', 'src'), join(root, 'packages', 'handlers', 'src'));
  const template = readFileSync(join(REPO, 'cloudformation', 'tasktracker.yaml'), 'utf8');
  writeFileSync(join(root, 'cloudformation', 'tasktracker.yaml'), edit(template));
  projects.push(root);
  return root;
}
const projects: string[] = [];
afterAll(() => {
  for (const root of projects) rmSync(root, { recursive: true, force: true });
});

interface Outcome {
  result: string;
  package: { reused: boolean };
  changes: { action: string; logicalId: string; resourceType: string }[];
  apiCalls: { total: number; byOperation: Record<string, number> };
  summary?: { status: string; outputs: Record<string, string>; tables: Record<string, string> };
}

describe.skipIf(!motoServer)('tt deploy / destroy against moto server', () => {
  it('first deploy: creates the artifact bucket and the stack with core’s tables, one function per handler', async () => {
    const result = await deploy();
    expect(result.stderr).toContain('artifact bucket');
    expect(result.code, result.stderr).toBe(0);
    const outcome = result.json<Outcome>();
    expect(outcome.result).toBe('deployed');
    expect(outcome.changes.filter((change) => change.action === 'Add').length).toBeGreaterThan(100);
    expect(outcome.summary?.tables).toEqual(defaultTableNames('dev'));
    // moto's gap: a stack made through a change set has no Outputs.
    expect(outcome.summary?.outputs).toEqual({});

    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    expect((await s3.send(new GetBucketVersioningCommand({ Bucket: ARTIFACTS }))).Status).toBe('Enabled');
    const block = await s3.send(new GetPublicAccessBlockCommand({ Bucket: ARTIFACTS }));
    expect(block.PublicAccessBlockConfiguration?.BlockPublicAcls).toBe(true);
    const keys = (await s3.send(new ListObjectsV2Command({ Bucket: ARTIFACTS }))).Contents?.map((o) => o.Key);
    expect(keys?.filter((key) => /^artifacts\/[\w-]+\/[0-9a-f]{64}\.zip$/.test(key ?? '')).length).toBe(
      HANDLER_NAMES.length,
    );

    const dynamo = new DynamoDBClient(config());
    const names = defaultTableNames('dev');
    for (const definition of TABLE_DEFINITIONS) {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: names[definition.table] }));
      const expected = createTableInput(definition, names[definition.table]);
      expect(Table?.KeySchema).toEqual(expected.KeySchema);
      expect((Table?.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort()).toEqual(
        (expected.GlobalSecondaryIndexes ?? []).map((index) => index.IndexName).sort(),
      );
    }
    // What moto models is created; alarms, the API stage, key and usage plan, gateway responses, the
    // bucket policies, the API Gateway account setting and the key's secret are skipped (listed with no
    // type; cloudformation/moto.md), and TTL is not applied: moto's gaps, not ours.
    const clients = new AwsClients(config());
    const types: Record<string, number> = {};
    for (const resource of await listStackResources(clients, 'tasktracker-dev'))
      types[resource.type] = (types[resource.type] ?? 0) + 1;
    expect(types).toMatchObject({
      'AWS::DynamoDB::Table': 4,
      // One per function, and API Gateway's role for its logs.
      'AWS::IAM::Role': HANDLER_NAMES.length + 1,
      'AWS::Lambda::Function': HANDLER_NAMES.length,
      // One per route, and one for each function no route names (the preflight's, S3's for imports).
      'AWS::Lambda::Permission':
        API_ROUTES.length + HANDLER_NAMES.length - new Set(API_ROUTES.map((route) => route.handler)).size,
      // One per function, and the API's access logs.
      'AWS::Logs::LogGroup': HANDLER_NAMES.length + 1,
      'AWS::SQS::Queue': 1,
      // The data bucket and its access log bucket.
      'AWS::S3::Bucket': 2,
      'AWS::CloudWatch::Dashboard': 1,
      'AWS::ApiGateway::RestApi': 1,
      // One resource per path segment (/exports holds only /exports/{id}); on each route's path, its
      // methods and the OPTIONS preflight.
      'AWS::ApiGateway::Resource': new Set(
        API_ROUTES.flatMap((route) =>
          route.path
            .split('/')
            .slice(1)
            .map((_, at, segments) => `/${segments.slice(0, at + 1).join('/')}`),
        ),
      ).size,
      'AWS::ApiGateway::Method': API_ROUTES.length + new Set(API_ROUTES.map((route) => route.path)).size,
      'AWS::ApiGateway::Deployment': 1,
    });
    expect(types['']).toBeGreaterThan(0);
    const ttl = await dynamo.send(new DescribeTimeToLiveCommand({ TableName: names.idempotency }));
    expect(ttl.TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
    clients.destroy();

    const lambda = new LambdaClient(config());
    for (const name of HANDLER_NAMES) {
      const fn = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: `tasktracker-dev-${name}` }),
      );
      expect(fn.Runtime).toBe('nodejs22.x');
    }
    for (const client of [s3, dynamo, lambda]) client.destroy();
  }, 180_000);

  it('the CLI then seeds, lists and exports against the deployed tables', async () => {
    const data = ['--target', moto.endpoint, '--user', 'alice'];
    const seeded = await cli.run(['seed', '--tasks', '30', '--categories', '3', ...data, '--json'], env);
    expect(seeded.code, seeded.stderr).toBe(0);
    const listed = await cli.run(['tasks', 'list', '--limit', '100', ...data, '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.json<{ items: unknown[] }>().items).toHaveLength(30);
    const exported = await cli.run(['export', ...data], env);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout.trim().split('\n')).toHaveLength(31);
  }, 120_000);

  it('a second deploy with nothing changed reuses the package and says "no changes" without a change set', async () => {
    // How fast that is belongs to pnpm bench:deploy; here, that it does no work.
    const manifestFile = join(REPO, '.tasktracker', 'build', 'dev', 'manifest.json');
    const zips = () => {
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { artifacts: { file: string }[] };
      return manifest.artifacts.map(({ file }) => [file, statSync(file).mtimeMs]);
    };
    const before = zips();
    const result = await deploy();
    expect(result.code, result.stderr).toBe(0);
    const outcome = result.json<Outcome>();
    expect(outcome.result).toBe('no-changes');
    // No esbuild run: the bundles were reused and not one zip was written again.
    expect(outcome.package.reused).toBe(true);
    expect(result.stderr).toContain(`package: sources unchanged, reusing ${HANDLER_NAMES.length} bundles`);
    expect(zips()).toEqual(before);
    expect(outcome.apiCalls.byOperation['CloudFormation:CreateChangeSet']).toBeUndefined();
    expect(outcome.apiCalls.byOperation['S3:PutObject']).toBeUndefined();
    expect(outcome.apiCalls.total).toBeLessThanOrEqual(5);
  }, 60_000);

  it('a parameter change deploys an UPDATE change set that reaches the functions', async () => {
    const result = await deploy(['--parameter', 'LogLevel=debug']);
    expect(result.code, result.stderr).toBe(0);
    const outcome = result.json<Outcome>();
    expect(outcome.result).toBe('deployed');
    expect(outcome.apiCalls.byOperation['CloudFormation:ExecuteChangeSet']).toBe(1);
    expect(outcome.summary?.status).toBe('UPDATE_COMPLETE');
    // moto's gap: it lists no Modify for a parameter-only change (AWS lists every function here).
    expect(outcome.changes).toEqual([]);
    const lambda = new LambdaClient(config());
    const fn = await lambda.send(
      new GetFunctionConfigurationCommand({ FunctionName: 'tasktracker-dev-tasks-list' }),
    );
    expect(fn.Environment?.Variables?.LOG_LEVEL).toBe('debug');
    lambda.destroy();
  }, 120_000);

  it('a template change shows its modification in the change set', async () => {
    const root = projectWith((template) =>
      template.replace(
        /(TasksListFunction:\n(?:.*\n)*?\s+MemorySize:) 512/,
        (_match, head: string) => `${head} 1024`,
      ),
    );
    const result = await deploy(['--parameter', 'LogLevel=debug'], root);
    expect(result.code, result.stderr).toBe(0);
    const changes = result.json<Outcome>().changes;
    expect(changes).toContainEqual({
      action: 'Modify',
      logicalId: 'TasksListFunction',
      resourceType: 'AWS::Lambda::Function',
    });
    expect(result.stderr).toMatch(/~ Modify\s+TasksListFunction/);
  }, 120_000);

  it('refuses an invalid parameter before touching AWS, and a failing deploy leaves the stack deployable', async () => {
    const invalid = await deploy(['--parameter', 'ThrottleRateLimit=fast']);
    expect(invalid.code).toBe(2);
    expect(invalid.json<{ error: { code: string; message: string } }>().error.message).toContain(
      'ThrottleRateLimit must be a number',
    );
    // A resource moto cannot create: a MOCK method without a URI makes it fail with an HTTP 500 page.
    const root = projectWith((template) =>
      template.replace(
        'Outputs:\n',
        `  BrokenMethod:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref RestApi
      ResourceId: !GetAtt RestApi.RootResourceId
      HttpMethod: PATCH
      AuthorizationType: NONE
      Integration:
        Type: MOCK

Outputs:\n`,
      ),
    );
    const failed = await deploy([], root);
    expect(failed.code).toBe(7);
    const error = failed.json<{ error: { code: string; message: string } }>().error;
    expect(error.code).toBe('DEPLOY_FAILED');
    expect(error.message).toMatch(/not an AWS API response|HTTP 5\d\d/);
    const again = await deploy();
    expect(again.code, again.stderr).toBe(0);
    expect(again.json<Outcome>().result).toBe('deployed');
  }, 180_000);

  it('tt info reports the stack, its functions, routes and tables', async () => {
    const result = await cli.run(['info', ...target(), '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const info = result.json<{
      status: string;
      functionDetails: { name: string; runtime: string }[];
      routes: unknown[];
      tableItems: { key: string; items: number }[];
    }>();
    expect(info.status).toBe('UPDATE_COMPLETE');
    expect(info.functionDetails).toHaveLength(HANDLER_NAMES.length);
    expect(info.routes.length).toBe(API_ROUTES.length);
    expect(info.tableItems.find((table) => table.key === 'tasks')?.items).toBe(30);
    // The key's value is printed only when asked for (ministack's e2e reads it from its secret).
    expect(result.json<Record<string, unknown>>()).not.toHaveProperty('apiKey');
    // moto publishes no outputs after a change set: no ApiKeySecretArn to read, said with the way out.
    const asked = await cli.run(['info', ...target(), '--show-api-key'], env);
    expect(asked.code).toBe(3);
    expect(asked.stderr).toContain('has no ApiKeySecretArn output');
    expect(asked.stderr).toContain('aws apigateway get-api-key');
  }, 60_000);

  it('destroy empties the data bucket (every version) and deletes the stack', async () => {
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const bucket = 'tasktracker-dev-123456789012-us-east-1';
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'imports/alice/a.csv', Body: 'title\nx\n' }));
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'exports/alice/b.csv', Body: 'title\n' }));
    const result = await cli.run(['destroy', ...target(), '--json'], env, {
      timeoutMs: 120_000,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.json<{ result: string; objectsDeleted: number }>()).toMatchObject({
      result: 'destroyed',
      objectsDeleted: 2,
    });
    const cloudformation = new CloudFormationClient(config());
    await expect(
      cloudformation.send(new DescribeStacksCommand({ StackName: 'tasktracker-dev' })),
    ).rejects.toThrow(/does not exist/);
    await expect(s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
    const records = await s3.send(
      new ListObjectsV2Command({ Bucket: ARTIFACTS, Prefix: 'deployments/tasktracker-dev/' }),
    );
    expect(records.Contents?.map((object) => object.Key)).not.toContain(
      'deployments/tasktracker-dev/current.json',
    );
    const refused = await cli.run(['destroy', ...target(), '--stage', 'prod'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('without --yes');
    for (const client of [s3, cloudformation]) client.destroy();
  }, 120_000);
});
