export { apiKeyIdOf, type ProxyEvent, toProxyEvent } from './event.ts';
export type { GatewayResponseDefinition, GatewayResponses } from './gateway.ts';
export {
  bearerTokenOf,
  generateSigningKey,
  issueLocalToken,
  LOCAL_AUDIENCE,
  LOCAL_ISSUER,
  type LocalSigningKey,
  type LocalTokenOptions,
  localSigningKey,
  localTokenVerifier,
  type TokenVerifier,
} from './jwt.ts';
export {
  type InvokedHandler,
  type LocalLambda,
  type LocalLambdaOptions,
  startLocalLambda,
} from './lambda.ts';
export { type RouteMatch, Router } from './router.ts';
export {
  createLambdaContext,
  type LambdaHandler,
  type LocalApi,
  type LocalApiOptions,
  type LocalLambdaContext,
  type LocalPage,
  type ProxyResult,
  startLocalApi,
} from './server.ts';
export {
  type AuthMode,
  apiOf,
  gatewayResponsesOf,
  readTemplateApi,
  readTemplateRoutes,
  routesOf,
  type TemplateApi,
  type TemplateRoute,
} from './template.ts';
