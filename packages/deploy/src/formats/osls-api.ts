import { API_ROUTES, type HandlerName, PREFLIGHT_HANDLER } from '@tasktracker/handlers';
import { type DeclaredMethod, declaredMethods } from '../template/checks.ts';
import { resourcesOfType, type TemplateNode, type TemplateResource } from '../template/parse.ts';
import { fail } from './osls-functions.ts';

/** The API as osls declares it: provider settings, each handler's `http` events, and what replaces ours. */
export interface OslsApi {
  provider: Record<string, unknown>;
  apiGateway: Record<string, unknown>;
  /** The stage traces with X-Ray (osls: provider.tracing.apiGateway). */
  tracingEnabled: boolean;
  events: Map<HandlerName, Record<string, unknown>[]>;
  /** Properties osls's own resources take from ours (the request validators of the methods). */
  extensions: Record<string, { Properties: TemplateNode }>;
  /** Our logical id → the one osls gives the resource it creates instead. */
  renames: Map<string, string>;
  /** Our resources osls creates itself (from the settings above), left out of `resources:`. */
  generated: Set<string>;
  /** Our resources the osls file leaves out, with the outputs that name them (see OSLS_LEAVES_OUT). */
  leftOut: Set<string>;
}

/**
 * Resource types the osls file leaves out. WAF: osls has no setting that associates a web ACL with
 * the stage it creates. The API key's secret: osls takes a key's value only as a literal string, so
 * the key keeps the value API Gateway generates (read it with osls info), and the secret would hold
 * a value no key has.
 */
export const OSLS_LEAVES_OUT = [
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::SecretsManager::Secret',
] as const;

/** The stage's access and execution logs in osls's terms (provider.logs.restApi). */
function restApiLogsOf(apiStage: TemplateNode, renames: Map<string, string>, generated: Set<string>) {
  const access = asNode(apiStage.AccessLogSetting);
  const [settings] = [apiStage.MethodSettings ?? []].flat() as TemplateNode[];
  const level = settings?.LoggingLevel;
  if (access.Format === undefined && (level === undefined || level === 'OFF')) return undefined;
  const destination = asNode(access.DestinationArn)['Fn::GetAtt'];
  if (access.Format !== undefined) {
    if (!Array.isArray(destination) || destination[1] !== 'Arn')
      throw fail('the stage must send its access logs to !GetAtt <LogGroup>.Arn');
    // osls creates the access log group itself (/aws/api-gateway/<service>-<stage>).
    renames.set(String(destination[0]), 'ApiGatewayLogGroup');
    generated.add(String(destination[0]));
  }
  return {
    ...(access.Format !== undefined
      ? { accessLogging: true, format: access.Format }
      : { accessLogging: false }),
    executionLogging: level !== undefined && level !== 'OFF',
    ...(level !== undefined && level !== 'OFF' ? { level } : {}),
    fullExecutionData: settings?.DataTraceEnabled === true,
  };
}

const asNode = (value: unknown) => (value ?? {}) as TemplateNode;

/** osls's logical id for a method: ApiGatewayMethod + each path part (`{id}` → IdVar) + Get/Post/... */
export function oslsMethodId(path: string, method: string): string {
  const parts = path
    .replace(/^\//, '')
    .split('/')
    .map((part) =>
      part
        .toLowerCase()
        .replace(/-/g, 'Dash')
        .replace(/\{(.*)\}/g, '$1Var')
        .replace(/[^0-9A-Za-z]/g, '')
        .replace(/^./, (first) => first.toUpperCase()),
    );
  const verb = method.toLowerCase().replace(/^./, (first) => first.toUpperCase());
  return `ApiGatewayMethod${parts.join('')}${verb}`;
}

function single(resources: Record<string, TemplateResource>, type: string): [string, TemplateNode] {
  const found = resourcesOfType({ Resources: resources }, type);
  if (found.length !== 1) throw fail(`the generator expects one ${type}, the template has ${found.length}`);
  const [id, resource] = found[0] as [string, TemplateResource];
  return [id, resource.Properties ?? {}];
}

/** `method.request.path.id: true` → `{ paths: { id: true } }`, the http event's request parameters. */
function requestParametersOf(method: TemplateNode): Record<string, Record<string, unknown>> | undefined {
  const kinds: Record<string, string> = { path: 'paths', querystring: 'querystrings', header: 'headers' };
  const parameters: Record<string, Record<string, unknown>> = {};
  for (const [name, required] of Object.entries(asNode(method.RequestParameters))) {
    const [, kind, key] = /^method\.request\.(path|querystring|header)\.(.+)$/.exec(name) ?? [];
    const group = kind ? kinds[kind] : undefined;
    if (!group || !key) throw fail(`unsupported request parameter ${name}`);
    parameters[group] = { ...parameters[group], [key]: required };
  }
  return Object.keys(parameters).length > 0 ? parameters : undefined;
}

function eventOf(
  declared: DeclaredMethod,
  resources: Record<string, TemplateResource>,
  extensions: OslsApi['extensions'],
) {
  const properties = asNode(resources[declared.id]?.Properties);
  // AuthMode apiKey only (the template's default): osls's http events cannot carry our Cognito
  // authorizer as the template declares it, so --parameter AuthMode=cognito|both is refused here.
  if (declared.integration !== 'AWS_PROXY' || properties.AuthorizationType !== 'NONE')
    throw fail(
      `${declared.id}: only AWS_PROXY integrations without an authorizer are carried (osls takes AuthMode apiKey; deploy cognito or both with tt deploy)`,
    );
  const request = requestParametersOf(properties);
  const validator = properties.RequestValidatorId;
  if (validator !== undefined)
    extensions[oslsMethodId(declared.path, declared.method)] = {
      Properties: { RequestValidatorId: validator },
    };
  return {
    http: {
      path: declared.path.replace(/^\//, ''),
      method: declared.method.toLowerCase(),
      private: declared.apiKeyRequired,
      ...(request ? { request: { parameters: request } } : {}),
    },
  };
}

/**
 * Reads our REST API (the API, its stage, the key, the usage plan, every method) into osls's terms.
 * Routes come from the handlers' route table, each checked against the template's method for it; the
 * preflight of every path goes to our CORS handler, as in the template (never osls's `cors: true`).
 */
export function oslsApi(resources: Record<string, TemplateResource>, stage: string): OslsApi {
  const renames = new Map<string, string>();
  const generated = new Set<string>();
  const [restApiId, restApi] = single(resources, 'AWS::ApiGateway::RestApi');
  renames.set(restApiId, 'ApiGatewayRestApi');
  const [, apiStage] = single(resources, 'AWS::ApiGateway::Stage');
  if (apiStage.StageName !== stage)
    throw fail(`the API stage is ${String(apiStage.StageName)}, not ${stage}`);
  const [usagePlanId, usagePlan] = single(resources, 'AWS::ApiGateway::UsagePlan');
  renames.set(usagePlanId, 'ApiGatewayUsagePlan');
  const throttle = asNode(usagePlan.Throttle);

  const apiKeys = resourcesOfType({ Resources: resources }, 'AWS::ApiGateway::ApiKey').map(
    ([id, key], index) => {
      renames.set(id, `ApiGatewayApiKey${index + 1}`);
      const properties = asNode(key.Properties);
      return {
        name: properties.Name,
        description: properties.Description,
        enabled: properties.Enabled ?? true,
      };
    },
  );
  resourcesOfType({ Resources: resources }, 'AWS::ApiGateway::UsagePlanKey').forEach(([id], index) => {
    renames.set(id, `ApiGatewayUsagePlanKey${index + 1}`);
  });

  const methods = declaredMethods({ Resources: resources });
  const events = new Map<HandlerName, Record<string, unknown>[]>();
  const extensions: OslsApi['extensions'] = {};
  const used = new Set<string>();
  const add = (method: string, path: string, handler: HandlerName) => {
    const declared = methods.find((m) => m.method === method && m.path === path);
    if (!declared || declared.handler !== handler)
      throw fail(`the template has no ${method} ${path} method invoking ${handler}`);
    used.add(declared.id);
    events.set(handler, [...(events.get(handler) ?? []), eventOf(declared, resources, extensions)]);
  };
  for (const route of API_ROUTES) add(route.method, route.path, route.handler);
  for (const path of new Set(API_ROUTES.map((route) => route.path))) add('OPTIONS', path, PREFLIGHT_HANDLER);
  const extra = methods.filter((method) => !used.has(method.id));
  if (extra.length > 0)
    throw fail(`methods that are no route of the handlers' manifest: ${extra.map((m) => m.id).join(', ')}`);

  const oslsTypes = [
    'AWS::ApiGateway::RestApi',
    'AWS::ApiGateway::Resource',
    'AWS::ApiGateway::Method',
    'AWS::ApiGateway::Deployment',
    'AWS::ApiGateway::Stage',
    'AWS::ApiGateway::ApiKey',
    'AWS::ApiGateway::UsagePlan',
    'AWS::ApiGateway::UsagePlanKey',
  ];
  // Our AWS::ApiGateway::Account sets the account's CloudWatch role, so osls adds no custom resource
  // (a Lambda) for it (roleManagedExternally); osls applies the stage's log settings after the stack.
  const managesRole = resourcesOfType({ Resources: resources }, 'AWS::ApiGateway::Account').length > 0;
  const logs = restApiLogsOf(apiStage, renames, generated);
  if (logs && managesRole) Object.assign(logs, { roleManagedExternally: true });
  const leftOut = new Set(
    Object.entries(resources)
      .filter(([, resource]) => (OSLS_LEAVES_OUT as readonly string[]).includes(resource.Type))
      .map(([id]) => id),
  );

  for (const [id, resource] of Object.entries(resources)) {
    const invokedByApi =
      resource.Type === 'AWS::Lambda::Permission' &&
      resource.Properties?.Principal === 'apigateway.amazonaws.com';
    if (oslsTypes.includes(resource.Type) || invokedByApi) generated.add(id);
  }

  const sourceType = restApi.ApiKeySourceType;
  return {
    provider: {
      apiName: restApi.Name,
      endpointType: [asNode(restApi.EndpointConfiguration).Types ?? 'EDGE'].flat()[0],
      ...(logs ? { logs: { restApi: logs } } : {}),
    },
    apiGateway: {
      ...(restApi.Description ? { description: restApi.Description } : {}),
      ...(sourceType ? { apiKeySourceType: sourceType } : {}),
      apiKeys,
      usagePlan: { throttle: { rateLimit: throttle.RateLimit, burstLimit: throttle.BurstLimit } },
    },
    tracingEnabled: apiStage.TracingEnabled === true,
    events,
    extensions,
    renames,
    generated,
    leftOut,
  };
}
