import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resourcesOfType, type TemplateNode, type TemplateResource } from '../../../deploy/src/index.ts';
import { loadTemplate } from '../support/template.ts';

/**
 * The production edge of the template (issue 15): secrets, logs, limits, what survives a delete, WAF
 * and the dashboard. checkov.test.ts runs the scanner; these say what the template promises in our
 * own terms, each with the change that would break it.
 */
const template = loadTemplate();
type Resource = TemplateResource & {
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: TemplateNode;
};
const resources = template.Resources as Record<string, Resource>;
const props = (id: string) => (resources[id]?.Properties ?? {}) as Record<string, unknown>;
const stageConfig = (
  template as unknown as { Mappings: { StageConfig: Record<string, Record<string, unknown>> } }
).Mappings.StageConfig;
const STAGES = ['dev', 'staging', 'prod'] as const;

const environmentOf = (fn: TemplateResource) =>
  ((fn.Properties?.Environment as TemplateNode | undefined)?.Variables ?? {}) as TemplateNode;

/** A function environment variable that looks like it holds a secret, by its name or its value. */
const SECRET_NAME = /key|secret|token|password|credential/i;
function secretsInEnvironments(functions: [string, TemplateResource][]): string[] {
  return functions.flatMap(([id, fn]) => {
    return Object.entries(environmentOf(fn))
      .filter(
        ([name, value]) =>
          SECRET_NAME.test(name) || /resolve:(secretsmanager|ssm-secure)/.test(JSON.stringify(value)),
      )
      .map(([name]) => `${id}.${name}`);
  });
}

describe('secrets stay out of the functions and the stack', () => {
  const functions = resourcesOfType(template, 'AWS::Lambda::Function');

  it('no function environment holds anything named like a key, secret, token or password, or a secret reference', () => {
    expect(functions).toHaveLength(17);
    expect(secretsInEnvironments(functions)).toEqual([]);
    // The scan finds one when there is one.
    const [id, fn] = functions[0] as [string, TemplateResource];
    const leaky = structuredClone(fn);
    const variables = environmentOf(leaky);
    variables.UPSTREAM_API_KEY = 'x';
    variables.DB = { 'Fn::Sub': '{{resolve:secretsmanager:db:SecretString}}' };
    expect(secretsInEnvironments([[id, leaky]])).toEqual([`${id}.UPSTREAM_API_KEY`, `${id}.DB`]);
  });

  it('the API key takes its value from a generated secret, and no output carries the value', () => {
    expect(props('ApiKeySecret')).toMatchObject({
      GenerateSecretString: { PasswordLength: 40, ExcludePunctuation: true },
    });
    expect(props('ApiKey').Value).toEqual({
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder
      'Fn::Sub': '{{resolve:secretsmanager:${ApiKeySecret}:SecretString}}',
    });
    expect(template.Outputs?.ApiKeySecretArn).toMatchObject({ Value: { Ref: 'ApiKeySecret' } });
    expect(JSON.stringify(template.Outputs)).not.toMatch(/resolve:|SecretString/);
  });
});

describe('what survives a delete or a replacement', () => {
  const STATEFUL = [
    'AWS::DynamoDB::Table',
    'AWS::S3::Bucket',
    'AWS::SQS::Queue',
    'AWS::Logs::LogGroup',
    'AWS::SecretsManager::Secret',
  ];

  it('every stateful resource names its policies: Delete on stack delete, Retain on replacement', () => {
    const stateful = Object.entries(resources).filter(([, r]) => STATEFUL.includes(r.Type));
    // 4 tables, 2 buckets, the queue, 17 function log groups and the access log group, the secret.
    expect(stateful).toHaveLength(26);
    for (const [id, resource] of stateful) {
      expect([id, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([id, 'Delete', 'Retain']);
    }
    // Prod's tables refuse a stack delete themselves (the per-stage part without a transform).
    for (const [id] of resourcesOfType(template, 'AWS::DynamoDB::Table'))
      expect(props(id).DeletionProtectionEnabled).toEqual({ 'Fn::If': ['IsProd', true, false] });
  });
});

describe('limits', () => {
  it('reserves concurrency per function outside dev, the import function capped lowest, within the account pool', () => {
    for (const [id, fn] of resourcesOfType(template, 'AWS::Lambda::Function')) {
      const key = id === 'ImportsProcessFunction' ? 'ImportsConcurrency' : 'ApiConcurrency';
      expect([id, fn.Properties?.ReservedConcurrentExecutions]).toEqual([
        id,
        {
          'Fn::If': [
            'ReservesConcurrency',
            { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, key] },
            { Ref: 'AWS::NoValue' },
          ],
        },
      ]);
    }
    const reserved = (stage: string) =>
      16 * Number(stageConfig[stage]?.ApiConcurrency) + Number(stageConfig[stage]?.ImportsConcurrency);
    expect(reserved('dev')).toBe(0);
    for (const stage of ['staging', 'prod'])
      expect(Number(stageConfig[stage]?.ImportsConcurrency)).toBeLessThan(
        Number(stageConfig[stage]?.ApiConcurrency),
      );
    // AWS keeps 100 of an account's (default) 1000 unreserved: staging and prod in one account fit.
    expect(1000 - reserved('staging') - reserved('prod')).toBeGreaterThanOrEqual(100);
  });
});

describe('logs', () => {
  const stage = props('ApiStage');

  it('API Gateway writes one JSON access log line per request into a log group kept as long as the functions’', () => {
    const access = stage.AccessLogSetting as { DestinationArn: unknown; Format: string };
    expect(access.DestinationArn).toEqual({ 'Fn::GetAtt': ['ApiAccessLogGroup', 'Arn'] });
    const line = JSON.parse(access.Format.replace(/\$context\.[\w.]+/g, 'x'));
    expect(Object.keys(line)).toEqual(
      expect.arrayContaining([
        'requestId',
        'extendedRequestId',
        'sourceIp',
        'apiKeyId',
        'sub',
        'status',
        'responseLatency',
      ]),
    );
    // The key's id (its user), never the key itself.
    expect(access.Format).toContain('$context.identity.apiKeyId');
    expect(access.Format).not.toMatch(/\$context\.identity\.apiKey(?!Id)/);
    expect(props('ApiAccessLogGroup').RetentionInDays).toEqual(props('TasksCreateLogGroup').RetentionInDays);
    expect(resources.ApiStage?.DependsOn).toBe('ApiGatewayAccount');
    expect(props('ApiGatewayAccount').CloudWatchRoleArn).toEqual({
      'Fn::GetAtt': ['ApiGatewayCloudWatchRole', 'Arn'],
    });
  });

  it('execution logs only errors, never bodies', () => {
    expect(stage.MethodSettings).toMatchObject([{ LoggingLevel: 'ERROR', DataTraceEnabled: false }]);
  });

  it('the data bucket logs its access into the log bucket; imports and exports expire per stage', () => {
    expect(props('DataBucket').LoggingConfiguration).toEqual({
      DestinationBucketName: { Ref: 'LogBucket' },
      LogFilePrefix: 'data/',
    });
    const rules = (props('DataBucket').LifecycleConfiguration as { Rules: TemplateNode[] }).Rules;
    expect(rules.find((rule) => rule.Prefix === 'imports/')).toMatchObject({
      Status: 'Enabled',
      ExpirationInDays: { 'Fn::FindInMap': ['StageConfig', { Ref: 'Stage' }, 'ImportRetentionDays'] },
    });
    for (const name of STAGES) expect(Number(stageConfig[name]?.ImportRetentionDays)).toBeGreaterThan(0);
    expect(JSON.stringify(props('LogBucketPolicy'))).toContain('logging.s3.amazonaws.com');
  });
});

describe('WAF', () => {
  it('is on by default in prod only, with the managed common and bad-input rules and a per-IP rate rule', () => {
    expect(STAGES.map((name) => stageConfig[name]?.Waf)).toEqual(['false', 'false', 'true']);
    expect(template.Parameters?.EnableWaf).toMatchObject({
      Default: '',
      AllowedValues: ['', 'true', 'false'],
    });
    expect(resources.WebAcl?.Condition).toBe('UseWaf');
    expect(resources.WebAclAssociation?.Condition).toBe('UseWaf');
    const acl = props('WebAcl');
    expect(acl.Scope).toBe('REGIONAL');
    const statements = (acl.Rules as { Statement: TemplateNode }[]).map((rule) => rule.Statement);
    expect(statements.map((s) => (s.ManagedRuleGroupStatement as TemplateNode | undefined)?.Name)).toEqual([
      'AWSManagedRulesCommonRuleSet',
      'AWSManagedRulesKnownBadInputsRuleSet',
      undefined,
    ]);
    expect(statements[2]?.RateBasedStatement).toEqual({
      Limit: { Ref: 'WafRateLimit' },
      AggregateKeyType: 'IP',
    });
    expect(props('WebAclAssociation').WebACLArn).toEqual({ 'Fn::GetAtt': ['WebAcl', 'Arn'] });
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder
    expect(JSON.stringify(props('WebAclAssociation').ResourceArn)).toContain('/stages/${ApiStage}');
  });
});

/** Every EMF business metric name the handlers add (metrics.add, the bulk table, the import line). */
function businessMetricNames(): string[] {
  const root = new URL('../../src/', import.meta.url).pathname;
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((file) => file.endsWith('.ts'));
  const names = new Set<string>();
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8');
    for (const match of text.matchAll(/metrics\.add\('(\w+)'/g)) names.add(match[1] as string);
    for (const match of text.matchAll(/^\s+\w+: '(Tasks\w+)',$/gm)) names.add(match[1] as string);
    if (file.startsWith('imports'))
      for (const match of text.matchAll(/name: '(\w+)',\s+unit: 'Count'/g)) names.add(match[1] as string);
  }
  return [...names].sort();
}

describe('the dashboard', () => {
  const body = JSON.parse(
    String((props('Dashboard').DashboardBody as { 'Fn::Sub': string })['Fn::Sub']).replace(
      /\$\{(Stage|AWS::Region)\}/g,
      (_, name: string) => (name === 'Stage' ? 'prod' : 'eu-west-1'),
    ),
  ) as { widgets: { properties: { title: string; metrics: unknown[] } }[] };
  const text = JSON.stringify(body);

  it('shows the API, Lambda, DynamoDB and WAF numbers of the stage', () => {
    for (const metric of ['Count', '4XXError', '5XXError', 'Latency', 'BlockedRequests'])
      expect(text).toContain(`"${metric}"`);
    expect(text).toContain('"stat":"p50"');
    expect(text).toContain('"stat":"p99"');
    for (const metric of [
      'Errors',
      'Throttles',
      'Duration',
      'ConsumedReadCapacityUnits',
      'ReadThrottleEvents',
    ])
      expect(text).toContain(`MetricName=\\"${metric}\\"`);
    expect(text).toContain('"WebACL","tasktracker-prod"');
    expect(template.Outputs?.DashboardUrl).toBeDefined();
  });

  it('shows every business metric the handlers emit, from the namespace the functions write to', () => {
    const names = businessMetricNames();
    expect(names).toEqual(
      expect.arrayContaining(['TasksCreated', 'TasksCompleted', 'TasksImported', 'ImportFilesFailed']),
    );
    for (const name of names) expect(text, name).toContain(`MetricName=\\"${name}\\"`);
    for (const [, fn] of resourcesOfType(template, 'AWS::Lambda::Function'))
      expect(environmentOf(fn).METRICS_NAMESPACE).toEqual({
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder
        'Fn::Sub': 'TaskTracker/${Stage}',
      });
    expect(text).toContain('{TaskTracker/prod,Service,Route}');
  });
});
