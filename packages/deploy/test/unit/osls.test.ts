import { readFileSync } from 'node:fs';
import { createTableInput, defaultTableNames, TABLE_DEFINITIONS } from '@tasktracker/core';
import { API_ROUTES, HANDLER_NAMES } from '@tasktracker/handlers';
import { describe, expect, it } from 'vitest';
import {
  declaredMethods,
  findProject,
  functionKeyOf,
  handlerOfFunction,
  type OslsService,
  oslsMethodId,
  oslsService,
  parseTemplate,
  resolveTemplate,
  type TemplateNode,
  type TemplateResource,
} from '../../src/index.ts';

/** Every route of the table, and OPTIONS on each of its paths (the preflights). */
const GATEWAY_METHODS = API_ROUTES.length + new Set(API_ROUTES.map((route) => route.path)).size;

/** The template as tt package resolves it (hashes made up: the generator never opens a zip). */
const hashes = new Map(HANDLER_NAMES.map((name, index) => [name, String(index).padStart(64, '0')]));
const source = readFileSync(findProject().template, 'utf8');
const resolved = resolveTemplate(source, hashes);
const template = parseTemplate(resolved);
const generate = (text = resolved, stage = 'dev', parameters: Record<string, string> = {}) =>
  oslsService(text, { stage, region: 'eu-west-1', artifact: (name) => `artifacts/${name}.zip`, parameters });
const service = generate();

type Statement = { Action: string | string[]; Resource: unknown; Sid?: string };
const statementsOf = (role: TemplateResource | undefined) =>
  ((role?.Properties?.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[]).flatMap(
    (policy) => policy.PolicyDocument.Statement,
  );
const actionsOf = (role: TemplateResource | undefined) =>
  statementsOf(role)
    .flatMap((statement) => [statement.Action].flat())
    .sort();

interface HttpEvent {
  http: { path: string; method: string; private: boolean; request?: { parameters: TemplateNode } };
}
const functionOf = (svc: OslsService, handler: string) => svc.functions[functionKeyOf(handler)] ?? {};

describe('tt package --for osls, held to the CloudFormation template', () => {
  it('one function per handler, running our zip under its own name, memory and timeout', () => {
    expect(Object.keys(service.functions)).toEqual(HANDLER_NAMES.map(functionKeyOf));
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const handler = handlerOfFunction(template, id) as string;
      const properties = resource.Properties ?? {};
      expect(functionOf(service, handler)).toMatchObject({
        name: `tasktracker-dev-${handler}`,
        handler: properties.Handler,
        package: { artifact: `artifacts/${handler}.zip` },
        memorySize: properties.MemorySize,
        timeout: properties.Timeout,
        description: properties.Description,
      });
    }
    expect(functionOf(service, 'imports-process').onError).toEqual({
      'Fn::GetAtt': ['ImportsDeadLetterQueue', 'Arn'],
    });
  });

  it('the same routes: method, path, handler and whether an API key is needed', () => {
    const events = HANDLER_NAMES.flatMap((handler) =>
      ((functionOf(service, handler).events ?? []) as HttpEvent[]).map(({ http }) => ({
        method: http.method.toUpperCase(),
        path: `/${http.path}`,
        handler,
        apiKeyRequired: http.private,
      })),
    );
    const declared = declaredMethods(template).map(({ method, path, handler, apiKeyRequired }) => ({
      method,
      path,
      handler,
      apiKeyRequired,
    }));
    const byRoute = (a: { method: string; path: string }, b: { method: string; path: string }) =>
      `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`);
    expect(events).toHaveLength(GATEWAY_METHODS);
    expect(events.sort(byRoute)).toEqual(declared.sort(byRoute));
    // The preflights go to our CORS handler; osls's own `cors: true` (MOCK methods) is never used.
    expect(JSON.stringify(service)).not.toContain('"cors"');
  });

  it("each method keeps the template's request parameters and request validator", () => {
    const methods = declaredMethods(template);
    const extensions = service.resources.extensions ?? {};
    for (const method of methods) {
      const properties = template.Resources[method.id]?.Properties ?? {};
      const validator = properties.RequestValidatorId;
      expect(extensions[oslsMethodId(method.path, method.method)]?.Properties.RequestValidatorId).toEqual(
        validator,
      );
    }
    const get = (functionOf(service, 'tasks-get').events as HttpEvent[])[0];
    expect(get?.http.request).toEqual({ parameters: { paths: { id: true } } });
  });

  it("core's tables with the same keys, indexes and TTL, under the stage's names", () => {
    const tables = Object.values(service.resources.Resources).filter(
      (resource) => resource.Type === 'AWS::DynamoDB::Table',
    );
    expect(tables).toHaveLength(TABLE_DEFINITIONS.length);
    const names = defaultTableNames('dev');
    const sortBy = (key: string) => (a: TemplateNode, b: TemplateNode) =>
      String(a[key]).localeCompare(String(b[key]));
    for (const definition of TABLE_DEFINITIONS) {
      const expected = createTableInput(definition, names[definition.table]);
      const table = tables.find((candidate) => candidate.Properties?.TableName === expected.TableName);
      const properties = table?.Properties ?? {};
      expect(properties.KeySchema).toEqual(expected.KeySchema);
      expect([...(properties.AttributeDefinitions as TemplateNode[])].sort(sortBy('AttributeName'))).toEqual(
        [...(expected.AttributeDefinitions as unknown as TemplateNode[])].sort(sortBy('AttributeName')),
      );
      const indexes = ((properties.GlobalSecondaryIndexes ?? []) as TemplateNode[]).map(
        ({ IndexName, KeySchema, Projection }) => ({ IndexName, KeySchema, Projection }),
      );
      expect(indexes.sort(sortBy('IndexName'))).toEqual(
        [...((expected.GlobalSecondaryIndexes ?? []) as unknown as TemplateNode[])].sort(sortBy('IndexName')),
      );
      expect(properties.TimeToLiveSpecification).toEqual(
        definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
      );
      expect(properties.BillingMode).toBe('PAY_PER_REQUEST');
      expect(properties.ProvisionedThroughput).toBeUndefined();
    }
  });

  it('least privilege as in the template: each function its own role, with the same actions', () => {
    const roles = service.resources.Resources;
    for (const [id, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const handler = handlerOfFunction(template, id) as string;
      const role = (resource.Properties?.Role ?? {}) as { 'Fn::GetAtt': string[] };
      const templateRole = role['Fn::GetAtt'][0] as string;
      expect(functionOf(service, handler).role).toEqual({ 'Fn::Sub': `\${${templateRole}.Arn}` });
      expect(actionsOf(roles[templateRole])).toEqual(actionsOf(template.Resources[templateRole]));
      // Its log statement names the log group osls creates for this function (same logical id).
      const logs = statementsOf(roles[templateRole]).find((statement) => statement.Sid === 'OwnLogStreams');
      expect(logs?.Resource).toEqual({
        'Fn::Sub': `\${${functionKeyOf(handler).replace(/^./, (c) => c.toUpperCase())}LogGroup.Arn}`,
      });
    }
    // And API Gateway's role for its logs, which our AWS::ApiGateway::Account sets for the account.
    expect(Object.values(roles).filter((resource) => resource.Type === 'AWS::IAM::Role')).toHaveLength(
      HANDLER_NAMES.length + 1,
    );
    expect(roles.ApiGatewayAccount?.Type).toBe('AWS::ApiGateway::Account');
  });

  it('the provider: runtime, stage, environment, the API key and its usage plan, tracing, log retention', () => {
    expect(service.provider).toMatchObject({
      name: 'aws',
      runtime: 'nodejs22.x',
      architecture: 'arm64',
      region: 'eu-west-1',
      stage: 'dev',
      stackName: 'tasktracker-dev',
      deploymentMethod: 'direct',
      logRetentionInDays: 7,
      tracing: { apiGateway: true, lambda: true },
      apiName: 'tasktracker-dev',
      endpointType: 'REGIONAL',
      apiGateway: {
        apiKeys: [expect.objectContaining({ name: 'tasktracker-dev-default' })],
        // dev's throttle from the template's StageConfig (seed 003: dev lower than prod).
        usagePlan: { throttle: { rateLimit: 50, burstLimit: 100 } },
      },
      // The stage's access log format and execution logs at ERROR, without bodies.
      logs: {
        restApi: {
          accessLogging: true,
          format: expect.stringContaining('"requestId":"$context.requestId"'),
          executionLogging: true,
          level: 'ERROR',
          fullExecutionData: false,
          roleManagedExternally: true,
        },
      },
      environment: {
        STAGE: 'dev',
        LOG_LEVEL: 'info',
        TASKS_TABLE: { Ref: 'TasksTable' },
        CATEGORIES_TABLE: { Ref: 'CategoriesTable' },
        IDEMPOTENCY_TABLE: { Ref: 'IdempotencyTable' },
        INVOCATION_LOG_TABLE: { Ref: 'InvocationLogTable' },
      },
    });
    // Only the import function reads the bucket's name.
    expect(functionOf(service, 'imports-process').environment).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder
      BUCKET_NAME: { 'Fn::Sub': 'tasktracker-dev-${AWS::AccountId}-${AWS::Region}' },
    });
  });

  it('resources osls makes itself are left out; references to ours are renamed to its names', () => {
    const resources = service.resources.Resources;
    const types = new Set(Object.values(resources).map((resource) => resource.Type));
    for (const type of [
      'AWS::Lambda::Function',
      'AWS::Logs::LogGroup',
      'AWS::ApiGateway::Method',
      'AWS::ApiGateway::Stage',
    ])
      expect(types.has(type), type).toBe(false);
    const text = JSON.stringify(service.resources);
    expect(text).toContain('"Ref":"TasksCreateLambdaFunction"');
    expect(text).toContain('ImportsProcessLambdaFunction');
    expect(text).not.toMatch(
      /"Ref":"(RestApi|TasksCreateFunction)"|"Fn::GetAtt":\["(RestApi|TasksCreateFunction)"/,
    );
    expect(text).not.toMatch(/\$\{(RestApi|TasksCreateFunction)[.}]/);
    expect(service.resources.Outputs.ApiKeyId).toEqual({
      Value: { Ref: 'ApiGatewayApiKey1' },
      Description: expect.any(String),
    });
  });

  it('evaluates the template for the stage: prod keeps its recovery and retention, an alarm email its topic', () => {
    const prod = generate(resolved, 'prod', { AlarmEmail: 'ops@example.com' });
    expect(prod.provider).toMatchObject({ logRetentionInDays: 365, environment: { ALLOWED_ORIGINS: '' } });
    const tasks = prod.resources.Resources.TasksTable?.Properties ?? {};
    expect(tasks).toMatchObject({
      DeletionProtectionEnabled: true,
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    expect(prod.resources.Resources.AlarmTopic?.Type).toBe('AWS::SNS::Topic');
    // Prod reserves concurrency (the import function capped lower); dev reserves none.
    expect(functionOf(prod, 'imports-process').reservedConcurrency).toBe(10);
    expect(functionOf(prod, 'tasks-create').reservedConcurrency).toBe(40);
    expect(functionOf(service, 'imports-process').reservedConcurrency).toBeUndefined();
    // Left out, as the file's header says: the web ACL (on in prod) and the key's secret, with its output.
    const types = Object.values(prod.resources.Resources).map((resource) => resource.Type);
    expect(types.filter((type) => /WAFv2|SecretsManager/.test(type))).toEqual([]);
    expect(prod.resources.Outputs.ApiKeySecretArn).toBeUndefined();
    expect(prod.resources.Resources.Dashboard?.Type).toBe('AWS::CloudWatch::Dashboard');
    expect(prod.resources.Resources.Api5xxAlarm?.Properties?.AlarmActions).toEqual([{ Ref: 'AlarmTopic' }]);
    // Without an email: no topic, and no alarm names one.
    expect(service.resources.Resources.AlarmTopic).toBeUndefined();
    expect(service.resources.Resources.Api5xxAlarm?.Properties?.AlarmActions).toBeUndefined();
    expect(() => generate(resolved, 'dev', { NoSuchParameter: 'x' })).toThrow(/no parameter NoSuchParameter/);
  });

  it('refuses a template it cannot carry, saying what, rather than leaving it out', () => {
    const withStorage = resolved.replace(
      '      MemorySize: 512\n',
      '      MemorySize: 512\n      EphemeralStorage: { Size: 1024 }\n',
    );
    expect(() => generate(withStorage)).toThrow(
      /TasksCreateFunction: the generator does not know how to carry EphemeralStorage/,
    );
    const outputOnStage = resolved.replace('Outputs:\n', 'Outputs:\n  StageId:\n    Value: !Ref ApiStage\n');
    expect(() => generate(outputOnStage)).toThrow(
      /StageId refers to ApiStage, which osls does not create under any name/,
    );
    const extraMethod = resolved.replace('HttpMethod: DELETE', 'HttpMethod: PATCH');
    expect(() => generate(extraMethod)).toThrow(/no DELETE \/tasks\/\{id\} method invoking tasks-delete/);
  });
});
