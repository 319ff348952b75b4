import { createTableInput, defaultTableNames, TABLE_DEFINITIONS } from '@tasktracker/core';
import { API_ROUTES, HANDLER_NAMES, PREFLIGHT_HANDLER } from '@tasktracker/handlers';
import { checkModels } from './models.ts';
import { type CfnTemplate, refOf, resourcesOfType, subText, type TemplateNode } from './parse.ts';

/** One thing the template gets wrong, said so that the fix is obvious. */
export interface TemplateProblem {
  check: 'tables' | 'routes' | 'iam' | 'models';
  message: string;
}

// biome-ignore lint/suspicious/noTemplateCurlyInString: a CloudFormation !Sub placeholder, not JavaScript
const STAGE_PLACEHOLDER = '${Stage}';
/** X-Ray's write actions accept no resource but `*`: the one wildcard resource we allow. */
const XRAY_WRITES = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];

const byName = (a: TemplateNode, b: TemplateNode) =>
  String(a.AttributeName ?? a.IndexName).localeCompare(String(b.AttributeName ?? b.IndexName));
const sorted = (list: unknown) => [...((list as TemplateNode[] | undefined) ?? [])].sort(byName);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Every table of core's TABLE_DEFINITIONS, declared with the same name, keys, indexes and TTL. */
export function checkTables(template: CfnTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const names = defaultTableNames(STAGE_PLACEHOLDER);
  const declared = resourcesOfType(template, 'AWS::DynamoDB::Table').map(([id, table]) => ({
    id,
    properties: table.Properties ?? {},
  }));
  for (const definition of TABLE_DEFINITIONS) {
    const expected = createTableInput(definition, names[definition.table]);
    const table = declared.find(({ properties }) => subText(properties.TableName) === expected.TableName);
    const problem = (message: string) => problems.push({ check: 'tables', message });
    if (!table) {
      problem(`no table named ${expected.TableName} (core's ${definition.table} table)`);
      continue;
    }
    const { properties } = table;
    if (!same(properties.KeySchema, expected.KeySchema)) problem(`${table.id}: KeySchema differs from core`);
    if (!same(sorted(properties.AttributeDefinitions), sorted(expected.AttributeDefinitions)))
      problem(`${table.id}: AttributeDefinitions differ from core`);
    const indexes = sorted(properties.GlobalSecondaryIndexes).map(({ IndexName, KeySchema, Projection }) => ({
      IndexName,
      KeySchema,
      Projection,
    }));
    if (!same(indexes, sorted(expected.GlobalSecondaryIndexes)))
      problem(`${table.id}: GlobalSecondaryIndexes differ from core`);
    const ttl = definition.ttlAttribute
      ? { AttributeName: definition.ttlAttribute, Enabled: true }
      : undefined;
    if (!same(properties.TimeToLiveSpecification, ttl)) problem(`${table.id}: TTL differs from core`);
  }
  if (declared.length !== TABLE_DEFINITIONS.length)
    problems.push({
      check: 'tables',
      message: `${declared.length} tables declared, core defines ${TABLE_DEFINITIONS.length}`,
    });
  return problems;
}

/** The handler a function's code comes from: its artifact key ends in `<name>.zip`. */
export function handlerOfFunction(template: CfnTemplate, functionId: string): string | undefined {
  const code = template.Resources[functionId]?.Properties?.Code as TemplateNode | undefined;
  return /([\w-]+)(?:\/[0-9a-f]{64})?\.zip$/.exec(subText(code?.S3Key))?.[1];
}

/** The path of an API Gateway resource, by walking its parents up to the root. */
function pathOf(template: CfnTemplate, resourceRef: unknown): string {
  const id = refOf(resourceRef);
  const resource = id ? template.Resources[id] : undefined;
  if (resource?.Type !== 'AWS::ApiGateway::Resource') return '';
  return `${pathOf(template, resource.Properties?.ParentId)}/${String(resource.Properties?.PathPart)}`;
}

/**
 * `true`, or an `!If` with `true` in a branch: the key is required in some AuthMode. (Whether every mode
 * guards the route, by key or by authorizer, is held by the moto deploy tests of each AuthMode.)
 */
function requiredInSomeMode(value: unknown): boolean {
  if (value === true) return true;
  const branches = (value as TemplateNode | undefined)?.['Fn::If'];
  return Array.isArray(branches) && branches.slice(1).some(requiredInSomeMode);
}

export interface DeclaredMethod {
  /** The AWS::ApiGateway::Method's logical id. */
  id: string;
  method: string;
  path: string;
  handler: string | undefined;
  apiKeyRequired: boolean;
  integration: string;
}

export function declaredMethods(template: CfnTemplate): DeclaredMethod[] {
  return resourcesOfType(template, 'AWS::ApiGateway::Method').map(([id, method]) => {
    const properties = method.Properties ?? {};
    const integration = (properties.Integration ?? {}) as TemplateNode;
    const functionId = /\$\{(\w+)\.Arn\}/.exec(subText(integration.Uri))?.[1];
    return {
      id,
      method: String(properties.HttpMethod),
      path: pathOf(template, properties.ResourceId) || '/',
      handler: functionId ? handlerOfFunction(template, functionId) : undefined,
      apiKeyRequired: requiredInSomeMode(properties.ApiKeyRequired),
      integration: String(integration.Type),
    };
  });
}

/** One function per handler bundle; every API route invokes its handler, keyed unless public. */
export function checkRoutes(template: CfnTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const problem = (message: string) => problems.push({ check: 'routes', message });
  const functionHandlers = resourcesOfType(template, 'AWS::Lambda::Function').map(([id]) => ({
    id,
    handler: handlerOfFunction(template, id),
  }));
  for (const { id, handler } of functionHandlers)
    if (!HANDLER_NAMES.includes(handler as never))
      problem(`${id}: its code ${handler}.zip is no handler bundle`);
  for (const name of HANDLER_NAMES)
    if (!functionHandlers.some(({ handler }) => handler === name))
      problem(`no function runs the ${name} bundle`);

  const methods = declaredMethods(template);
  for (const route of API_ROUTES) {
    const label = `${route.method} ${route.path}`;
    const method = methods.find((m) => m.method === route.method && m.path === route.path);
    if (!method) problem(`${label}: no API method`);
    else if (method.handler !== route.handler)
      problem(`${label}: invokes ${method.handler}, not ${route.handler}`);
    else if (method.apiKeyRequired === Boolean(route.public))
      problem(`${label}: ${route.public ? 'must not require' : 'must require'} an API key`);
  }
  for (const method of methods) {
    const label = `${method.method} ${method.path}`;
    if (method.integration !== 'AWS_PROXY')
      problem(`${label}: integration ${method.integration}, not AWS_PROXY`);
    if (method.method === 'OPTIONS') {
      if (method.handler !== PREFLIGHT_HANDLER || method.apiKeyRequired)
        problem(`${label}: preflight must invoke ${PREFLIGHT_HANDLER} without an API key`);
    } else if (!API_ROUTES.some((route) => route.method === method.method && route.path === method.path)) {
      problem(`${label}: not a route of the handlers' manifest`);
    }
  }
  for (const path of new Set(API_ROUTES.map((route) => route.path)))
    if (!methods.some((method) => method.method === 'OPTIONS' && method.path === path))
      problem(`${path}: no OPTIONS preflight`);
  return problems;
}

/** No wildcard action anywhere; a wildcard resource only for the X-Ray writes. */
export function checkIam(template: CfnTemplate): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  for (const [roleId, role] of resourcesOfType(template, 'AWS::IAM::Role')) {
    if (role.Properties?.ManagedPolicyArns)
      problems.push({
        check: 'iam',
        message: `${roleId}: managed policies are not allowed (their actions are unseen)`,
      });
    const policies = (role.Properties?.Policies ?? []) as {
      PolicyDocument?: { Statement?: TemplateNode[] };
    }[];
    for (const statement of policies.flatMap((policy) => policy.PolicyDocument?.Statement ?? [])) {
      const actions = [statement.Action].flat().map(String);
      for (const action of actions.filter((action) => action.includes('*')))
        problems.push({ check: 'iam', message: `${roleId}: wildcard action ${action}` });
      const wildcard = [statement.Resource].flat().includes('*');
      if (wildcard && !actions.every((action) => XRAY_WRITES.includes(action)))
        problems.push({ check: 'iam', message: `${roleId}: wildcard resource for ${actions.join(', ')}` });
    }
  }
  return problems;
}

/** Every local check `tt validate` runs besides CloudFormation's own ValidateTemplate. */
export function checkTemplate(template: CfnTemplate): TemplateProblem[] {
  return [
    ...checkTables(template),
    ...checkRoutes(template),
    ...checkIam(template),
    ...checkModels(template),
  ];
}
