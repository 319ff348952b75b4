import { readFile } from 'node:fs/promises';
import { parse, type Tags } from 'yaml';

/**
 * Reads the API of a CloudFormation template: every AWS::ApiGateway::Method with its resource path,
 * whether it needs an API key, and the Lambda function (and artifact name) behind its integration.
 * The local API serves exactly what the template declares, so the two cannot drift apart.
 */
export interface TemplateRoute {
  method: string;
  /** API Gateway resource path, e.g. /tasks/{id}. */
  path: string;
  apiKeyRequired: boolean;
  functionLogicalId: string;
  /** The handler's name, from its artifact key (`...<name>.zip`). */
  handlerName: string;
}

type Node = Record<string, unknown>;

/** CloudFormation's short tags (!Ref, !Sub, ...) read as their long forms ({ Ref }, { 'Fn::Sub' }). */
const SHORT_FORMS = [
  'Ref',
  'Condition',
  'Base64',
  'Cidr',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
];
const CFN_TAGS: Tags = SHORT_FORMS.flatMap((name) => {
  const key = name === 'Ref' || name === 'Condition' ? name : `Fn::${name}`;
  const wrap = (node: unknown) => {
    // Collections arrive as yaml nodes; toJSON gives plain arrays and objects.
    const value =
      typeof (node as { toJSON?: unknown })?.toJSON === 'function'
        ? (node as { toJSON(): unknown }).toJSON()
        : node;
    return { [key]: name === 'GetAtt' && typeof value === 'string' ? value.split('.') : value };
  };
  return (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: wrap,
  })) as Tags;
});

export function parseTemplate(text: string): {
  Resources: Record<string, { Type: string; Properties?: Node }>;
} {
  return parse(text, { customTags: CFN_TAGS }) as {
    Resources: Record<string, { Type: string; Properties?: Node }>;
  };
}

const refOf = (value: unknown): string | undefined =>
  typeof value === 'object' && value !== null && 'Ref' in value
    ? String((value as { Ref: unknown }).Ref)
    : undefined;

function subText(value: unknown): string {
  if (typeof value === 'string') return value;
  const sub = (value as Node | undefined)?.['Fn::Sub'];
  return typeof sub === 'string' ? sub : Array.isArray(sub) ? String(sub[0]) : '';
}

export function routesOf(template: ReturnType<typeof parseTemplate>): TemplateRoute[] {
  const resources = template.Resources;
  const pathOf = (resourceId: unknown): string => {
    const logicalId = refOf(resourceId);
    // The root resource is reached through !GetAtt RestApi.RootResourceId.
    if (!logicalId) return '';
    const resource = resources[logicalId];
    if (resource?.Type !== 'AWS::ApiGateway::Resource')
      throw new Error(`${logicalId} is not an API resource`);
    return `${pathOf(resource.Properties?.ParentId)}/${String(resource.Properties?.PathPart)}`;
  };
  const routes: TemplateRoute[] = [];
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type !== 'AWS::ApiGateway::Method') continue;
    const properties = resource.Properties ?? {};
    const integration = (properties.Integration ?? {}) as Node;
    const uri = subText(integration.Uri);
    const functionLogicalId = /\$\{(\w+)\.Arn\}/.exec(uri)?.[1];
    if (!functionLogicalId) throw new Error(`${logicalId}: no Lambda function in its integration URI`);
    const code = (resources[functionLogicalId]?.Properties?.Code ?? {}) as Node;
    const handlerName = /([\w-]+)\.zip$/.exec(subText(code.S3Key))?.[1];
    if (!handlerName) throw new Error(`${functionLogicalId}: cannot tell its handler from Code.S3Key`);
    routes.push({
      method: String(properties.HttpMethod),
      path: pathOf(properties.ResourceId) || '/',
      apiKeyRequired: properties.ApiKeyRequired === true,
      functionLogicalId,
      handlerName,
    });
  }
  return routes;
}

export async function readTemplateRoutes(file: string): Promise<TemplateRoute[]> {
  return routesOf(parseTemplate(await readFile(file, 'utf8')));
}
