import { readFile } from 'node:fs/promises';
import {
  type CfnTemplate,
  evaluateTemplate,
  parseTemplate,
  refOf,
  subText,
  type TemplateNode,
} from '@tasktracker/deploy';
import type { GatewayResponses } from './gateway.ts';

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
  /** A COGNITO_USER_POOLS authorizer guards the method: a valid bearer token is required. */
  tokenRequired: boolean;
  functionLogicalId: string;
  /** The handler's name, from its artifact key (`...<name>.zip`). */
  handlerName: string;
  /** What the method's RequestValidator checks before the function runs. */
  validates: { body: boolean; parameters: boolean };
  /** Parameters the method requires (`method.request.path.id`, `method.request.querystring.q`, ...). */
  requiredParameters: string[];
  /** The JSON Schema (draft 4) of the method's application/json RequestModel, when it has one. */
  bodyModel?: Record<string, unknown>;
}

type Node = TemplateNode;

export function routesOf(template: CfnTemplate): TemplateRoute[] {
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
    const validator = resources[refOf(properties.RequestValidatorId) ?? '']?.Properties ?? {};
    const modelName = refOf(((properties.RequestModels ?? {}) as Node)['application/json']);
    const model = modelName ? resources[modelName] : undefined;
    if (modelName && model?.Type !== 'AWS::ApiGateway::Model')
      throw new Error(
        `${logicalId}: its RequestModels name ${modelName}, which is no AWS::ApiGateway::Model`,
      );
    routes.push({
      method: String(properties.HttpMethod),
      path: pathOf(properties.ResourceId) || '/',
      apiKeyRequired: properties.ApiKeyRequired === true,
      tokenRequired: properties.AuthorizationType === 'COGNITO_USER_POOLS',
      functionLogicalId,
      handlerName,
      validates: {
        body: validator.ValidateRequestBody === true,
        parameters: validator.ValidateRequestParameters === true,
      },
      requiredParameters: Object.entries((properties.RequestParameters ?? {}) as Node)
        .filter(([, required]) => required === true)
        .map(([name]) => name),
      ...(model ? { bodyModel: (model.Properties?.Schema ?? {}) as Record<string, unknown> } : {}),
    });
  }
  return routes;
}

const HEADER_PARAMETER = /^gatewayresponse\.header\.(.+)$/;

/** The template's GatewayResponses by response type (DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, ...). */
export function gatewayResponsesOf(template: CfnTemplate): GatewayResponses {
  const responses: GatewayResponses = {};
  for (const resource of Object.values(template.Resources)) {
    if (resource.Type !== 'AWS::ApiGateway::GatewayResponse') continue;
    const properties = resource.Properties ?? {};
    const parameters: Record<string, string> = {};
    for (const [key, value] of Object.entries((properties.ResponseParameters ?? {}) as Node)) {
      const header = HEADER_PARAMETER.exec(key)?.[1];
      if (header) parameters[header] = String(value);
    }
    const templates = Object.fromEntries(
      Object.entries((properties.ResponseTemplates ?? {}) as Node).map(([type, body]) => [
        type,
        String(body),
      ]),
    );
    responses[String(properties.ResponseType)] = {
      ...(properties.StatusCode === undefined ? {} : { statusCode: Number(properties.StatusCode) }),
      parameters,
      templates,
    };
  }
  return responses;
}

/** What the local API serves of a template: its routes and how API Gateway words its own errors. */
export interface TemplateApi {
  routes: TemplateRoute[];
  gatewayResponses: GatewayResponses;
}

/** The template's AuthMode parameter: apiKey (its default), cognito or both. */
export type AuthMode = 'apiKey' | 'cognito' | 'both';

/**
 * The API as deployed with one AuthMode: the methods' `!If [UseCognito, ...]` decided as CloudFormation
 * would. A template without the parameter (an older one) serves as written, with API keys only.
 */
export function apiOf(template: CfnTemplate, authMode?: AuthMode): TemplateApi {
  const hasAuthMode = template.Parameters?.AuthMode !== undefined;
  if (!hasAuthMode && authMode && authMode !== 'apiKey')
    throw new Error(`the template has no AuthMode parameter, so it cannot serve AuthMode ${authMode}`);
  const served = hasAuthMode
    ? { Resources: evaluateTemplate(template, authMode ? { AuthMode: authMode } : {}).Resources }
    : template;
  return { routes: routesOf(served), gatewayResponses: gatewayResponsesOf(served) };
}

export async function readTemplateApi(file: string, authMode?: AuthMode): Promise<TemplateApi> {
  return apiOf(parseTemplate(await readFile(file, 'utf8')), authMode);
}

export async function readTemplateRoutes(file: string): Promise<TemplateRoute[]> {
  return (await readTemplateApi(file)).routes;
}
