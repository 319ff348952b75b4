import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { createTableInput, defaultTableNames, TABLE_DEFINITIONS } from '@tasktracker/core';
import { pythonTool } from '@tasktracker/local/testing';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, HANDLER_NAMES, handlerEntry, PREFLIGHT_HANDLER } from '../../src/index.ts';
import { type CfnResource, loadTemplate, resourcesOfType, TEMPLATE_PATH } from '../support/template.ts';

const run = promisify(execFile);
const template = loadTemplate();
const cfnLint = await pythonTool('cfn-lint');

const props = (resource: CfnResource | undefined) => (resource?.Properties ?? {}) as Record<string, unknown>;
const sortByName = <T extends { AttributeName?: string; IndexName?: string }>(list: T[] = []) =>
  [...list].sort((a, b) =>
    String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName)),
  );

/** A table's keys and indexes as the template declares them, in CreateTable's shape. */
function declaredTable(logicalId: string) {
  const table = props(template.Resources[logicalId]);
  const indexes =
    (table.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown; Projection: unknown }[]) ?? [];
  return {
    name: table.TableName,
    AttributeDefinitions: sortByName(table.AttributeDefinitions as { AttributeName: string }[]),
    KeySchema: table.KeySchema,
    GlobalSecondaryIndexes: sortByName(
      indexes.map(({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection })),
    ),
    ttl: table.TimeToLiveSpecification,
  };
}

const LOGICAL_TABLES = {
  tasks: 'TasksTable',
  categories: 'CategoriesTable',
  idempotency: 'IdempotencyTable',
  invocationLog: 'InvocationLogTable',
} as const;
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder, not JavaScript
const STAGE = '${Stage}';
// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder, not JavaScript
const ARTIFACT_PREFIX = '${ArtifactPrefix}';
const stageNames = defaultTableNames(STAGE);

/** The handler name a function's code comes from: its artifact key is `${ArtifactPrefix}<name>.zip`. */
function handlerOf(functionId: string): string {
  const code = props(template.Resources[functionId]).Code as { S3Key: { 'Fn::Sub': string } };
  return code.S3Key['Fn::Sub'].replace(ARTIFACT_PREFIX, '').replace(/\.zip$/, '');
}

/** The function an API method invokes, read from its AWS_PROXY integration URI. */
function functionOfMethod(method: CfnResource): string {
  const uri = (props(method).Integration as { Uri: { 'Fn::Sub': string } }).Uri['Fn::Sub'];
  return /\$\{(\w+)\.Arn\}/.exec(uri)?.[1] ?? '';
}

/** The path of an API Gateway resource, by walking its parents. */
function pathOf(resourceId: string): string {
  const resource = props(template.Resources[resourceId]);
  const parent = resource.ParentId as { Ref?: string };
  return `${parent.Ref ? pathOf(parent.Ref) : ''}/${resource.PathPart as string}`;
}

describe('cloudformation/tasktracker.yaml', () => {
  it.skipIf(!cfnLint)(
    'passes cfn-lint with no errors and no warnings',
    async () => {
      const result = await run(cfnLint!, ['--format', 'parseable', TEMPLATE_PATH]).then(
        () => '',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
      expect(result).toBe('');
    },
    120_000,
  );

  it('declares the tables, keys and indexes of core’s TABLE_DEFINITIONS, named as defaultTableNames', () => {
    for (const definition of TABLE_DEFINITIONS) {
      const expected = createTableInput(definition, stageNames[definition.table]);
      const declared = declaredTable(LOGICAL_TABLES[definition.table]);
      expect(declared.name).toEqual({ 'Fn::Sub': expected.TableName });
      expect(declared.AttributeDefinitions).toEqual(sortByName(expected.AttributeDefinitions));
      expect(declared.KeySchema).toEqual(expected.KeySchema);
      expect(declared.GlobalSecondaryIndexes).toEqual(sortByName(expected.GlobalSecondaryIndexes));
      expect(declared.ttl).toEqual(
        definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
      );
    }
    expect(Object.keys(LOGICAL_TABLES).sort()).toEqual(
      TABLE_DEFINITIONS.map((definition) => definition.table).sort(),
    );
  });

  it('declares the invocation log table as the import handler writes it, with PITR always on', () => {
    expect(props(template.Resources.InvocationLogTable).PointInTimeRecoverySpecification).toEqual({
      PointInTimeRecoveryEnabled: true,
    });
    for (const [, table] of resourcesOfType(template, 'AWS::DynamoDB::Table')) {
      expect(props(table).SSESpecification).toEqual({ SSEEnabled: true });
      // In prod a stack delete must not take the data with it.
      expect(props(table).DeletionProtectionEnabled).toEqual({ 'Fn::If': ['IsProd', true, false] });
    }
  });

  it('has one function per handler, each built from an existing entry module', () => {
    const functions = resourcesOfType(template, 'AWS::Lambda::Function');
    const handlers = functions.map(([id]) => handlerOf(id)).sort();
    expect(handlers).toEqual([...HANDLER_NAMES].sort());
    for (const name of handlers) {
      expect(
        existsSync(
          new URL(`../../src/${handlerEntry(name as (typeof HANDLER_NAMES)[number])}`, import.meta.url),
        ),
      ).toBe(true);
    }
    for (const [, fn] of functions) {
      expect(props(fn)).toMatchObject({
        Runtime: 'nodejs22.x',
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
    }
  });

  it('maps every API route to a method invoking its handler, with an API key on all but health', () => {
    const methods = resourcesOfType(template, 'AWS::ApiGateway::Method').map(([, method]) => ({
      method: props(method).HttpMethod as string,
      path: pathOf((props(method).ResourceId as { Ref: string }).Ref),
      handler: handlerOf(functionOfMethod(method)),
      apiKey: props(method).ApiKeyRequired,
      type: (props(method).Integration as { Type: string }).Type,
    }));
    const routes = methods.filter((method) => method.method !== 'OPTIONS');
    expect(routes.map(({ method, path, handler }) => ({ method, path, handler })).sort(byKey)).toEqual(
      API_ROUTES.map(({ method, path, handler }) => ({ method, path, handler })).sort(byKey),
    );
    for (const route of routes) {
      const expected = API_ROUTES.find(
        (candidate) => candidate.method === route.method && candidate.path === route.path,
      );
      expect([route.path, route.apiKey]).toEqual([route.path, !expected?.public]);
    }
    const preflights = methods.filter((method) => method.method === 'OPTIONS');
    expect(new Set(preflights.map((method) => method.path))).toEqual(
      new Set(API_ROUTES.map((route) => route.path)),
    );
    expect(
      preflights.every((method) => method.handler === PREFLIGHT_HANDLER && method.apiKey === false),
    ).toBe(true);
    expect(methods.every((method) => method.type === 'AWS_PROXY')).toBe(true);
  });

  it('grants no wildcard action, and a wildcard resource only to the X-Ray writes', () => {
    const roles = resourcesOfType(template, 'AWS::IAM::Role');
    expect(roles.length).toBe(HANDLER_NAMES.length);
    for (const [roleId, role] of roles) {
      const policies = props(role).Policies as {
        PolicyDocument: { Statement: { Action: string | string[]; Resource: unknown }[] };
      }[];
      expect(props(role).ManagedPolicyArns).toBeUndefined();
      for (const statement of policies.flatMap((policy) => policy.PolicyDocument.Statement)) {
        const actions = [statement.Action].flat();
        for (const action of actions) expect(`${roleId}: ${action}`).not.toMatch(/\*/);
        const resources = [statement.Resource].flat();
        if (resources.includes('*')) {
          expect(`${roleId}: ${actions.join(',')}`).toBe(
            `${roleId}: xray:PutTraceSegments,xray:PutTelemetryRecords`,
          );
        }
      }
    }
  });

  it('keeps the bucket private, TLS-only, encrypted, and wired to the import function', () => {
    const bucket = props(template.Resources.DataBucket);
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(JSON.stringify(bucket.BucketEncryption)).toContain('AES256');
    const notification = JSON.stringify(bucket.NotificationConfiguration);
    expect(notification).toContain('ImportsProcessFunction');
    expect(notification).toContain('imports/');
    const policy = JSON.stringify(props(template.Resources.DataBucketPolicy).PolicyDocument);
    expect(policy).toContain('"aws:SecureTransport":false');
    expect(template.Resources.DataBucket?.DependsOn).toBe('ImportsBucketPermission');
    expect(JSON.stringify(props(template.Resources.ImportsProcessFunction).DeadLetterConfig)).toContain(
      'ImportsDeadLetterQueue',
    );
  });

  it('throttles the stage and the usage plan at the rate and burst parameters (1000 / 2000)', () => {
    expect(template.Parameters.ThrottleRateLimit?.Default).toBe(1000);
    expect(template.Parameters.ThrottleBurstLimit?.Default).toBe(2000);
    expect(props(template.Resources.UsagePlan).Throttle).toEqual({
      RateLimit: { Ref: 'ThrottleRateLimit' },
      BurstLimit: { Ref: 'ThrottleBurstLimit' },
    });
  });
});

function byKey(a: { method: string; path: string }, b: { method: string; path: string }) {
  return `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`);
}
