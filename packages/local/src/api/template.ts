import { readFile } from 'node:fs/promises';
import { type CfnTemplate, parseTemplate, refOf, subText, type TemplateNode } from '@tasktracker/deploy';

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
